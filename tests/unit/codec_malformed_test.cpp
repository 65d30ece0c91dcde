// Malformed input of every kind the MQTT 3.1.1 standard names, each with the reason the
// decoder must give: reserved types and flags, QoS, packet identifiers, strings and topics,
// CONNECT flags and protocol, SUBSCRIBE / SUBACK contents, lengths of fixed-size packets.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/packet_equal.hpp"
#include "piogate/mqtt/codec.hpp"
#include "unit/codec_bytes.hpp"

using namespace piogate::mqtt;
using namespace piogate::mqtt::testing;
using ::testing::HasSubstr;

namespace {

decode_result decode(const byte_buffer& in, protocol_version v = protocol_version::v311) {
    return decode_packet(in, v);
}

struct bad_case {
    const char* name;
    byte_buffer in;
    const char* error;  // a piece of the expected reason
    protocol_version version = protocol_version::v311;
};

// A well-formed body for each packet type, so a test can vary one thing (the flags).
byte_buffer valid_body(packet_type t) {
    switch (t) {
        case packet_type::connect:
            return cat(connect_head(0x02), field("id"));
        case packet_type::connack:
            return bytes({0x00, 0x00});
        case packet_type::publish:
            return cat(field("t"), bytes({'x'}));
        case packet_type::subscribe:
            return cat(bytes({0x00, 0x01}), cat(field("t"), bytes({0x00})));
        case packet_type::suback:
            return bytes({0x00, 0x01, 0x00});
        case packet_type::unsubscribe:
            return cat(bytes({0x00, 0x01}), field("t"));
        case packet_type::pingreq:
        case packet_type::pingresp:
        case packet_type::disconnect:
            return {};
        default:
            return bytes({0x00, 0x01});
    }
}

std::vector<bad_case> bad_cases() {
    const byte_buffer id1 = bytes({0x00, 0x01});
    return {
        {"reserved type 0", bytes({0x00, 0x00}), "reserved packet type 0"},
        {"reserved type 0 with body", bytes({0x02, 0x02, 0x00, 0x01}), "reserved packet type 0"},
        {"reserved type 15", bytes({0xF0, 0x00}), "reserved packet type 15"},
        {"reserved type 15 with flags", bytes({0xFF, 0x01, 0x00}), "reserved packet type 15"},

        {"PUBLISH QoS 3", frame(0x36, cat(field("t"), id1)), "QoS 3"},
        {"PUBLISH QoS 3 retain dup", frame(0x3F, cat(field("t"), id1)), "QoS 3"},
        {"PUBLISH QoS 0 with DUP", frame(0x38, field("t")), "DUP"},
        {"PUBLISH QoS 1 packet id 0", frame(0x32, cat(field("t"), bytes({0, 0}))), "identifier 0"},
        {"PUBLISH QoS 2 packet id 0", frame(0x34, cat(field("t"), bytes({0, 0}))), "identifier 0"},
        {"PUBLISH QoS 1 without packet id", frame(0x32, field("t")), "ends inside a field"},
        {"PUBLISH QoS 1 half a packet id", frame(0x32, cat(field("t"), bytes({0}))),
         "ends inside a field"},
        {"PUBLISH topic with +", frame(0x30, field("a/+")), "invalid topic name"},
        {"PUBLISH topic with #", frame(0x30, field("a/#")), "invalid topic name"},
        {"PUBLISH topic #", frame(0x30, field("#")), "invalid topic name"},
        {"PUBLISH empty topic", frame(0x30, field("")), "invalid topic name"},
        {"PUBLISH topic U+0000", frame(0x30, field(std::string_view("a\0b", 3))),
         "topic name is not valid UTF-8"},
        {"PUBLISH topic overlong NUL", frame(0x30, field("\xC0\x80")),
         "topic name is not valid UTF-8"},
        {"PUBLISH topic overlong /", frame(0x30, field("\xE0\x80\xAF")),
         "topic name is not valid UTF-8"},
        {"PUBLISH topic surrogate", frame(0x30, field("\xED\xA0\x80")),
         "topic name is not valid UTF-8"},
        {"PUBLISH topic above U+10FFFF", frame(0x30, field("\xF4\x90\x80\x80")),
         "topic name is not valid UTF-8"},
        {"PUBLISH topic 0xFF", frame(0x30, field("a\xFF")), "topic name is not valid UTF-8"},
        {"PUBLISH topic lone continuation", frame(0x30, field("\x80")),
         "topic name is not valid UTF-8"},
        {"PUBLISH topic truncated sequence", frame(0x30, field("\xE2\x82")),
         "topic name is not valid UTF-8"},
        {"PUBLISH topic runs past the end", frame(0x30, bytes({0x00, 0x05, 'a', 'b'})),
         "topic name runs past the end"},
        {"PUBLISH topic length cut", frame(0x30, bytes({0x00})), "ends inside a field"},
        {"PUBLISH empty body", bytes({0x30, 0x00}), "ends inside a field"},

        {"CONNECT reserved flag", frame(0x10, cat(connect_head(0x03), field("id"))),
         "reserved flag"},
        {"CONNECT will QoS without will", frame(0x10, cat(connect_head(0x0A), field("id"))),
         "without will"},
        {"CONNECT will QoS 2 without will", frame(0x10, cat(connect_head(0x12), field("id"))),
         "without will"},
        {"CONNECT will retain without will", frame(0x10, cat(connect_head(0x22), field("id"))),
         "without will"},
        {"CONNECT will QoS 3",
         frame(0x10, cat(connect_head(0x1E), cat(field("id"), cat(field("w"), field("m"))))),
         "will QoS 3"},
        {"CONNECT password without user name",
         frame(0x10, cat(connect_head(0x42), cat(field("id"), field("pw")))),
         "password flag without user name"},
        {"CONNECT protocol MQTT level 3",
         frame(0x10, cat(connect_head(0x02, "MQTT", 3), field("id"))),
         "unsupported protocol name/level MQTT/3"},
        {"CONNECT protocol MQIsdp level 4",
         frame(0x10, cat(connect_head(0x02, "MQIsdp", 4), field("id"))),
         "unsupported protocol name/level MQIsdp/4"},
        {"CONNECT protocol MQTT level 6",
         frame(0x10, cat(connect_head(0x02, "MQTT", 6), field("id"))),
         "unsupported protocol name/level MQTT/6"},
        {"CONNECT protocol name mqtt", frame(0x10, cat(connect_head(0x02, "mqtt", 4), field("id"))),
         "unsupported protocol name/level"},
        {"CONNECT protocol name empty", frame(0x10, cat(connect_head(0x02, "", 4), field("id"))),
         "unsupported protocol name/level"},
        {"CONNECT protocol name not UTF-8",
         frame(0x10, cat(connect_head(0x02, "\xFF", 4), field("id"))),
         "protocol name is not valid UTF-8"},
        {"CONNECT protocol name past the end", frame(0x10, bytes({0x00, 0x09, 'M', 'Q', 'T', 'T'})),
         "protocol name runs past the end"},
        {"CONNECT ends before keepalive",
         frame(0x10, cat(field("MQTT"), bytes({0x04, 0x02, 0x00}))), "ends inside a field"},
        {"CONNECT without client id", frame(0x10, connect_head(0x02)), "ends inside a field"},
        {"CONNECT client id past the end",
         frame(0x10, cat(connect_head(0x02), bytes({0x00, 0x03, 'i'}))),
         "client identifier runs past the end"},
        {"CONNECT client id not UTF-8", frame(0x10, cat(connect_head(0x02), field("\xC3"))),
         "client identifier is not valid UTF-8"},
        {"CONNECT will flag without will fields", frame(0x10, cat(connect_head(0x06), field("id"))),
         "ends inside a field"},
        {"CONNECT will message missing",
         frame(0x10, cat(connect_head(0x06), cat(field("id"), field("w")))), "ends inside a field"},
        {"CONNECT will topic with wildcard",
         frame(0x10, cat(connect_head(0x06), cat(field("id"), cat(field("w/#"), field("m"))))),
         "invalid will topic"},
        {"CONNECT will topic empty",
         frame(0x10, cat(connect_head(0x06), cat(field("id"), cat(field(""), field("m"))))),
         "invalid will topic"},
        {"CONNECT will topic not UTF-8",
         frame(0x10,
               cat(connect_head(0x06), cat(field("id"), cat(field("\xED\xBF\xBF"), field("m"))))),
         "will topic is not valid UTF-8"},
        {"CONNECT user name missing", frame(0x10, cat(connect_head(0x82), field("id"))),
         "ends inside a field"},
        {"CONNECT user name not UTF-8",
         frame(0x10, cat(connect_head(0x82), cat(field("id"), field(std::string_view("\0", 1))))),
         "user name is not valid UTF-8"},
        {"CONNECT password past the end",
         frame(0x10, cat(connect_head(0xC2),
                         cat(field("id"), cat(field("u"), bytes({0x00, 0x02, 'p'}))))),
         "password runs past the end"},
        {"CONNECT trailing bytes",
         frame(0x10, cat(connect_head(0x02), cat(field("id"), bytes({0x00})))), "trailing bytes"},
        {"CONNECT empty body", bytes({0x10, 0x00}), "ends inside a field"},

        {"CONNACK reserved flags", bytes({0x20, 0x02, 0x02, 0x00}), "CONNACK reserved flags"},
        {"CONNACK reserved flags 0xFF", bytes({0x20, 0x02, 0xFF, 0x00}), "CONNACK reserved flags"},
        {"CONNACK session present with refusal", bytes({0x20, 0x02, 0x01, 0x05}),
         "session present"},
        {"CONNACK length 1", bytes({0x20, 0x01, 0x00}), "remaining length 1 where 2 is required"},
        {"CONNACK length 3", bytes({0x20, 0x03, 0x00, 0x00, 0x00}),
         "remaining length 3 where 2 is required"},
        {"CONNACK length 0", bytes({0x20, 0x00}), "remaining length 0 where 2 is required"},
        {"CONNACK 3.1 length 3", bytes({0x20, 0x03, 0x00, 0x00, 0x00}),
         "remaining length 3 where 2", protocol_version::v31},

        {"PUBACK packet id 0", bytes({0x40, 0x02, 0x00, 0x00}), "identifier 0"},
        {"PUBREC packet id 0", bytes({0x50, 0x02, 0x00, 0x00}), "identifier 0"},
        {"PUBREL packet id 0", bytes({0x62, 0x02, 0x00, 0x00}), "identifier 0"},
        {"PUBCOMP packet id 0", bytes({0x70, 0x02, 0x00, 0x00}), "identifier 0"},
        {"UNSUBACK packet id 0", bytes({0xB0, 0x02, 0x00, 0x00}), "identifier 0"},
        {"PUBACK length 0", bytes({0x40, 0x00}), "remaining length 0 where 2 is required"},
        {"PUBACK length 1", bytes({0x40, 0x01, 0x01}), "remaining length 1 where 2 is required"},
        {"PUBREC length 3", bytes({0x50, 0x03, 0x00, 0x01, 0x00}),
         "remaining length 3 where 2 is required"},
        {"PUBREL length 4", bytes({0x62, 0x04, 0x00, 0x01, 0x00, 0x02}),
         "remaining length 4 where 2 is required"},
        {"PUBCOMP length 1", bytes({0x70, 0x01, 0x01}), "remaining length 1 where 2 is required"},
        {"UNSUBACK length 3", bytes({0xB0, 0x03, 0x00, 0x01, 0x00}),
         "remaining length 3 where 2 is required"},
        {"PINGREQ length 1", bytes({0xC0, 0x01, 0x00}), "remaining length 1 where 0 is required"},
        {"PINGRESP length 2", bytes({0xD0, 0x02, 0x00, 0x00}),
         "remaining length 2 where 0 is required"},
        {"DISCONNECT length 1", bytes({0xE0, 0x01, 0x00}),
         "remaining length 1 where 0 is required"},

        {"SUBSCRIBE packet id 0", frame(0x82, cat(bytes({0, 0}), cat(field("a"), bytes({0})))),
         "identifier 0"},
        {"SUBSCRIBE without filters", frame(0x82, id1), "SUBSCRIBE without topic filters"},
        {"SUBSCRIBE empty body", bytes({0x82, 0x00}), "ends inside a field"},
        {"SUBSCRIBE requested QoS 3", frame(0x82, cat(id1, cat(field("a"), bytes({3})))),
         "QoS above 2"},
        {"SUBSCRIBE reserved QoS bits", frame(0x82, cat(id1, cat(field("a"), bytes({0x41})))),
         "QoS above 2"},
        {"SUBSCRIBE second filter QoS 3",
         frame(0x82, cat(id1, cat(field("a"), cat(bytes({1}), cat(field("b"), bytes({3})))))),
         "QoS above 2"},
        {"SUBSCRIBE filter without QoS", frame(0x82, cat(id1, field("a"))), "ends inside a field"},
        {"SUBSCRIBE filter a/#/b", frame(0x82, cat(id1, cat(field("a/#/b"), bytes({0})))),
         "invalid topic filter in SUBSCRIBE"},
        {"SUBSCRIBE filter a+", frame(0x82, cat(id1, cat(field("a+"), bytes({0})))),
         "invalid topic filter in SUBSCRIBE"},
        {"SUBSCRIBE filter a/b#", frame(0x82, cat(id1, cat(field("a/b#"), bytes({0})))),
         "invalid topic filter in SUBSCRIBE"},
        {"SUBSCRIBE empty filter", frame(0x82, cat(id1, cat(field(""), bytes({0})))),
         "invalid topic filter in SUBSCRIBE"},
        {"SUBSCRIBE filter not UTF-8",
         frame(0x82, cat(id1, cat(field("\xF8\x88\x80\x80\x80"), bytes({0})))),
         "topic filter is not valid UTF-8"},
        {"SUBSCRIBE filter past the end", frame(0x82, cat(id1, bytes({0x00, 0x04, 'a'}))),
         "topic filter runs past the end"},

        {"SUBACK packet id 0", bytes({0x90, 0x03, 0x00, 0x00, 0x00}), "identifier 0"},
        {"SUBACK without return codes", bytes({0x90, 0x02, 0x00, 0x01}),
         "SUBACK without return codes"},
        {"SUBACK return code 3", bytes({0x90, 0x03, 0x00, 0x01, 0x03}),
         "SUBACK return code 3 is not allowed"},
        {"SUBACK return code 0x81", bytes({0x90, 0x04, 0x00, 0x01, 0x00, 0x81}),
         "SUBACK return code 129"},
        {"SUBACK return code 0x7F", bytes({0x90, 0x03, 0x00, 0x01, 0x7F}),
         "SUBACK return code 127"},
        {"SUBACK return code 0xFF", bytes({0x90, 0x03, 0x00, 0x01, 0xFF}),
         "SUBACK return code 255"},
        {"SUBACK length 1", bytes({0x90, 0x01, 0x00}), "ends inside a field"},

        {"UNSUBSCRIBE packet id 0", frame(0xA2, cat(bytes({0, 0}), field("a"))), "identifier 0"},
        {"UNSUBSCRIBE without filters", frame(0xA2, id1), "UNSUBSCRIBE without topic filters"},
        {"UNSUBSCRIBE bad filter", frame(0xA2, cat(id1, field("#/a"))),
         "invalid topic filter in UNSUBSCRIBE"},
        {"UNSUBSCRIBE empty filter", frame(0xA2, cat(id1, cat(field("a"), field("")))),
         "invalid topic filter in UNSUBSCRIBE"},
        {"UNSUBSCRIBE leftover byte", frame(0xA2, cat(id1, cat(field("a"), bytes({0})))),
         "ends inside a field"},
        {"UNSUBSCRIBE filter past the end", frame(0xA2, cat(id1, bytes({0x00, 0x02, 'a'}))),
         "topic filter runs past the end"},

        {"remaining length non-shortest", bytes({0xC0, 0x80, 0x00}), "shortest form"},
        {"remaining length five bytes", bytes({0x30, 0x80, 0x80, 0x80, 0x80, 0x00}),
         "longer than four bytes"},
    };
}

}  // namespace

TEST(decode_malformed, each_case_names_its_reason) {
    for (const auto& c : bad_cases()) {
        decode_result r = decode(c.in, c.version);
        EXPECT_EQ(r.status, decode_status::malformed) << c.name;
        EXPECT_THAT(r.error, HasSubstr(c.error)) << c.name;
        EXPECT_EQ(r.consumed, 0u) << c.name;
    }
}

TEST(decode_malformed, prefixes_of_malformed_packets_are_incomplete) {
    // A framed packet can only be judged once all of it is there.
    for (const auto& c : bad_cases()) {
        const header_result h = decode_header(c.in);
        if (h.status != decode_status::ok) continue;
        for (std::size_t n = 0; n < c.in.size(); ++n) {
            decode_result r = decode_packet(std::span(c.in.data(), n), c.version);
            EXPECT_EQ(r.status, decode_status::incomplete) << c.name << " prefix " << n;
        }
    }
}

// Section 2.2.2: PUBREL, SUBSCRIBE and UNSUBSCRIBE carry flags 0010, every other type but
// PUBLISH 0000; anything else is malformed.
TEST(decode_malformed, wrong_fixed_header_flags_for_every_type) {
    for (int type = 1; type <= 14; ++type) {
        const auto t = static_cast<packet_type>(type);
        if (t == packet_type::publish) continue;
        const int required = (t == packet_type::pubrel || t == packet_type::subscribe ||
                              t == packet_type::unsubscribe)
                                 ? 0x02
                                 : 0x00;
        for (int flags = 0; flags < 16; ++flags) {
            const byte_buffer in =
                frame(static_cast<std::uint8_t>(type << 4 | flags), valid_body(t));
            decode_result r = decode(in);
            if (flags == required) {
                EXPECT_EQ(r.status, decode_status::ok) << to_string(t) << ": " << r.error;
            } else {
                EXPECT_EQ(r.status, decode_status::malformed) << to_string(t) << " " << flags;
                EXPECT_THAT(r.error, HasSubstr(std::string("invalid fixed header flags for ") +
                                               to_string(t)));
            }
        }
    }
}

TEST(decode_malformed, the_version_does_not_relax_the_rules) {
    for (const auto& c : bad_cases()) {
        if (std::string_view(c.name).starts_with("CONNACK")) continue;  // 3.1 ignores its flags
        EXPECT_EQ(decode(c.in, protocol_version::v31).status, decode_status::malformed) << c.name;
    }
}
