// util::clock: the manual clock moves only when advanced or slept on, forward only; the real
// one is the steady clock.
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include <thread>

#include "util/clock.hpp"

using namespace std::chrono_literals;
namespace util = piogate::util;

TEST(manual_clock, moves_only_when_advanced) {
    util::manual_clock c;
    const auto start = c.now();
    EXPECT_GT(start.time_since_epoch(), 1h);  // room to subtract an interval
    EXPECT_EQ(c.now(), start);
    c.advance(1500us);
    EXPECT_EQ(c.now() - start, 1500us);
}

TEST(manual_clock, sleeping_moves_it_to_the_time_slept_for_and_never_back) {
    util::manual_clock c;
    const auto start = c.now();
    c.sleep_until(start + 12500us);
    EXPECT_EQ(c.now() - start, 12500us);
    c.sleep_until(start + 1ms);  // already past: no wait, no move
    EXPECT_EQ(c.now() - start, 12500us);
}

TEST(manual_clock, sleepers_on_two_threads_leave_it_at_the_later_time) {
    util::manual_clock c;
    const auto start = c.now();
    std::thread a([&] {
        for (int i = 1; i <= 1000; ++i) c.sleep_until(start + i * 2us);
    });
    std::thread b([&] {
        for (int i = 1; i <= 1000; ++i) c.sleep_until(start + i * 1us);
    });
    a.join();
    b.join();
    EXPECT_EQ(c.now() - start, 2000us);
}

TEST(real_clock, is_the_steady_clock) {
    const auto before = std::chrono::steady_clock::now();
    const auto now = util::real_clock().now();
    EXPECT_GE(now, before);
    EXPECT_LE(now, std::chrono::steady_clock::now());
    util::real_clock().sleep_until(now + 1ms);
    EXPECT_GE(std::chrono::steady_clock::now(), now + 1ms);
}
