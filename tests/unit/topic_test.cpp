// Topic names, filters and wildcard matching (MQTT 3.1.1 sections 4.7 and 1.5.3).
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include "piogate/mqtt/topic.hpp"

using namespace piogate::mqtt;

TEST(topic_matches_sub, table) {
    struct row {
        const char* filter;
        const char* topic;
        bool match;
    };
    const row rows[] = {
        {"sport/tennis/player1/#", "sport/tennis/player1", true},
        {"sport/tennis/player1/#", "sport/tennis/player1/ranking", true},
        {"sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon", true},
        {"sport/#", "sport", true},
        {"#", "sport/tennis", true},
        {"#", "/", true},
        {"sport/tennis/#", "sport/tennis", true},
        {"sport/tennis/+", "sport/tennis/player1", true},
        {"sport/tennis/+", "sport/tennis/player1/ranking", false},
        {"sport/+", "sport", false},
        {"sport/+", "sport/", true},
        {"+/+", "/finance", true},
        {"/+", "/finance", true},
        {"+", "/finance", false},
        {"+", "finance", true},
        {"a/b/c", "a/b/c", true},
        {"a/b/c", "a/b", false},
        {"a/b", "a/b/c", false},
        {"a/+/c", "a/x/c", true},
        {"a/+/c", "a//c", true},
        {"+/+/+", "a/b", false},
        {"#", "$SYS/broker", false},
        {"+/broker", "$SYS/broker", false},
        {"$SYS/#", "$SYS/broker", true},
        {"$SYS/+", "$SYS/broker", true},
        {"a/#", "a", true},
        {"a/+/#", "a/b", true},
        {"a/+/#", "a", false},
        {"A", "a", false},
    };
    for (const auto& r : rows) {
        EXPECT_EQ(topic_matches_sub(r.filter, r.topic), r.match)
            << "filter '" << r.filter << "' topic '" << r.topic << "'";
    }
}

TEST(topic_rules, names_and_filters) {
    EXPECT_TRUE(is_valid_topic_name("a/b"));
    EXPECT_TRUE(is_valid_topic_name("/"));
    EXPECT_FALSE(is_valid_topic_name(""));
    EXPECT_FALSE(is_valid_topic_name("a/+"));
    EXPECT_FALSE(is_valid_topic_name("a/#"));
    EXPECT_FALSE(is_valid_topic_name(std::string_view("a\0b", 3)));
    EXPECT_FALSE(is_valid_topic_name(std::string(65536, 'a')));
    EXPECT_TRUE(is_valid_topic_name(std::string(65535, 'a')));

    EXPECT_TRUE(is_valid_topic_filter("#"));
    EXPECT_TRUE(is_valid_topic_filter("+"));
    EXPECT_TRUE(is_valid_topic_filter("a/+/b/#"));
    EXPECT_TRUE(is_valid_topic_filter("+/+"));
    EXPECT_FALSE(is_valid_topic_filter("a/#/b"));
    EXPECT_FALSE(is_valid_topic_filter("a#"));
    EXPECT_FALSE(is_valid_topic_filter("a/b+"));
    EXPECT_FALSE(is_valid_topic_filter("+a"));
    EXPECT_FALSE(is_valid_topic_filter(""));
}

TEST(topic_rules, utf8) {
    EXPECT_TRUE(is_valid_utf8("h\xC3\xA9llo"));              // é
    EXPECT_TRUE(is_valid_utf8("\xF0\x9F\x98\x80"));          // U+1F600
    EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));                 // overlong '/'
    EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));             // surrogate U+D800
    EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));         // above U+10FFFF
    EXPECT_FALSE(is_valid_utf8("\xC3"));                     // truncated
    EXPECT_FALSE(is_valid_utf8("\x80"));                     // lone continuation
    EXPECT_FALSE(is_valid_utf8(std::string_view("\0", 1)));  // U+0000
}
