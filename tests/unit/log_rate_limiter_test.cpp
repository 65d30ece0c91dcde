#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "log/log.hpp"
#include "log/rate_limiter.hpp"

namespace {

using namespace piogate::log;
using namespace std::chrono_literals;
using time_point = rate_limiter::time_point;

const time_point t0{};

rate_limiter::settings limits(std::size_t burst, std::chrono::milliseconds window,
                              std::size_t max_keys = 256) {
    rate_limiter::settings s;
    s.burst = burst;
    s.window = window;
    s.max_keys = max_keys;
    return s;
}

TEST(rate_limiter, lets_the_first_burst_through_then_counts) {
    rate_limiter r(limits(3, 10s));
    for (int i = 0; i < 3; ++i) {
        const auto v = r.on_event("a", t0 + std::chrono::milliseconds(i));
        EXPECT_TRUE(v.emit);
        EXPECT_EQ(v.suppressed_before, 0u);
        EXPECT_FALSE(v.summary_due);
    }
    const auto first = r.on_event("a", t0 + 5ms);
    EXPECT_FALSE(first.emit);
    ASSERT_TRUE(first.summary_due);
    EXPECT_EQ(*first.summary_due, t0 + 10s);  // the window started with the first event
    for (int i = 0; i < 996; ++i) {
        const auto v = r.on_event("a", t0 + 50ms);
        EXPECT_FALSE(v.emit);
        EXPECT_FALSE(v.summary_due);  // the timer is armed once per window
    }
}

TEST(rate_limiter, the_next_event_after_the_window_reports_the_count_first) {
    rate_limiter r(limits(2, 10s));
    for (int i = 0; i < 10; ++i) r.on_event("a", t0 + 1s);
    const auto v = r.on_event("a", t0 + 11s);  // the window began at 1 s
    EXPECT_TRUE(v.emit);
    EXPECT_EQ(v.suppressed_before, 8u);
    EXPECT_TRUE(r.take_due(t0 + 30s).empty());  // reported once only
}

TEST(rate_limiter, take_due_reports_each_passed_window_once) {
    rate_limiter r(limits(1, 10s));
    for (int i = 0; i < 5; ++i) r.on_event("a", t0);
    for (int i = 0; i < 3; ++i) r.on_event("b", t0 + 5s);
    EXPECT_TRUE(r.take_due(t0 + 9s).empty());  // not yet
    auto due = r.take_due(t0 + 10s);
    ASSERT_EQ(due.size(), 1u);
    EXPECT_EQ(due[0].key, "a");
    EXPECT_EQ(due[0].suppressed, 4u);
    due = r.take_due(t0 + 15s);
    ASSERT_EQ(due.size(), 1u);
    EXPECT_EQ(due[0].key, "b");
    EXPECT_EQ(due[0].suppressed, 2u);
    EXPECT_TRUE(r.take_due(t0 + 60s).empty());
    // After the report a new window starts with a full burst.
    EXPECT_TRUE(r.on_event("a", t0 + 61s).emit);
    EXPECT_EQ(r.on_event("a", t0 + 61s).suppressed_before, 0u);
}

TEST(rate_limiter, keys_are_independent) {
    rate_limiter r(limits(1, 10s));
    EXPECT_TRUE(r.on_event("pump", t0).emit);
    EXPECT_FALSE(r.on_event("pump", t0).emit);
    EXPECT_TRUE(r.on_event("valve", t0).emit);
}

TEST(rate_limiter, memory_is_bounded_by_max_keys) {
    rate_limiter r(limits(1, 10s, 4));
    for (int i = 0; i < 1000; ++i) r.on_event("id" + std::to_string(i), t0);
    EXPECT_LE(r.keys(), 5u);  // four keys plus the shared overflow key
    // Idle keys are forgotten once their window has passed.
    for (int i = 0; i < 1000; ++i) r.on_event("late" + std::to_string(i), t0 + 20s);
    EXPECT_LE(r.keys(), 5u);
}

// ---- the facade: write_limited / flush_limited ----

struct event {
    level lvl;
    std::string domain;
    std::string message;
    fields extra;
};

class recording_sink : public sink {
public:
    void write(level lvl, std::string_view domain, std::string_view message,
               const fields& extra) override {
        std::lock_guard lock(mutex);
        events.push_back({lvl, std::string(domain), std::string(message), extra});
    }
    std::mutex mutex;
    std::vector<event> events;
};

class limited_log : public ::testing::Test {
protected:
    void SetUp() override {
        sink_ = std::make_shared<recording_sink>();
        set_sink(sink_);
        reset_limits(5, 10s);
    }
    void TearDown() override {
        set_sink(nullptr);
        reset_limits(5, 10s);
    }
    std::shared_ptr<recording_sink> sink_;
    const steady_time start_ = std::chrono::steady_clock::now();
};

TEST_F(limited_log, a_flood_becomes_five_lines_and_one_summary) {
    const fields channel{{"PIOGATE_CHANNEL", "pump"}};
    std::optional<steady_time> due;
    for (int i = 0; i < 1000; ++i) {
        auto d = write_limited(level::warning, "gpio", "actuator pump: bad command",
                               "bad command " + std::to_string(i), channel, start_ + 50us * i);
        if (d) {
            EXPECT_FALSE(due) << "asked for a timer twice";
            due = d;
        }
    }
    ASSERT_EQ(sink_->events.size(), 5u);
    EXPECT_EQ(sink_->events[4].message, "bad command 4");
    ASSERT_TRUE(due);
    flush_limited(*due - 1ms);
    EXPECT_EQ(sink_->events.size(), 5u);
    flush_limited(*due);
    ASSERT_EQ(sink_->events.size(), 6u);
    const event& s = sink_->events[5];
    EXPECT_EQ(s.lvl, level::warning);
    EXPECT_EQ(s.domain, "gpio");
    EXPECT_EQ(s.message, "actuator pump: bad command: 995 similar messages suppressed in 10 s");
    ASSERT_EQ(s.extra.size(), 1u);
    EXPECT_EQ(s.extra[0].value, "pump");
    flush_limited(*due + 1h);
    EXPECT_EQ(sink_->events.size(), 6u);  // once
}

TEST_F(limited_log, flush_all_writes_the_counts_of_windows_not_over_yet) {
    for (int i = 0; i < 8; ++i) write_limited(level::warning, "gpio", "pump", "x", {}, start_);
    write_limited(level::warning, "gpio", "quiet", "y", {}, start_);  // nothing suppressed
    flush_limited(start_ + 1s);                                       // its window is not over
    ASSERT_EQ(sink_->events.size(), 6u);
    flush_all_limited();  // at shutdown
    ASSERT_EQ(sink_->events.size(), 7u);
    EXPECT_EQ(sink_->events[6].message, "pump: 3 similar messages suppressed in 10 s");
    flush_all_limited();
    flush_limited(start_ + 1h);
    EXPECT_EQ(sink_->events.size(), 7u);  // once
}

TEST_F(limited_log, without_a_timer_the_summary_comes_before_the_next_event) {
    for (int i = 0; i < 7; ++i)
        write_limited(level::warning, "app", "unknown actuator", "x", {}, start_);
    write_limited(level::warning, "app", "unknown actuator", "later", {}, start_ + 11s);
    ASSERT_EQ(sink_->events.size(), 7u);
    EXPECT_EQ(sink_->events[5].message, "unknown actuator: 2 similar messages suppressed in 10 s");
    EXPECT_EQ(sink_->events[6].message, "later");
}

TEST_F(limited_log, domains_do_not_share_a_key) {
    for (int i = 0; i < 5; ++i) write_limited(level::warning, "gpio", "k", "g", {}, start_);
    write_limited(level::warning, "app", "k", "a", {}, start_);
    EXPECT_EQ(sink_->events.size(), 6u);
}

TEST_F(limited_log, below_the_level_nothing_is_counted) {
    const level saved = current_level();
    set_level(level::error);
    for (int i = 0; i < 10; ++i) write_limited(level::warning, "app", "k", "w", {}, start_);
    set_level(saved);
    flush_limited(start_ + 1h);
    EXPECT_TRUE(sink_->events.empty());
}

// ---- clip ----

TEST(clip, short_text_is_unchanged) {
    EXPECT_EQ(clip("gw/actuators/pump/set"), "gw/actuators/pump/set");
    EXPECT_EQ(clip(std::string(80, 'a')), std::string(80, 'a'));
}

TEST(clip, long_text_is_cut_with_its_length) {
    const std::string id(60000, 'x');
    const std::string c = clip("gw/actuators/" + id + "/set");
    EXPECT_EQ(c, "gw/actuators/" + std::string(67, 'x') + "... (60017 bytes)");
    EXPECT_LE(c.size(), 100u);
    EXPECT_EQ(clip("abcdef", 3), "abc... (6 bytes)");
}

TEST(clip, never_splits_a_utf8_character) {
    // "é" is two bytes (C3 A9); a cut after 2 bytes of "aé" would leave half of it.
    EXPECT_EQ(clip("a\xC3\xA9xyz", 2), "a... (6 bytes)");
    EXPECT_EQ(clip("a\xC3\xA9xyz", 3), "a\xC3\xA9... (6 bytes)");
}

}  // namespace
