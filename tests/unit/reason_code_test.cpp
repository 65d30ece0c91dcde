// Reason codes and property names of MQTT 5.0: every defined value has the spec's text, the
// gaps do not, and the 3.1.1 CONNACK return codes map to their 5.0 meaning.
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include <set>
#include <string>

#include "piogate/mqtt/properties.hpp"
#include "piogate/mqtt/reason_code.hpp"

namespace piogate::mqtt {
namespace {

// (value, text) for every reason code of the spec's table (section 2.4).
const std::pair<int, const char*> all_codes[] = {
    {0x00, "Success"},
    {0x01, "Granted QoS 1"},
    {0x02, "Granted QoS 2"},
    {0x04, "Disconnect with Will Message"},
    {0x10, "No matching subscribers"},
    {0x11, "No subscription existed"},
    {0x18, "Continue authentication"},
    {0x19, "Re-authenticate"},
    {0x80, "Unspecified error"},
    {0x81, "Malformed Packet"},
    {0x82, "Protocol Error"},
    {0x83, "Implementation specific error"},
    {0x84, "Unsupported Protocol Version"},
    {0x85, "Client Identifier not valid"},
    {0x86, "Bad User Name or Password"},
    {0x87, "Not authorized"},
    {0x88, "Server unavailable"},
    {0x89, "Server busy"},
    {0x8A, "Banned"},
    {0x8B, "Server shutting down"},
    {0x8C, "Bad authentication method"},
    {0x8D, "Keep Alive timeout"},
    {0x8E, "Session taken over"},
    {0x8F, "Topic Filter invalid"},
    {0x90, "Topic Name invalid"},
    {0x91, "Packet Identifier in use"},
    {0x92, "Packet Identifier not found"},
    {0x93, "Receive Maximum exceeded"},
    {0x94, "Topic Alias invalid"},
    {0x95, "Packet too large"},
    {0x96, "Message rate too high"},
    {0x97, "Quota exceeded"},
    {0x98, "Administrative action"},
    {0x99, "Payload format invalid"},
    {0x9A, "Retain not supported"},
    {0x9B, "QoS not supported"},
    {0x9C, "Use another server"},
    {0x9D, "Server moved"},
    {0x9E, "Shared Subscriptions not supported"},
    {0x9F, "Connection rate exceeded"},
    {0xA0, "Maximum connect time"},
    {0xA1, "Subscription Identifiers not supported"},
    {0xA2, "Wildcard Subscriptions not supported"},
};

TEST(reason_code, every_defined_value_has_its_text) {
    for (const auto& [value, text] : all_codes) {
        const auto rc = static_cast<reason_code>(value);
        EXPECT_STREQ(to_string(rc), text) << value;
        EXPECT_TRUE(is_known(static_cast<std::uint8_t>(value))) << value;
        EXPECT_EQ(is_error(rc), value >= 0x80) << value;
    }
}

TEST(reason_code, gaps_are_unknown) {
    std::set<int> defined;
    for (const auto& [value, text] : all_codes) defined.insert(value);
    int unknown = 0;
    for (int v = 0; v < 256; ++v) {
        if (defined.count(v)) continue;
        EXPECT_FALSE(is_known(static_cast<std::uint8_t>(v))) << v;
        EXPECT_STREQ(to_string(static_cast<reason_code>(v)), "Unknown reason code") << v;
        ++unknown;
    }
    EXPECT_EQ(unknown, 256 - 43);
}

TEST(reason_code, aliases_share_values) {
    EXPECT_EQ(reason_code::normal_disconnection, reason_code::success);
    EXPECT_EQ(reason_code::granted_qos_0, reason_code::success);
    EXPECT_EQ(static_cast<int>(reason_code::topic_alias_invalid), 0x94);
    EXPECT_EQ(static_cast<int>(reason_code::session_taken_over), 0x8E);
}

TEST(reason_code, connack_v311_return_codes_map) {
    EXPECT_EQ(from_connack_v311(0), reason_code::success);
    EXPECT_EQ(from_connack_v311(1), reason_code::unsupported_protocol_version);
    EXPECT_EQ(from_connack_v311(2), reason_code::client_identifier_not_valid);
    EXPECT_EQ(from_connack_v311(3), reason_code::server_unavailable);
    EXPECT_EQ(from_connack_v311(4), reason_code::bad_user_name_or_password);
    EXPECT_EQ(from_connack_v311(5), reason_code::not_authorized);
    EXPECT_EQ(from_connack_v311(6), reason_code::unspecified_error);
}

TEST(properties, names_and_empty) {
    EXPECT_STREQ(to_string(property_id::topic_alias), "Topic Alias");
    EXPECT_STREQ(to_string(property_id::shared_subscription_available),
                 "Shared Subscription Available");
    EXPECT_STREQ(to_string(static_cast<property_id>(0x04)), "Unknown property");
    properties p;
    EXPECT_TRUE(p.empty());
    p.user_properties.emplace_back("a", "b");
    EXPECT_FALSE(p.empty());
    properties q;
    q.topic_alias = 3;
    EXPECT_FALSE(q.empty());
}

}  // namespace
}  // namespace piogate::mqtt
