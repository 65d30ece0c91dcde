// A JSON command payload with a key given twice is refused like any other bad payload.
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include "app/command.hpp"

using piogate::app::parse_command;

TEST(command_duplicate_key, two_states_are_refused_not_last_wins) {
    std::string why;
    EXPECT_FALSE(parse_command(R"({"state":"ON","state":"OFF"})", why));
    EXPECT_EQ(why, "duplicate key \"state\"");
    EXPECT_FALSE(parse_command(R"({"state":"ON","duration_ms":500,"duration_ms":5})", why));
    EXPECT_EQ(why, "duplicate key \"duration_ms\"");
}

TEST(command_duplicate_key, long_keys_are_truncated_in_the_reason) {
    std::string why;
    const std::string key(60000, 'k');
    EXPECT_FALSE(parse_command("{\"" + key + "\":1,\"" + key + "\":2}", why));
    EXPECT_LT(why.size(), 120u) << why;
    EXPECT_FALSE(parse_command("{\"state\":\"ON\",\"" + key + "\":1}", why));
    EXPECT_LT(why.size(), 120u) << why;
}

TEST(command_duplicate_key, unique_keys_still_work) {
    std::string why;
    auto c = parse_command(R"({"state":"ON","duration_ms":500})", why);
    ASSERT_TRUE(c) << why;
    EXPECT_EQ(c->pulse, std::chrono::milliseconds(500));
}
