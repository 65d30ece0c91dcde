// publish_limits: what a 5.0 CONNACK allows, packed for the Paho face's callers, and the check.
#include "mqtt/publish_limits.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "piogate/mqtt/error.hpp"

namespace mqtt = piogate::mqtt;

TEST(publish_limits, survive_packing_and_none_refuse_nothing) {
    mqtt::properties connack;
    connack.maximum_qos = 1;
    connack.retain_available = 0;
    connack.maximum_packet_size = 123456;
    connack.topic_alias_maximum = 5;
    const auto l = mqtt::publish_limits::from_connack(connack, 10);
    const auto back = mqtt::publish_limits::unpack(l.pack());
    EXPECT_TRUE(back.v5);
    EXPECT_EQ(back.maximum_qos, 1);
    EXPECT_FALSE(back.retain_available);
    EXPECT_EQ(back.maximum_packet_size, 123456u);
    EXPECT_TRUE(back.alias_room);
    EXPECT_FALSE(mqtt::publish_limits::from_connack(connack, 0).alias_room);  // we offer none
    EXPECT_FALSE(mqtt::publish_limits::unpack(0).v5);
    EXPECT_FALSE(
        mqtt::check_publish(mqtt::publish_limits::unpack(0), "t", 1u << 20, 2, true, nullptr));
}

TEST(publish_limits, refuse_what_the_connack_does_not_allow) {
    mqtt::properties connack;
    connack.maximum_qos = 1;
    connack.retain_available = 0;
    connack.maximum_packet_size = 100;
    const auto l = mqtt::publish_limits::from_connack(connack, 0);
    EXPECT_EQ(mqtt::check_publish(l, "t", 10, 2, false, nullptr), std::errc::not_supported);
    EXPECT_EQ(mqtt::check_publish(l, "t", 10, 1, true, nullptr), std::errc::not_supported);
    EXPECT_FALSE(mqtt::check_publish(l, "t", 10, 1, false, nullptr));
    // 1 + 1 (length) + 2 + 1 (topic) + 2 (id) + 1 (no properties) + payload = 100 at 92 bytes.
    EXPECT_EQ(mqtt::publish_packet_size(true, "t", 92, 1, nullptr, false), 100u);
    EXPECT_FALSE(mqtt::check_publish(l, "t", 92, 1, false, nullptr));
    EXPECT_EQ(mqtt::check_publish(l, "t", 93, 1, false, nullptr), mqtt::errc::packet_too_large);
    mqtt::properties props;
    props.content_type = "a";  // 1 + 2 + 1 bytes more
    EXPECT_EQ(mqtt::check_publish(l, "t", 92, 1, false, &props), mqtt::errc::packet_too_large);
}

TEST(publish_limits, name_the_reason_a_publish_was_refused) {
    mqtt::properties connack;
    connack.maximum_qos = 1;
    connack.retain_available = 0;
    const auto l = mqtt::publish_limits::from_connack(connack, 0);
    const auto ns = std::make_error_code(std::errc::not_supported);
    EXPECT_EQ(mqtt::refusal_reason(l, 2, true, ns), mqtt::reason_code::qos_not_supported);
    EXPECT_EQ(mqtt::refusal_reason(l, 1, true, ns), mqtt::reason_code::retain_not_supported);
    EXPECT_EQ(mqtt::refusal_reason(l, 0, false, make_error_code(mqtt::errc::packet_too_large)),
              mqtt::reason_code::packet_too_large);
    EXPECT_EQ(mqtt::refusal_reason(l, 0, false, make_error_code(mqtt::errc::queue_full)),
              mqtt::reason_code::quota_exceeded);
}
