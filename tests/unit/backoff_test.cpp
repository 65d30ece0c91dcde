#include "util/backoff.hpp"

#include <gtest/gtest.h>

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
