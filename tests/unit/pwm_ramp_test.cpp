// The PWM ramp on virtual time: positions, step times, the step bound, jumps.
#include "app/pwm_ramp.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

namespace piogate::app {
namespace {

using namespace std::chrono_literals;

TEST(PwmRamp, LinearFromTo) {
    pwm_ramp r(0, 100, 2s);
    EXPECT_DOUBLE_EQ(r.at(0s), 0);
    EXPECT_DOUBLE_EQ(r.at(500ms), 25);
    EXPECT_DOUBLE_EQ(r.at(1s), 50);
    EXPECT_DOUBLE_EQ(r.at(2s), 100);
    EXPECT_DOUBLE_EQ(r.at(3s), 100);
    EXPECT_FALSE(r.done(1999ms));
    EXPECT_TRUE(r.done(2s));
    pwm_ramp down(80, 20, 600ms);
    EXPECT_DOUBLE_EQ(down.at(300ms), 50);
}

TEST(PwmRamp, StepsEvery20msAndTheLastLandsOnTheEnd) {
    pwm_ramp r(0, 100, 1010ms);
    std::vector<std::chrono::nanoseconds> steps;
    std::chrono::nanoseconds t = 0ns;
    while (!r.done(t)) {
        t = r.next_step(t);
        steps.push_back(t);
        ASSERT_LT(steps.size(), 1000u);
    }
    ASSERT_EQ(steps.size(), 51u);
    EXPECT_EQ(steps.front(), 20ms);
    EXPECT_EQ(steps[49], 1000ms);
    EXPECT_EQ(steps.back(), 1010ms);
}

TEST(PwmRamp, ASmallSlowRampStepsLess) {
    pwm_ramp r(50, 51, 10s);  // 1 % over 10 s: one step per 0.1 % = 1 s
    EXPECT_EQ(r.next_step(0s), 1s);
    EXPECT_EQ(r.next_step(1500ms), 2s);
    EXPECT_DOUBLE_EQ(r.at(5s), 50.5);
}

TEST(PwmRamp, NoDurationIsAJump) {
    pwm_ramp r(10, 90, 0s);
    EXPECT_TRUE(r.done(0s));
    EXPECT_DOUBLE_EQ(r.at(0s), 90);
    EXPECT_EQ(r.next_step(0s), 0s);
    pwm_ramp n(10, 90, -5s);
    EXPECT_TRUE(n.done(0s));
}

}  // namespace
}  // namespace piogate::app
