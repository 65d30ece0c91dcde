// util::scheduler: the virtual one runs due timers in order at their own times, drops
// cancelled and re-armed waits; the Asio one fires on the io_context and drops cancelled ones.
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include <boost/asio/io_context.hpp>
#include <string>
#include <vector>

#include "util/asio_scheduler.hpp"
#include "util/virtual_scheduler.hpp"

using namespace piogate;
using namespace std::chrono_literals;

TEST(virtual_scheduler, runs_due_timers_in_order_at_their_own_times) {
    util::virtual_scheduler s;
    const auto t0 = s.now();
    std::vector<std::pair<std::string, std::chrono::steady_clock::duration>> ran;
    auto a = s.make_timer(), b = s.make_timer(), c = s.make_timer();
    a->wait_for(3s, [&] { ran.emplace_back("a", s.now() - t0); });
    b->wait_for(1s, [&] { ran.emplace_back("b", s.now() - t0); });
    c->wait_until(t0 + 1s, [&] { ran.emplace_back("c", s.now() - t0); });  // tie: after b
    EXPECT_EQ(s.pending(), 3u);
    EXPECT_EQ(s.next_due(), t0 + 1s);
    s.advance(2s);
    ASSERT_EQ(ran.size(), 2u);
    EXPECT_EQ(ran[0], std::make_pair(std::string("b"), std::chrono::steady_clock::duration(1s)));
    EXPECT_EQ(ran[1], std::make_pair(std::string("c"), std::chrono::steady_clock::duration(1s)));
    EXPECT_EQ(s.now() - t0, 2s);
    s.advance(1s);
    ASSERT_EQ(ran.size(), 3u);
    EXPECT_EQ(ran[2].second, 3s);
    EXPECT_EQ(s.pending(), 0u);
    EXPECT_EQ(s.next_due(), util::steady_time::max());
}

TEST(virtual_scheduler, a_handler_that_rearms_runs_again_within_the_same_advance) {
    util::virtual_scheduler s;
    const auto t0 = s.now();
    auto t = s.make_timer();
    std::vector<std::chrono::steady_clock::duration> at;
    std::function<void()> tick = [&] {
        at.push_back(s.now() - t0);
        t->wait_for(10s, tick);
    };
    t->wait_for(0s, tick);
    s.advance(1h);
    ASSERT_EQ(at.size(), 361u);  // 0, 10, ..., 3600 s
    EXPECT_EQ(at.front(), 0s);
    EXPECT_EQ(at[1], 10s);
    EXPECT_EQ(at.back(), 1h);
}

TEST(virtual_scheduler, cancel_rearm_and_destruction_drop_the_pending_wait) {
    int settled = 0;
    util::virtual_scheduler s([&] { ++settled; });
    int fired = 0;
    auto a = s.make_timer();
    a->wait_for(1s, [&] { fired += 1; });
    a->cancel();
    a->wait_for(1s, [&] { fired += 10; });
    a->wait_for(2s, [&] { fired += 100; });  // re-armed: the 10 is dropped
    {
        auto b = s.make_timer();
        b->wait_for(1s, [&] { fired += 1000; });
    }
    EXPECT_EQ(s.pending(), 1u);
    s.advance(5s);
    EXPECT_EQ(fired, 100);
    EXPECT_EQ(settled, 2);  // before the first timer and after the one that ran
    s.run_due();
    EXPECT_EQ(fired, 100);
}

TEST(virtual_scheduler, on_time_sees_each_due_time_before_its_handler_runs) {
    util::virtual_scheduler time;
    const auto start = time.now();
    std::vector<std::string> events;
    time.on_time([&](util::steady_time t) {
        events.push_back("time " + std::to_string((t - start) / 1ms));
    });
    auto a = time.make_timer();
    auto b = time.make_timer();
    a->wait_for(10ms,
                [&] { events.push_back("a at " + std::to_string((time.now() - start) / 1ms)); });
    b->wait_for(0ms, [&] { events.push_back("b"); });  // due now: time does not move for it
    time.advance(25ms);
    EXPECT_EQ(events, (std::vector<std::string>{"b", "time 10", "a at 10", "time 25"}));
    time.advance(0ms);
    EXPECT_EQ(events.size(), 4u);  // time did not move: no call
}

TEST(asio_scheduler, fires_on_the_io_context_and_drops_cancelled_waits) {
    boost::asio::io_context io;
    util::asio_scheduler s(io);
    const auto before = std::chrono::steady_clock::now();
    EXPECT_GE(s.now(), before);
    int fired = 0;
    auto a = s.make_timer(), b = s.make_timer(), c = s.make_timer();
    a->wait_for(0ms, [&] { fired += 1; });
    b->wait_until(s.now(), [&] { fired += 10; });
    c->wait_for(0ms, [&] { fired += 100; });
    c->cancel();
    b->wait_for(1ms, [&] { fired += 1000; });  // re-armed: the 10 is dropped
    EXPECT_EQ(fired, 0);                       // nothing runs outside the loop
    io.run_for(2s);                            // returns as soon as the timers are done
    EXPECT_EQ(fired, 1001);
    EXPECT_GE(std::chrono::steady_clock::now() - before, 1ms);
}

// Two timers due at the same moment: Asio queues both completions before running the first.
// What the first does to the second (cancel, re-arm, destroy) must drop the second's queued
// handler, as the contract says: with a bare steady_timer it still ran, with success, after
// cancel() and even after its timer was destroyed (a freed channel's handler called).
TEST(asio_scheduler, a_wait_already_due_is_dropped_by_cancel_rearm_and_destruction) {
    for (const std::string action : {"cancel", "rearm", "destroy"}) {
        boost::asio::io_context io;
        util::asio_scheduler s(io);
        auto first = s.make_timer();
        auto second = s.make_timer();
        const auto due = s.now() - 1s;
        int second_ran = 0;
        first->wait_until(due, [&] {
            if (action == "cancel") second->cancel();
            if (action == "rearm") second->wait_for(1h, [&] { second_ran += 100; });
            if (action == "destroy") second.reset();
        });
        second->wait_until(due, [&] { ++second_ran; });
        io.run_for(200ms);
        EXPECT_EQ(second_ran, 0) << action;
    }
}
