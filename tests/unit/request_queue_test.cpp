// request_queue: numbering, one wake per batch, the bound, and several producer threads.
#include "mqtt/request_queue.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

using piogate::mqtt::request_queue;

TEST(request_queue, numbers_in_order_and_wakes_once_per_batch) {
    request_queue q;
    auto a = q.push_publish("t/a", "one", 1, false);
    auto b = q.push_publish("t/b", "two", 2, true);
    auto c = q.push_call([] { return 0; }, true);
    auto d = q.push_call([] { return 0; }, false);
    EXPECT_EQ(a.mid, 1);
    EXPECT_TRUE(a.wake);
    EXPECT_EQ(b.mid, 2);
    EXPECT_FALSE(b.wake);
    EXPECT_EQ(c.mid, 3);
    EXPECT_EQ(d.mid, 0);
    request_queue::batch out;
    EXPECT_EQ(q.take(out, true), 4);  // the reserved number comes after the batch
    ASSERT_EQ(out.records.size(), 4u);
    EXPECT_EQ(out.publishes, 2u);
    EXPECT_EQ(out.topic(out.records[1]), "t/b");
    EXPECT_EQ(out.payload(out.records[1]), "two");
    EXPECT_TRUE(out.records[1].retain);
    EXPECT_TRUE(out.records[2].is_call);
    EXPECT_TRUE(q.unreserve(4));
    EXPECT_TRUE(q.push_publish("t", "", 0, false).wake);  // the first after a take wakes again
    EXPECT_EQ(q.take(out), 0);
    EXPECT_EQ(out.records.front().mid, 4);
}

TEST(request_queue, bound_counts_handed_over_and_session_queue) {
    request_queue q;
    q.set_limit(3);
    q.session_queued(1);
    EXPECT_FALSE(q.push_publish("t", "1", 1, false).full);
    EXPECT_FALSE(q.push_publish("t", "2", 1, false).full);
    auto r = q.push_publish("t", "3", 1, false);
    EXPECT_TRUE(r.full);
    EXPECT_EQ(r.mid, 0);
    request_queue::batch out;
    q.take(out);
    // Taken but not accounted for: still counted.
    EXPECT_TRUE(q.push_publish("t", "3", 1, false).full);
    q.accounted(out.publishes, 1);  // the session sent one of them
    EXPECT_FALSE(q.push_publish("t", "3", 1, false).full);
}

TEST(request_queue, a_publish_keeps_its_properties_and_counts_against_the_bound) {
    request_queue q;
    q.set_limit(2);
    piogate::mqtt::properties props;
    props.content_type = "application/json";
    EXPECT_FALSE(q.push_publish("t/p", "{}", 1, false, &props).full);
    EXPECT_FALSE(q.push_publish("t/n", "x", 0, false).full);
    EXPECT_TRUE(q.push_publish("t/p", "{}", 1, false, &props).full);  // the bound counts both
    request_queue::batch out;
    q.take(out);
    ASSERT_EQ(out.records.size(), 2u);
    EXPECT_EQ(out.publishes, 2u);
    ASSERT_NE(out.properties_of(out.records[0]), nullptr);
    EXPECT_EQ(out.properties_of(out.records[0])->content_type, "application/json");
    EXPECT_EQ(out.properties_of(out.records[1]), nullptr);
    out.clear();
    EXPECT_TRUE(out.props.empty());
}

TEST(request_queue, producers_keep_their_order_and_get_unique_numbers) {
    request_queue q;
    constexpr int threads = 4;
    constexpr int per_thread = 20000;
    std::atomic<bool> go{false};
    std::vector<std::thread> producers;
    for (int t = 0; t < threads; ++t) {
        producers.emplace_back([&, t] {
            while (!go) std::this_thread::yield();
            for (int i = 0; i < per_thread; ++i) {
                q.push_publish("p/" + std::to_string(t), std::to_string(i), 0, false);
            }
        });
    }
    go = true;
    std::vector<int> next(threads, 0);
    int last_mid = 0;
    int seen = 0;
    request_queue::batch out;
    while (seen < threads * per_thread) {
        q.take(out);
        for (const auto& r : out.records) {
            const int t = out.topic(r)[2] - '0';
            ASSERT_EQ(std::stoi(std::string(out.payload(r))), next[t]++);
            ASSERT_EQ(r.mid, last_mid + 1);  // numbered in the order appended
            last_mid = r.mid;
            ++seen;
        }
    }
    for (auto& p : producers) p.join();
}
