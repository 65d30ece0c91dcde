// The daemon's MQTT 5 settings: "protocol": "5", "session_expiry_s" and a sensor's "expiry_s"
// from the config into the client options and the readings' properties.
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include "app/gateway_client.hpp"
#include "config/config.hpp"

using namespace piogate;

namespace {

config::piogate_config parse(const std::string& text) {
    return config::parse_config(config::json::parse(text));
}

TEST(gateway_mqtt5, protocol_5_and_session_expiry_reach_the_client_options) {
    auto o = app::client_options_of(
        parse(R"({"mqtt": {"protocol": "5", "session_expiry_s": 600}})").mqtt);
    EXPECT_EQ(o.protocol, mqtt::protocol_version::v5);
    EXPECT_EQ(o.mqtt5.session_expiry_interval, 600u);
    o = app::client_options_of(parse(R"({"mqtt": {"protocol": "5.0"}})").mqtt);
    EXPECT_EQ(o.protocol, mqtt::protocol_version::v5);
    EXPECT_FALSE(o.mqtt5.session_expiry_interval.has_value());
    // A persistent session without an interval never expires, as 3.1.1's.
    o = app::client_options_of(
        parse(R"({"mqtt": {"protocol": "5", "client_id": "c", "clean_session": false}})").mqtt);
    EXPECT_EQ(o.mqtt5.session_expiry_interval, 0xFFFFFFFFu);
    EXPECT_FALSE(o.clean_session);
    o = app::client_options_of(parse(R"({"mqtt": {"protocol": "3.1.1"}})").mqtt);
    EXPECT_EQ(o.protocol, mqtt::protocol_version::v311);
    EXPECT_FALSE(o.mqtt5.session_expiry_interval.has_value());
}

TEST(gateway_mqtt5, readings_carry_content_type_and_the_sensors_expiry) {
    const auto c = parse(R"({"mqtt": {"protocol": "5", "topic_prefix": "gw"},
        "sensors": [{"id": "a", "type": "bme280", "bus": 1, "expiry_s": 90},
                    {"id": "b", "type": "sht3x", "bus": 1}]})");
    auto p = app::reading_properties(c, "gw/sensors/a");
    EXPECT_EQ(p.content_type, "application/json");
    EXPECT_EQ(p.message_expiry_interval, 90u);
    p = app::reading_properties(c, "gw/sensors/b");
    EXPECT_EQ(p.content_type, "application/json");
    EXPECT_FALSE(p.message_expiry_interval.has_value());
    // A buffered reading of a sensor no longer configured (or under an old prefix).
    p = app::reading_properties(c, "old/sensors/a");
    EXPECT_EQ(p.content_type, "application/json");
    EXPECT_FALSE(p.message_expiry_interval.has_value());
    EXPECT_FALSE(app::reading_properties(c, "gw/sensors/ab").message_expiry_interval.has_value());
}

TEST(gateway_mqtt5, no_properties_with_3_1_1) {
    const auto c = parse(
        R"({"mqtt": {"topic_prefix": "gw"}, "sensors": [{"id": "a", "type": "bme280", "bus": 1}]})");
    EXPECT_TRUE(app::reading_properties(c, "gw/sensors/a").empty());
}

TEST(gateway_mqtt5, expiry_needs_protocol_5) {
    try {
        parse(R"({"sensors": [{"id": "a", "type": "bme280", "bus": 1, "expiry_s": 90}]})");
        ADD_FAILURE() << "no error";
    } catch (const config::config_error& e) {
        EXPECT_EQ(e.path(), "/sensors/0/expiry_s");
    }
    try {
        parse(R"({"mqtt": {"session_expiry_s": 90}})");
        ADD_FAILURE() << "no error";
    } catch (const config::config_error& e) {
        EXPECT_EQ(e.path(), "/mqtt/session_expiry_s");
    }
}

}  // namespace
