// MQTT 5.0 input the decoder must refuse, each with its reason in words and the reason code a
// 5.0 receiver reports: malformed_packet for what breaks the wire format (a property the
// packet may not carry, a non-shortest variable byte integer, a reason code the packet does not
// define), protocol_error for what the spec calls one (a repeated property, a Topic Alias or
// Subscription Identifier of 0, retain handling 3), payload_format_invalid for a payload that
// is not the UTF-8 its format indicator promises.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include <string>

#include "piogate/mqtt/codec.hpp"
#include "unit/codec_bytes.hpp"

using namespace piogate::mqtt;
using namespace piogate::mqtt::testing;
using ::testing::HasSubstr;

namespace {

struct bad_case {
    const char* name;
    byte_buffer in;
    const char* error;
    reason_code reason;
};

byte_buffer props(const byte_buffer& body) {
    return cat(bytes({static_cast<int>(body.size())}), body);
}

// PUBLISH QoS 0 to "t" with the given property bytes and payload.
byte_buffer publish_with(const byte_buffer& prop_body, std::string_view payload = "") {
    byte_buffer body = cat(field("t"), props(prop_body));
    for (char c : payload) body.push_back(static_cast<std::uint8_t>(c));
    return frame(0x30, body);
}

byte_buffer connack_with(const byte_buffer& prop_body) {
    return frame(0x20, cat(bytes({0, 0}), props(prop_body)));
}

std::vector<bad_case> bad_cases() {
    const auto malformed = reason_code::malformed_packet;
    const auto protocol = reason_code::protocol_error;
    return {
        {"topic alias in PUBACK", frame(0x40, cat(bytes({0, 1, 0}), props(bytes({0x23, 0, 1})))),
         "property 35 (Topic Alias) is not allowed in acknowledgement", malformed},
        {"unknown property 4", publish_with(bytes({0x04, 0})), "property 4", malformed},
        {"property identifier 0", publish_with(bytes({0x00})), "property 0", malformed},
        {"topic alias twice", publish_with(bytes({0x23, 0, 1, 0x23, 0, 2})),
         "Topic Alias appears twice", protocol},
        {"topic alias 0", publish_with(bytes({0x23, 0, 0})), "Topic Alias of 0", protocol},
        {"subscription identifier 0", publish_with(bytes({0x0B, 0})),
         "Subscription Identifier of 0", protocol},
        {"subscription identifier not shortest", publish_with(bytes({0x0B, 0x81, 0x00})),
         "Subscription Identifier not in its shortest form", malformed},
        {"subscription identifier five bytes",
         publish_with(bytes({0x0B, 0x81, 0x81, 0x81, 0x81, 0x01})), "longer than four bytes",
         malformed},
        {"payload format indicator 2", publish_with(bytes({0x01, 2})), "is not 0 or 1", protocol},
        {"payload not UTF-8", publish_with(bytes({0x01, 1}), "\xC3\x28"), "payload is not UTF-8",
         reason_code::payload_format_invalid},
        {"content type not UTF-8", publish_with(cat(bytes({0x03}), field("\xFF"))),
         "Content Type is not valid UTF-8", malformed},
        {"user property value not UTF-8",
         publish_with(cat(bytes({0x26}), cat(field("k"), field("\xC0\x80")))),
         "user property value is not valid UTF-8", malformed},
        {"response topic with wildcard", publish_with(cat(bytes({0x08}), field("a/#"))),
         "Response Topic is not a valid topic name", protocol},
        {"property runs past the list", publish_with(bytes({0x02, 0, 0})), "ends inside a field",
         malformed},
        {"property length past the packet", frame(0x30, cat(field("t"), bytes({0x05, 0x01}))),
         "property length runs past the end", malformed},
        {"property length not shortest", frame(0x30, cat(field("t"), bytes({0x80, 0x00}))),
         "property length not in its shortest form", malformed},
        {"empty topic without alias", frame(0x30, cat(field(""), bytes({0}))),
         "empty topic name and no topic alias", protocol},
        {"subscription identifier twice in SUBSCRIBE",
         frame(0x82, cat(cat(bytes({0, 1}), props(bytes({0x0B, 1, 0x0B, 2}))),
                         cat(field("a"), bytes({0})))),
         "Subscription Identifier appears twice", protocol},
        {"SUBSCRIBE options reserved bits",
         frame(0x82, cat(bytes({0, 1, 0}), cat(field("a"), bytes({0x40})))), "reserved bits",
         malformed},
        {"SUBSCRIBE QoS 3", frame(0x82, cat(bytes({0, 1, 0}), cat(field("a"), bytes({0x03})))),
         "QoS 3", malformed},
        {"SUBSCRIBE retain handling 3",
         frame(0x82, cat(bytes({0, 1, 0}), cat(field("a"), bytes({0x30})))), "retain handling 3",
         protocol},
        {"no local on a shared subscription",
         frame(0x82, cat(bytes({0, 1, 0}), cat(field("$share/g/a"), bytes({0x04})))),
         "no local on a shared subscription", protocol},
        {"PUBACK reason 0x8E", bytes({0x40, 0x03, 0, 1, 0x8E}),
         "reason code 142 is not allowed in PUBACK", malformed},
        {"PUBREL reason 0x10", bytes({0x62, 0x03, 0, 1, 0x10}),
         "reason code 16 is not allowed in PUBREL", malformed},
        {"SUBACK reason 0x11", bytes({0x90, 0x04, 0, 1, 0, 0x11}),
         "reason code 17 is not allowed in SUBACK", malformed},
        {"SUBACK without codes", bytes({0x90, 0x03, 0, 1, 0}), "SUBACK without reason codes",
         malformed},
        {"UNSUBACK without codes", bytes({0xB0, 0x03, 0, 1, 0}), "UNSUBACK without reason codes",
         malformed},
        {"DISCONNECT reason 0x01", bytes({0xE0, 0x01, 0x01}),
         "reason code 1 is not allowed in DISCONNECT", malformed},
        {"DISCONNECT with a topic alias",
         frame(0xE0, cat(bytes({0x00}), props(bytes({0x23, 0, 1})))), "not allowed in DISCONNECT",
         malformed},
        {"CONNACK receive maximum 0", connack_with(bytes({0x21, 0, 0})), "Receive Maximum of 0",
         protocol},
        {"CONNACK maximum packet size 0", connack_with(bytes({0x27, 0, 0, 0, 0})),
         "Maximum Packet Size of 0", protocol},
        {"CONNACK maximum QoS 2", connack_with(bytes({0x24, 2})), "Maximum QoS 2 is not 0 or 1",
         protocol},
        {"CONNACK retain available 3", connack_with(bytes({0x25, 3})), "is not 0 or 1", protocol},
        {"CONNACK reason 0x10", frame(0x20, bytes({0, 0x10, 0})),
         "reason code 16 is not allowed in CONNACK", malformed},
        {"CONNACK refusal with session present", frame(0x20, bytes({1, 0x87, 0})),
         "refusal with session present", malformed},
        {"CONNACK without property length", bytes({0x20, 0x02, 0, 0}), "ends inside a field",
         malformed},
        {"CONNACK topic alias", connack_with(bytes({0x23, 0, 1})), "not allowed in CONNACK",
         malformed},
        {"AUTH reason 0x80", bytes({0xF0, 0x01, 0x80}), "reason code 128 is not allowed in AUTH",
         malformed},
        {"AUTH without method",
         frame(0xF0, cat(bytes({0x18}), props(cat(bytes({0x16}), field("d"))))),
         "AUTH without authentication method", protocol},
        {"AUTH with flags", bytes({0xF1, 0x00}), "invalid fixed header flags for AUTH", malformed},
        {"CONNECT data without method",
         frame(0x10, cat(cat(connect_head(0x02, "MQTT", 5), props(cat(bytes({0x16}), field("d")))),
                         field("id"))),
         "Authentication Data without Authentication Method", protocol},
        {"CONNECT will payload not UTF-8",
         frame(0x10,
               cat(cat(connect_head(0x06, "MQTT", 5), bytes({0})),
                   cat(field("id"), cat(props(bytes({0x01, 1})), cat(field("w"), field("\xFF")))))),
         "will payload is not UTF-8", reason_code::payload_format_invalid},
        {"CONNECT will property in connect properties",
         frame(0x10, cat(cat(connect_head(0x02, "MQTT", 5), props(bytes({0x18, 0, 0, 0, 1}))),
                         field("id"))),
         "property 24 (Will Delay Interval) is not allowed in CONNECT", malformed},
    };
}

}  // namespace

TEST(decode_mqtt5_malformed, each_case_names_its_reason_and_code) {
    for (const auto& c : bad_cases()) {
        decode_result r = decode_packet(c.in, protocol_version::v5);
        EXPECT_EQ(r.status, decode_status::malformed) << c.name;
        EXPECT_THAT(r.error, HasSubstr(c.error)) << c.name;
        EXPECT_EQ(r.reason, c.reason) << c.name << ": " << r.error;
        EXPECT_EQ(r.consumed, 0u) << c.name;
    }
}

TEST(decode_mqtt5_malformed, prefixes_are_incomplete) {
    for (const auto& c : bad_cases()) {
        for (std::size_t n = 0; n < c.in.size(); ++n) {
            decode_result r = decode_packet(std::span(c.in.data(), n), protocol_version::v5);
            EXPECT_EQ(r.status, decode_status::incomplete) << c.name << " prefix " << n;
        }
    }
}

TEST(decode_mqtt5_malformed, auth_is_reserved_before_5) {
    for (auto v : {protocol_version::v31, protocol_version::v311}) {
        decode_result r = decode_packet(bytes({0xF0, 0x00}), v);
        EXPECT_EQ(r.status, decode_status::malformed);
        EXPECT_THAT(r.error, HasSubstr("reserved packet type 15"));
    }
}

TEST(decode_mqtt5_malformed, user_properties_and_publish_subscription_ids_may_repeat) {
    const byte_buffer in = publish_with(
        cat(cat(bytes({0x26}), cat(field("k"), field("1"))),
            cat(cat(bytes({0x26}), cat(field("k"), field("2"))), bytes({0x0B, 1, 0x0B, 2}))));
    decode_result r = decode_packet(in, protocol_version::v5);
    ASSERT_EQ(r.status, decode_status::ok) << r.error;
    const auto& p = std::get<publish_packet>(r.pkt);
    ASSERT_EQ(p.props.user_properties.size(), 2u);
    EXPECT_EQ(p.props.user_properties[1].second, "2");
    EXPECT_EQ(p.props.subscription_identifiers, (std::vector<std::uint32_t>{1, 2}));
}

TEST(decode_mqtt5_malformed, header_errors_are_malformed_packet) {
    decode_result r =
        decode_packet(bytes({0x30, 0x80, 0x80, 0x80, 0x80, 0x00}), protocol_version::v5);
    EXPECT_EQ(r.status, decode_status::malformed);
    EXPECT_EQ(r.reason, reason_code::malformed_packet);
}
