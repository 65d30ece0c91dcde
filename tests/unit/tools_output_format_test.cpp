// piogate-sub -F: every %-code, widths, escapes, JSON, and the errors for a bad format.
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include <cstdlib>

#include "tools/cli_options.hpp"
#include "tools/output_format.hpp"

namespace piogate::tools {
namespace {

using namespace std::chrono_literals;

// 2020-05-06T22:12:00.000123456Z
const std::chrono::system_clock::time_point when =
    std::chrono::system_clock::time_point(std::chrono::seconds(1588803120)) + 123456ns;

class tools_output_format : public ::testing::Test {
protected:
    void SetUp() override {
        setenv("TZ", "UTC", 1);
        tzset();
    }
    std::string render(std::string_view format, const mqtt::properties* props = nullptr,
                       int qos = 0) {
        return output_format(format).render(
            {"a/b", "{\"v\":1}", qos, true, qos ? 7 : 0, props, when});
    }
};

TEST_F(tools_output_format, message_fields) {
    EXPECT_EQ(render("%t %p %q %r %m %l %x %X %%"),
              "a/b {\"v\":1} 0 1 0 7 7b2276223a317d 7B2276223A317D %");
    EXPECT_EQ(render("%m", nullptr, 1), "7");
}

TEST_F(tools_output_format, properties) {
    mqtt::properties p;
    p.content_type = "application/json";
    p.correlation_data = "cd";
    p.message_expiry_interval = 60;
    p.payload_format_indicator = 1;
    p.response_topic = "re/ply";
    p.user_properties = {{"k", "v"}, {"k", "w"}};
    p.subscription_identifiers = {3, 9};
    p.topic_alias = 2;
    EXPECT_EQ(render("%A|%C|%D|%E|%F|%P|%R|%S", &p),
              "2|application/json|cd|60|1|k:v k:w|re/ply|3,9");
    // Absent, and 3.1.1 (no properties at all): nothing, whatever the width.
    const mqtt::properties none;
    EXPECT_EQ(render("[%A|%C|%D|%E|%F|%P|%R|%S|%5E|%05E]", &none), "[|||||||||]");
    EXPECT_EQ(render("[%A|%C|%D|%E|%F|%P|%R|%S]"), "[|||||||]");
}

TEST_F(tools_output_format, widths_flags_and_maximum) {
    EXPECT_EQ(render("[%5t][%-5t][%05l][%-05l][%.1t][%4.2t][%3q]"),
              "[  a/b][a/b  ][00007][7    ][a][  a/][0]");
    mqtt::properties p;
    p.content_type = "application/json";
    p.message_expiry_interval = 60;
    EXPECT_EQ(render("[%.3C][%6E][%06E]", &p), "[app][    60][000060]");
}

TEST_F(tools_output_format, times_and_escapes) {
    EXPECT_EQ(render("%I"), "2020-05-06T22:12:00+0000");
    EXPECT_EQ(render("%U"), "1588803120.000123456");
    EXPECT_EQ(render("@Y-@m-@d @H:@M:@S.@N @@"), "2020-05-06 22:12:00.000123456 @");
    EXPECT_EQ(render("\\t\\n\\\\\\e"), "\t\n\\\x1b");
    EXPECT_EQ(render("a\\0b"), std::string("a\0b", 3));
}

TEST_F(tools_output_format, json) {
    EXPECT_EQ(render("%j"),
              "{\"tst\":\"2020-05-06T22:12:00.000123Z\",\"topic\":\"a/b\",\"qos\":0,\"retain\":1,"
              "\"payloadlen\":7,\"payload\":\"{\\\"v\\\":1}\"}");
    mqtt::properties p;
    p.content_type = "application/json";
    p.user_properties = {{"k", "v"}};
    p.message_expiry_interval = 60;
    EXPECT_EQ(
        render("%J", &p, 1),
        "{\"tst\":\"2020-05-06T22:12:00.000123Z\",\"topic\":\"a/b\",\"qos\":1,\"retain\":1,"
        "\"payloadlen\":7,\"mid\":7,\"properties\":{\"content-type\":\"application/json\","
        "\"user-properties\":{\"k\":\"v\"},\"message-expiry-interval\":60},\"payload\":{\"v\":1}}");
    const output_format f("%J");
    EXPECT_THROW(f.render({"t", "not json", 0, false, 0, nullptr, when}), std::invalid_argument);
    const std::string escaped =
        output_format("%j").render({"t", "a\"\n\x01", 0, false, 0, nullptr, when});
    EXPECT_TRUE(escaped.ends_with(",\"payload\":\"a\\\"\\n\\u0001\"}")) << escaped;
}

TEST_F(tools_output_format, bad_formats_are_usage_errors) {
    EXPECT_THROW(output_format("%Q"), usage_error);
    EXPECT_THROW(output_format("abc%"), usage_error);
    EXPECT_THROW(output_format("%-5"), usage_error);
    EXPECT_THROW(output_format("x@"), usage_error);
    EXPECT_THROW(output_format("\\q"), usage_error);
    EXPECT_THROW(output_format("\\"), usage_error);
    try {
        output_format("%Q");
    } catch (const usage_error& e) {
        EXPECT_STREQ(e.what(), "-F: invalid format specifier 'Q'");
    }
}

}  // namespace
}  // namespace piogate::tools
