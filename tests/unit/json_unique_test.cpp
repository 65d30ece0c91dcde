// Duplicate keys in JSON text are an error at the key's JSON pointer with both positions, in
// the config file and in command payloads alike (config::parse_json_unique).
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include "config/json_reader.hpp"
#include "config/json_unique.hpp"

using namespace piogate::config;

namespace {

// The duplicate_key_error `text` raises, or nullopt.
std::optional<duplicate_key_error> duplicate_in(const std::string& text) {
    try {
        parse_json_unique(text);
    } catch (const duplicate_key_error& e) {
        return e;
    }
    return std::nullopt;
}

}  // namespace

TEST(json_unique, unique_keys_parse_as_json_parse_does) {
    const std::string text = R"({"a": 1, "b": {"a": 2, "c": [{"a": 3}, {"a": 4}]}, "c": "x"})";
    EXPECT_EQ(parse_json_unique(text), nlohmann::json::parse(text));
    EXPECT_EQ(parse_json_unique("[1, 2, {\"k\": null}]"),
              nlohmann::json::parse("[1, 2, {\"k\": null}]"));
    EXPECT_EQ(parse_json_unique("42"), 42);
}

TEST(json_unique, repeated_key_names_pointer_and_both_positions) {
    const auto e =
        duplicate_in("{\n  \"mqtt\": {\n    \"port\": 1883,\n    \"port\": 1884\n  }\n}");
    ASSERT_TRUE(e);
    EXPECT_EQ(e->pointer(), "/mqtt/port");
    EXPECT_EQ(e->key(), "port");
    EXPECT_EQ(e->first().line, 3u);
    EXPECT_EQ(e->first().column, 5u);
    EXPECT_EQ(e->second().line, 4u);
    EXPECT_EQ(e->second().column, 5u);
    EXPECT_STREQ(e->what(),
                 "duplicate key \"port\" at line 4, column 5 (first at line 3, column 5)");
}

TEST(json_unique, a_second_empty_list_does_not_silently_win) {
    const auto e = duplicate_in(R"({"sensors": [{"id": "a"}], "mqtt": {}, "sensors": []})");
    ASSERT_TRUE(e);
    EXPECT_EQ(e->pointer(), "/sensors");
    EXPECT_EQ(e->first().column, 2u);
    EXPECT_EQ(e->second().column, 40u);
}

TEST(json_unique, pointers_inside_arrays_count_every_element) {
    const auto e =
        duplicate_in(R"({"sensors": [1, "two", [3], {"id": "a"}, {"id": "b", "id": "c"}]})");
    ASSERT_TRUE(e);
    EXPECT_EQ(e->pointer(), "/sensors/4/id");
    const auto top = duplicate_in(R"([{}, {"x": 1, "y": {}, "x": 2}])");
    ASSERT_TRUE(top);
    EXPECT_EQ(top->pointer(), "/1/x");
}

TEST(json_unique, keys_compare_decoded_and_pointers_are_escaped) {
    // "port" and "p\u006frt" are the same key once decoded.
    const auto e = duplicate_in(R"({"port": 1, "p\u006frt": 2})");
    ASSERT_TRUE(e);
    EXPECT_EQ(e->first().column, 2u);
    EXPECT_EQ(e->second().column, 13u);
    // A key with a quote and a backslash in it: the position is its opening quote.
    const auto q = duplicate_in(R"({"a\"b\\": 1, "a\"b\\": 2})");
    ASSERT_TRUE(q);
    EXPECT_EQ(q->second().column, 15u);
    const auto slash = duplicate_in(R"({"a/b~c": {"k": 1, "k": 2}})");
    ASSERT_TRUE(slash);
    EXPECT_EQ(slash->pointer(), "/a~1b~0c/k");
}

TEST(json_unique, syntax_errors_stay_syntax_errors) {
    EXPECT_THROW(parse_json_unique("{\"a\": 1,}"), nlohmann::json::parse_error);
    EXPECT_THROW(parse_json_unique(""), nlohmann::json::parse_error);
    EXPECT_THROW(parse_json_unique("{\"a\": 1e400}"), nlohmann::json::out_of_range);
}

TEST(json_unique, the_config_parser_reports_it_at_the_pointer_with_the_file) {
    try {
        parse_json("{\n  \"mqtt\": {\"port\": 1, \"port\": 2}\n}", "cfg.json");
        FAIL() << "accepted";
    } catch (const config_error& e) {
        EXPECT_EQ(e.path(), "/mqtt/port");
        EXPECT_STREQ(e.what(),
                     "cfg.json: /mqtt/port: duplicate key \"port\" at line 2, column 23 (first at "
                     "line 2, column 12)");
    }
}
