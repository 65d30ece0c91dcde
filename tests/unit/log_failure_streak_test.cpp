#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include "log/failure_streak.hpp"

namespace {

using piogate::log::failure_streak;

TEST(failure_streak, starts_clean) {
    failure_streak s;
    EXPECT_EQ(s.count(), 0);
    EXPECT_FALSE(s.failing());
    EXPECT_FALSE(s.on_success());  // no streak to end
}

TEST(failure_streak, logs_the_first_failure_only) {
    failure_streak s;
    EXPECT_TRUE(s.on_failure());
    EXPECT_FALSE(s.on_failure());
    EXPECT_FALSE(s.on_failure());
    EXPECT_EQ(s.count(), 3);
    EXPECT_TRUE(s.failing());
}

TEST(failure_streak, success_ends_the_streak_once) {
    failure_streak s;
    s.on_failure();
    s.on_failure();
    EXPECT_TRUE(s.on_success());
    EXPECT_EQ(s.count(), 0);
    EXPECT_EQ(s.last_streak(), 2);
    EXPECT_FALSE(s.on_success());
    EXPECT_FALSE(s.failing());
}

TEST(failure_streak, a_new_streak_is_logged_again) {
    failure_streak s;
    EXPECT_TRUE(s.on_failure());
    EXPECT_TRUE(s.on_success());
    EXPECT_TRUE(s.on_failure());
    EXPECT_FALSE(s.on_failure());
    EXPECT_EQ(s.count(), 2);
    EXPECT_EQ(s.last_streak(), 1);
}

}  // namespace
