// What the config may put into MQTT packets: topic prefix, client id, user name
// (config/mqtt_names.hpp), and the config parser refusing the rest at the JSON path.
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include "config/config.hpp"
#include "config/mqtt_names.hpp"

using namespace piogate::config;

namespace {

std::string error_of(const std::string& text) {
    try {
        parse_config(json::parse(text));
    } catch (const config_error& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST(mqtt_names, text_is_utf8_without_nul_or_controls) {
    EXPECT_EQ(text_problem("home/küche/€/𝄞"), "");
    EXPECT_EQ(text_problem(""), "");
    EXPECT_EQ(text_problem(std::string("a\0b", 3)), "contains U+0000 (byte 2), which MQTT forbids");
    EXPECT_EQ(text_problem("a\tb"), "contains the control character U+0009 (byte 2)");
    EXPECT_EQ(text_problem("ab\x7f"), "contains the control character U+007F (byte 3)");
    EXPECT_EQ(text_problem("a\xc2\x85"), "contains the control character U+0085 (byte 2)");  // NEL
    EXPECT_EQ(text_problem("a\xff"), "is not valid UTF-8 (byte 2)");
    EXPECT_EQ(text_problem("a\xc3"), "is not valid UTF-8 (byte 2)");             // truncated
    EXPECT_EQ(text_problem("a\xc3("), "is not valid UTF-8 (byte 3)");            // bad continuation
    EXPECT_EQ(text_problem("\xc0\xaf"), "is not valid UTF-8 (byte 1)");          // overlong '/'
    EXPECT_EQ(text_problem("\xed\xa0\x80"), "is not valid UTF-8 (byte 1)");      // surrogate
    EXPECT_EQ(text_problem("\xf4\x90\x80\x80"), "is not valid UTF-8 (byte 1)");  // > U+10FFFF
}

TEST(mqtt_names, topic_prefix_rules) {
    EXPECT_EQ(topic_problem("piogate/garage"), "");
    EXPECT_EQ(topic_problem("/leading/slash"), "");
    EXPECT_EQ(topic_problem(std::string(max_topic_prefix_bytes, 'a')), "");
    EXPECT_EQ(topic_problem(std::string(70000, 'a')),
              "is 70000 bytes long; at most 1024 are allowed");
    const std::string wildcard = "must be a topic without wildcards and without a trailing '/'";
    for (const char* bad : {"", "a/+/b", "a/#", "a/"})
        EXPECT_EQ(topic_problem(bad), wildcard) << bad;
    EXPECT_NE(topic_problem("$SYS/x").find("must not start with '$'"), std::string::npos);
    EXPECT_EQ(topic_problem("a$b"), "");
    EXPECT_EQ(topic_problem("a\nb"), "contains the control character U+000A (byte 2)");
}

TEST(mqtt_names, client_id_lengths_by_protocol) {
    EXPECT_EQ(client_id_problem("", "3.1.1"), "");
    EXPECT_EQ(client_id_problem(std::string(23, 'c'), "3.1"), "");
    EXPECT_EQ(client_id_problem(std::string(24, 'c'), "3.1"),
              "is 24 bytes long; at most 23 are allowed by MQTT 3.1");
    EXPECT_EQ(client_id_problem(std::string(128, 'c'), "3.1.1"), "");
    EXPECT_EQ(client_id_problem(std::string(70000, 'c'), "3.1.1"),
              "is 70000 bytes long; at most 128 are allowed");
    EXPECT_EQ(client_id_problem("a\x01", "3.1.1"),
              "contains the control character U+0001 (byte 2)");
    EXPECT_EQ(mqtt_string_problem(std::string(65536, 'u')),
              "is 65536 bytes long; at most 65535 are allowed");
}

TEST(mqtt_names, the_parser_refuses_at_the_path) {
    EXPECT_EQ(error_of(R"({"mqtt": {"topic_prefix": "$SYS/gw"}})")
                  .rfind("/mqtt/topic_prefix: must not start with '$'", 0),
              0u);
    EXPECT_EQ(error_of(R"({"mqtt": {"topic_prefix": "a\u0007b"}})"),
              "/mqtt/topic_prefix: contains the control character U+0007 (byte 2)");
    EXPECT_EQ(error_of(R"({"mqtt": {"client_id": ")" + std::string(70000, 'c') + "\"}}"),
              "/mqtt/client_id: is 70000 bytes long; at most 128 are allowed");
    EXPECT_EQ(error_of(R"({"mqtt": {"protocol": "3.1", "client_id": "a-client-id-of-24-bytes!"}})"),
              "/mqtt/client_id: is 24 bytes long; at most 23 are allowed by MQTT 3.1");
    EXPECT_EQ(error_of(R"({"mqtt": {"username": "a\u0000"}})"),
              "/mqtt/username: contains U+0000 (byte 2), which MQTT forbids");
    EXPECT_EQ(error_of(R"({"homeassistant": {"discovery_prefix": "$ha"}})")
                  .rfind("/homeassistant/discovery_prefix: \"$ha\" must not start with '$'", 0),
              0u);
    EXPECT_EQ(error_of(R"({"homeassistant": {"status_topic": ")" + std::string(2000, 's') + "\"}}"),
              "/homeassistant/status_topic: is 2000 bytes long; at most 1024 are allowed");
    EXPECT_EQ(error_of(R"({"mqtt": {"protocol": "3.1", "client_id": "gw", "topic_prefix": "t"}})"),
              "");
}
