#include "util/backoff.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <optional>
#include <utility>
#include <vector>

using piogate::util::backoff;
using piogate::util::backoff_delay;
using namespace std::chrono_literals;

TEST(backoff, doubles_from_min_up_to_max) {
    // unit_random = 1: the top of each range.
    EXPECT_EQ(backoff_delay(100ms, 1000ms, 0, 1.0), 100ms);
    EXPECT_EQ(backoff_delay(100ms, 1000ms, 1, 1.0), 200ms);
    EXPECT_EQ(backoff_delay(100ms, 1000ms, 3, 1.0), 800ms);
    EXPECT_EQ(backoff_delay(100ms, 1000ms, 4, 1.0), 1000ms);
    EXPECT_EQ(backoff_delay(100ms, 1000ms, 60, 1.0), 1000ms);  // no overflow
}

TEST(backoff, jitter_spans_the_upper_half_but_never_goes_below_min) {
    EXPECT_EQ(backoff_delay(100ms, 1000ms, 0, 0.0), 100ms);  // not 50 ms
    EXPECT_EQ(backoff_delay(100ms, 1000ms, 1, 0.0), 100ms);
    EXPECT_EQ(backoff_delay(100ms, 1000ms, 3, 0.0), 400ms);
    EXPECT_EQ(backoff_delay(100ms, 1000ms, 3, 0.5), 600ms);
    EXPECT_EQ(backoff_delay(3000ms, 3000ms, 5, 0.3), 3000ms);  // min = max: exactly that
}

TEST(backoff, counts_attempts_and_resets) {
    backoff b(10ms, 80ms);
    for (int i = 0; i < 10; ++i) {
        const auto d = b.next();
        EXPECT_GE(d, 10ms);
        EXPECT_LE(d, 80ms);
    }
    EXPECT_EQ(b.attempts(), 10u);
    b.reset();
    EXPECT_EQ(b.next(), 10ms);
}

// ---- reconnect_backoff: the reconnect policy on virtual time ----

using piogate::util::reconnect_backoff;
using time_point = reconnect_backoff::time_point;

namespace {
const time_point t0{};
}  // namespace

TEST(reconnect_backoff, failed_attempts_double_up_to_max) {
    reconnect_backoff b(1s, 120s);
    EXPECT_EQ(b.after_failure(1.0), 1s);
    EXPECT_EQ(b.after_failure(1.0), 2s);
    EXPECT_EQ(b.after_failure(1.0), 4s);
    for (int i = 0; i < 10; ++i) b.after_failure(1.0);
    EXPECT_EQ(b.after_failure(1.0), 120s);
    EXPECT_EQ(b.after_failure(0.0), 60s);  // jitter: the upper half
    for (int i = 0; i < 1000; ++i) b.after_failure(0.5);  // no overflow after many
    EXPECT_EQ(b.after_failure(1.0), 120s);
}

TEST(reconnect_backoff, a_connection_that_lasted_resets_to_min) {
    reconnect_backoff b(1s, 120s);
    for (int i = 0; i < 8; ++i) b.after_failure(1.0);
    b.on_accepted(t0);
    EXPECT_EQ(b.after_drop(t0 + 10s, 1.0), 1s);  // stable_after = 10 s
    EXPECT_EQ(b.storm_level(), 0u);
    EXPECT_EQ(b.after_failure(1.0), 2s);  // then doubling again, from the start
    EXPECT_EQ(b.after_failure(1.0), 4s);
}

TEST(reconnect_backoff, a_pingresp_proves_a_short_connection_healthy) {
    reconnect_backoff b(1s, 120s);
    b.on_accepted(t0);
    b.after_drop(t0 + 1s, 1.0);  // storm level 1
    b.on_accepted(t0 + 3s);
    b.on_healthy();
    EXPECT_EQ(b.after_drop(t0 + 5s, 1.0), 1s);
    EXPECT_EQ(b.storm_level(), 0u);
}

TEST(reconnect_backoff, accept_and_drop_storm_slows_down_but_stays_under_the_cap) {
    reconnect_backoff b(1s, 120s);
    ASSERT_EQ(b.stable_after(), 10s);
    ASSERT_EQ(b.storm_cap(), 10s);
    time_point now = t0;
    std::vector<std::chrono::milliseconds> delays;
    for (int i = 0; i < 20; ++i) {
        b.on_accepted(now);
        now += 50ms;  // the broker drops us at once
        const auto d = b.after_drop(now, 1.0);
        delays.push_back(d);
        now += d;
    }
    EXPECT_EQ(delays[0], 2s);
    EXPECT_EQ(delays[1], 4s);
    EXPECT_EQ(delays[2], 8s);
    for (std::size_t i = 3; i < delays.size(); ++i) EXPECT_EQ(delays[i], 10s) << i;
    // With the least jitter the storm still runs at most once per 5 s: cap/2.
    b.on_accepted(now);
    EXPECT_EQ(b.after_drop(now + 50ms, 0.0), 5s);
}

TEST(reconnect_backoff, a_long_outage_after_a_drop_still_backs_off_to_max) {
    reconnect_backoff b(1s, 120s);
    b.on_accepted(t0);
    EXPECT_EQ(b.after_drop(t0 + 1h, 1.0), 1s);
    std::chrono::milliseconds d{};
    for (int i = 0; i < 12; ++i) d = b.after_failure(1.0);
    EXPECT_EQ(d, 120s);
}

TEST(reconnect_backoff, an_outage_after_a_storm_drop_is_its_own_series) {
    reconnect_backoff b(1s, 120s);
    time_point now = t0;
    for (int i = 0; i < 5; ++i) {
        b.on_accepted(now);
        now += 1s;
        now += b.after_drop(now, 1.0);
    }
    ASSERT_EQ(b.storm_level(), 4u);
    EXPECT_EQ(b.after_failure(1.0), 2s);  // the broker is down: doubling from the start
    EXPECT_EQ(b.after_failure(1.0), 4s);
    b.on_accepted(now);
    EXPECT_EQ(b.after_drop(now + 1s, 1.0), 10s);  // still the storm level, capped
}

TEST(reconnect_backoff, connack_refused_is_a_failure_not_an_acceptance) {
    // The client reports a refused CONNACK through after_failure (it never calls on_accepted).
    reconnect_backoff b(1s, 120s);
    for (int i = 0; i < 12; ++i) b.after_failure(1.0);
    EXPECT_EQ(b.after_failure(1.0), 120s);
    EXPECT_EQ(b.storm_level(), 0u);
}

TEST(reconnect_backoff, limits_follow_min_and_max) {
    reconnect_backoff small(100ms, 500ms);
    EXPECT_EQ(small.stable_after(), 10s);
    EXPECT_EQ(small.storm_cap(), 500ms);  // never beyond max
    reconnect_backoff big(30s, 120s);
    EXPECT_EQ(big.stable_after(), 30s);  // never shorter than min
    EXPECT_EQ(big.storm_cap(), 30s);
    big.set_limits(1s, 60s);
    EXPECT_EQ(big.storm_cap(), 10s);
}

namespace {

// A broker that is up on [start, stop) windows and down otherwise. Connections are accepted
// while it is up and last until it goes down.
struct flapping_broker {
    std::vector<std::pair<std::chrono::milliseconds, std::chrono::milliseconds>> up;  // from t0
    std::optional<std::chrono::milliseconds> down_at(std::chrono::milliseconds t) const {
        for (const auto& [start, stop] : up) {
            if (t >= start && t < stop) return stop;
        }
        return std::nullopt;  // down now
    }
};

// Runs a client with `b` against `broker` from t0 until `until`; returns the time the client
// connected for the last time (the start of its last connection).
std::chrono::milliseconds last_connect(reconnect_backoff& b, const flapping_broker& broker,
                                       std::chrono::milliseconds until, double unit_random) {
    std::chrono::milliseconds t{0}, connected{-1};
    while (t < until) {
        if (auto stop = broker.down_at(t)) {
            connected = t;
            b.on_accepted(t0 + t);
            t = *stop;
            if (t >= until) break;
            t += b.after_drop(t0 + t, unit_random);
        } else {
            t += b.after_failure(unit_random);
        }
    }
    return connected;
}

}  // namespace

TEST(reconnect_backoff, a_broker_that_flapped_then_stayed_up_is_used_within_the_cap) {
    // Issue 9: after a few quick restarts the daemon waited 58.7 s for a healthy broker.
    // Up 2 s, down 0.5 s, six times; then up for good at 15 s.
    flapping_broker broker;
    for (int i = 0; i < 6; ++i) {
        const auto start = std::chrono::milliseconds(i * 2500);
        broker.up.emplace_back(start, start + 2s);
    }
    broker.up.emplace_back(15s, 1000s);
    for (double r : {0.0, 0.5, 1.0}) {
        reconnect_backoff b(1s, 120s);
        const auto back = last_connect(b, broker, 500s, r);
        EXPECT_GE(back, 15s) << r;
        EXPECT_LE(back, 15s + b.storm_cap()) << r;
    }
}
