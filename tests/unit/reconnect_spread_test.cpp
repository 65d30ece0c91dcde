// The first wait after a lost connection with a reconnect spread (fleets).
#include "mqtt/reconnect_spread.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <limits>
#include <random>
#include <set>

#include "util/backoff.hpp"

using piogate::mqtt::first_delay_after_drop;
using namespace std::chrono_literals;

TEST(reconnect_spread, off_keeps_the_backoff_delay) {
    EXPECT_EQ(first_delay_after_drop(1000ms, false, 0ms, 0.7), 1000ms);
    EXPECT_EQ(first_delay_after_drop(4000ms, true, 0ms, 0.0), 4000ms);
}

TEST(reconnect_spread, uniform_over_zero_to_spread_instead_of_the_backoff) {
    EXPECT_EQ(first_delay_after_drop(1000ms, false, 2000ms, 0.0), 0ms);
    EXPECT_EQ(first_delay_after_drop(1000ms, false, 2000ms, 0.25), 500ms);
    EXPECT_EQ(first_delay_after_drop(1000ms, false, 2000ms, 1.0), 2000ms);
    // Out-of-range randomness is clamped, never a negative or longer wait.
    EXPECT_EQ(first_delay_after_drop(1000ms, false, 2000ms, -3.0), 0ms);
    EXPECT_EQ(first_delay_after_drop(1000ms, false, 2000ms, 7.0), 2000ms);
    EXPECT_EQ(
        first_delay_after_drop(1000ms, false, 2000ms, std::numeric_limits<double>::quiet_NaN()),
        0ms);
}

TEST(reconnect_spread, never_sooner_than_the_backoff_during_a_storm) {
    EXPECT_EQ(first_delay_after_drop(4000ms, true, 2000ms, 0.1), 4000ms);
    EXPECT_EQ(first_delay_after_drop(1000ms, true, 2000ms, 0.9), 1800ms);
}

TEST(reconnect_spread, a_fleet_is_spread_over_the_whole_interval) {
    // 10 000 clients dropped at once by a healthy broker: without a spread every one waits
    // reconnect_min_delay exactly; with 60 s each second of the interval gets about 1/60.
    piogate::util::reconnect_backoff policy(1000ms, 120000ms);
    const auto now = piogate::util::reconnect_backoff::clock::now();
    std::mt19937 rng(42);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    std::set<long long> without;
    std::vector<int> per_second(61, 0);
    for (int i = 0; i < 10000; ++i) {
        policy.on_accepted(now - 60s);
        const auto backoff = policy.after_drop(now, unit(rng));
        without.insert(
            first_delay_after_drop(backoff, policy.storm_level() > 0, 0ms, unit(rng)).count());
        const auto d =
            first_delay_after_drop(backoff, policy.storm_level() > 0, 60000ms, unit(rng));
        ASSERT_GE(d, 0ms);
        ASSERT_LE(d, 60000ms);
        ++per_second[d.count() / 1000];
    }
    EXPECT_EQ(without, std::set<long long>{1000});  // one burst
    for (int s = 0; s < 60; ++s) {
        EXPECT_GT(per_second[s], 100) << "second " << s;  // about 167 each
        EXPECT_LT(per_second[s], 250) << "second " << s;
    }
}
