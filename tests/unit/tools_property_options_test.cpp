// The tools' -D parsing: which command takes which property, values and ranges, and the
// 3-or-4-token option through Program_options.
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include "tools/cli_options.hpp"
#include "tools/property_options.hpp"

namespace piogate::tools {
namespace {

using args = std::vector<std::vector<std::string>>;

std::string error_of(const args& a, tool_kind tool = tool_kind::pub) {
    try {
        parse_property_args(a, tool);
    } catch (const usage_error& e) {
        return e.what();
    }
    return "(no error)";
}

TEST(tools_property_options, publish_properties_land_in_publish) {
    const auto o = parse_property_args({{"publish", "content-type", "application/json"},
                                        {"PUBLISH", "Message-Expiry-Interval", "60"},
                                        {"publish", "user-property", "k", "v"},
                                        {"publish", "user-property", "k", "w"},
                                        {"publish", "response-topic", "re/ply"},
                                        {"publish", "correlation-data", "x\x01y"},
                                        {"publish", "payload-format-indicator", "1"}},
                                       tool_kind::pub);
    EXPECT_TRUE(o.any);
    EXPECT_EQ(o.publish.content_type, "application/json");
    EXPECT_EQ(o.publish.message_expiry_interval, 60u);
    const std::vector<std::pair<std::string, std::string>> users{{"k", "v"}, {"k", "w"}};
    EXPECT_EQ(o.publish.user_properties, users);
    EXPECT_EQ(o.publish.response_topic, "re/ply");
    EXPECT_EQ(o.publish.correlation_data, "x\x01y");
    EXPECT_EQ(o.publish.payload_format_indicator, 1);
    EXPECT_TRUE(o.connect.user_properties.empty());
}

TEST(tools_property_options, connect_will_subscribe_and_disconnect) {
    const auto o = parse_property_args({{"connect", "session-expiry-interval", "3600"},
                                        {"connect", "receive-maximum", "10"},
                                        {"connect", "maximum-packet-size", "4096"},
                                        {"connect", "topic-alias-maximum", "5"},
                                        {"connect", "request-problem-information", "0"},
                                        {"connect", "request-response-information", "1"},
                                        {"connect", "user-property", "a", "b"},
                                        {"will", "will-delay-interval", "30"},
                                        {"will", "content-type", "text/plain"},
                                        {"subscribe", "subscription-identifier", "7"},
                                        {"subscribe", "user-property", "s", "t"},
                                        {"disconnect", "session-expiry-interval", "0"}},
                                       tool_kind::sub);
    EXPECT_EQ(o.connect.session_expiry_interval, 3600u);
    EXPECT_EQ(o.connect.receive_maximum, 10);
    EXPECT_EQ(o.maximum_packet_size, 4096u);
    EXPECT_EQ(o.connect.topic_alias_maximum, 5);
    EXPECT_EQ(o.connect.request_problem_information, false);
    EXPECT_EQ(o.connect.request_response_information, true);
    ASSERT_EQ(o.connect.user_properties.size(), 1u);
    EXPECT_EQ(o.connect.will_properties.will_delay_interval, 30u);
    EXPECT_EQ(o.connect.will_properties.content_type, "text/plain");
    EXPECT_TRUE(o.any_will);
    EXPECT_EQ(o.subscribe.subscription_identifiers, std::vector<std::uint32_t>{7});
    ASSERT_EQ(o.subscribe.user_properties.size(), 1u);
    EXPECT_EQ(o.disconnect.session_expiry_interval, 0u);
}

TEST(tools_property_options, nothing_given_is_nothing_set) {
    const auto o = parse_property_args({}, tool_kind::pub);
    EXPECT_FALSE(o.any);
    EXPECT_TRUE(o.publish.empty());
}

TEST(tools_property_options, wrong_command_for_the_property_is_refused) {
    EXPECT_EQ(
        error_of({{"publish", "session-expiry-interval", "1"}}),
        "-D publish: 'session-expiry-interval' is not a property publish takes here (see --help)");
    EXPECT_EQ(error_of({{"connect", "content-type", "x"}}),
              "-D connect: 'content-type' is not a property connect takes here (see --help)");
    EXPECT_EQ(
        error_of({{"publish", "will-delay-interval", "1"}}),
        "-D publish: 'will-delay-interval' is not a property publish takes here (see --help)");
    EXPECT_EQ(error_of({{"subscribe", "user-property", "a", "b"}}, tool_kind::pub),
              "-D subscribe: piogate-pub subscribes to nothing");
    EXPECT_EQ(error_of({{"publish", "content-type", "a"}}, tool_kind::sub),
              "-D publish: piogate-sub publishes nothing");
    EXPECT_EQ(error_of({{"bogus", "content-type", "a"}}),
              "-D: unknown command 'bogus' (connect, publish, subscribe, disconnect or will)");
    EXPECT_EQ(error_of({{"pubrel", "user-property", "a", "b"}}),
              "-D pubrel: no property of this command can be set here");
    EXPECT_EQ(error_of({{"publish", "topic-alias", "1"}}),
              "-D publish topic-alias: piogate-pub does not take a topic alias (the client assigns "
              "them)");
}

TEST(tools_property_options, bad_numbers_name_the_property_and_the_range) {
    EXPECT_EQ(error_of({{"publish", "message-expiry-interval", "abc"}}),
              "invalid value 'abc' for -D publish message-expiry-interval (must be 0..4294967295)");
    EXPECT_EQ(error_of({{"publish", "message-expiry-interval", "-1"}}),
              "invalid value '-1' for -D publish message-expiry-interval (must be 0..4294967295)");
    EXPECT_EQ(error_of({{"publish", "message-expiry-interval", "4294967296"}}),
              "invalid value '4294967296' for -D publish message-expiry-interval (must be "
              "0..4294967295)");
    EXPECT_EQ(error_of({{"publish", "message-expiry-interval", "12x"}}),
              "invalid value '12x' for -D publish message-expiry-interval (must be 0..4294967295)");
    EXPECT_EQ(error_of({{"publish", "message-expiry-interval", ""}}),
              "invalid value '' for -D publish message-expiry-interval (must be 0..4294967295)");
    EXPECT_EQ(error_of({{"publish", "payload-format-indicator", "2"}}),
              "invalid value '2' for -D publish payload-format-indicator (must be 0..1)");
    EXPECT_EQ(error_of({{"connect", "receive-maximum", "0"}}),
              "invalid value '0' for -D connect receive-maximum (must be 1..65535)");
    EXPECT_EQ(error_of({{"connect", "topic-alias-maximum", "65536"}}),
              "invalid value '65536' for -D connect topic-alias-maximum (must be 0..65535)");
    EXPECT_EQ(error_of({{"subscribe", "subscription-identifier", "0"}}, tool_kind::sub),
              "invalid value '0' for -D subscribe subscription-identifier (must be 1..268435455)");
}

TEST(tools_property_options, token_counts_and_texts) {
    EXPECT_EQ(error_of({{"publish", "content-type"}}),
              "-D needs COMMAND PROPERTY VALUE (or COMMAND user-property NAME VALUE)");
    EXPECT_EQ(error_of({{"publish", "user-property", "k"}}),
              "-D publish user-property needs a NAME and a VALUE");
    EXPECT_EQ(error_of({{"publish", "content-type", "a", "b"}}),
              "-D publish content-type needs one VALUE");
    EXPECT_EQ(error_of({{"publish", "content-type", "\xff"}}),
              "invalid value for -D publish content-type (not UTF-8, or contains U+0000)");
    EXPECT_EQ(error_of({{"publish", "response-topic", "a/#"}}),
              "invalid topic 'a/#' for -D publish response-topic (empty, not UTF-8, or contains "
              "'+' or '#')");
}

// Through Program_options: -D takes its tokens even when they look like options or numbers.
po::variables_map parse(std::vector<const char*> argv) {
    argv.insert(argv.begin(), "piogate-pub");
    po::options_description d = connection_option_descriptions();
    d.add_options()("topic,t", po::value<std::string>(), "")("message,m", po::value<std::string>(),
                                                             "");
    return parse_command_line(static_cast<int>(argv.size()), argv.data(), d);
}

std::vector<std::vector<std::string>> groups(const po::variables_map& vm) {
    std::vector<std::vector<std::string>> out;
    for (const auto& v : vm["property"].as<std::vector<std::string>>())
        out.push_back(split_property_value(v));
    return out;
}

TEST(tools_property_options, command_line_groups_three_and_four_tokens) {
    const auto vm = parse({"-V", "5", "-D", "publish", "user-property", "-k", "-v", "-t", "a",
                           "--property", "publish", "content-type", "-m", "-m", "hi"});
    const args want{{"publish", "user-property", "-k", "-v"}, {"publish", "content-type", "-m"}};
    EXPECT_EQ(groups(vm), want);
    EXPECT_EQ(vm["topic"].as<std::string>(), "a");
    EXPECT_EQ(vm["message"].as<std::string>(), "hi");
}

TEST(tools_property_options, command_line_short_d_at_the_end_is_reported) {
    const auto vm = parse({"-V", "5", "-t", "a", "-D", "publish"});
    EXPECT_EQ(groups(vm), (args{{"publish"}}));
    EXPECT_THROW(connection_options_from(vm, tool_kind::pub), usage_error);
}

TEST(tools_property_options, needs_v5_and_fills_the_client_options) {
    try {
        connection_options_from(parse({"-t", "a", "-D", "publish", "content-type", "x"}),
                                tool_kind::pub);
        ADD_FAILURE() << "no error";
    } catch (const usage_error& e) {
        EXPECT_STREQ(e.what(), "-D (MQTT 5 properties) needs -V 5");
    }
    EXPECT_THROW(
        connection_options_from(parse({"-V", "mqttv311", "-D", "connect", "receive-maximum", "3"}),
                                tool_kind::pub),
        usage_error);
    const auto o = connection_options_from(
        parse({"-V", "mqttv5", "-D", "connect", "receive-maximum", "3", "-D", "connect",
               "maximum-packet-size", "1000", "-D", "publish", "content-type", "x"}),
        tool_kind::pub);
    EXPECT_EQ(o.client.protocol, mqtt::protocol_version::v5);
    EXPECT_EQ(o.client.mqtt5.receive_maximum, 3);
    EXPECT_EQ(o.client.max_packet_size, 1000u);
    EXPECT_FALSE(o.client.mqtt5.session_expiry_interval.has_value());
    EXPECT_EQ(o.properties.publish.content_type, "x");
}

TEST(tools_property_options, persistent_session_defaults_to_never_expiring) {
    const auto o = connection_options_from(parse({"-V", "5", "-c", "-i", "me"}), tool_kind::pub);
    EXPECT_EQ(o.client.mqtt5.session_expiry_interval, 0xFFFFFFFFu);
    const auto p = connection_options_from(
        parse({"-V", "5", "-c", "-i", "me", "-D", "connect", "session-expiry-interval", "60"}),
        tool_kind::pub);
    EXPECT_EQ(p.client.mqtt5.session_expiry_interval, 60u);
    EXPECT_THROW(
        connection_options_from(
            parse({"-V", "5", "-D", "disconnect", "session-expiry-interval", "5"}), tool_kind::pub),
        usage_error);
    EXPECT_THROW(connection_options_from(parse({"-V", "5", "-D", "will", "content-type", "x"}),
                                         tool_kind::pub),
                 usage_error);
    const auto w = connection_options_from(
        parse({"-V", "5", "--will-topic", "w", "-D", "will", "will-delay-interval", "9"}),
        tool_kind::pub);
    EXPECT_EQ(w.client.mqtt5.will_properties.will_delay_interval, 9u);
}

}  // namespace
}  // namespace piogate::tools
