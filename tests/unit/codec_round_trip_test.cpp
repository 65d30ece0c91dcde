// Round trips (encode, decode, encode again) for every packet type, and every prefix of an
// encoded packet: a reader that has not got the whole packet yet must be told to wait.
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

std::vector<packet> sample_packets() {
    std::vector<packet> v;
    for (auto version : {protocol_version::v31, protocol_version::v311}) {
        for (int flags = 0; flags < 32; ++flags) {
            connect_packet c;
            c.version = version;
            c.client_id = flags ? "client" : "";
            c.clean_session = flags & 1;
            c.keepalive = static_cast<std::uint16_t>(flags * 1000);
            if (flags & 2)
                c.will = will_message{"will/t", std::string("\0x", 2), (flags >> 3) % 3,
                                      (flags & 4) != 0};
            if (flags & 16) c.username = "user";
            if ((flags & 16) || (flags & 8)) c.password = "secret";
            if (version == protocol_version::v311 && c.password && !c.username) c.username = "";
            v.push_back(c);
        }
    }
    v.push_back(connack_packet{false, 0});
    v.push_back(connack_packet{true, 0});
    v.push_back(connack_packet{false, 4});
    static const std::string big(20'000, 'p');
    for (std::uint8_t qos = 0; qos < 3; ++qos) {
        for (int f = 0; f < 4; ++f) {
            const bool dup = (f & 1) && qos > 0;
            v.push_back(publish_packet{"a/b", "payload", qos, (f & 2) != 0, dup,
                                       static_cast<std::uint16_t>(qos ? 0xFFFF - f : 0)});
        }
        v.push_back(publish_packet{"x", big, qos, false, false, static_cast<std::uint16_t>(qos)});
        v.push_back(publish_packet{"/", "", qos, false, false, static_cast<std::uint16_t>(qos)});
    }
    for (auto t : {packet_type::puback, packet_type::pubrec, packet_type::pubrel,
                   packet_type::pubcomp, packet_type::unsuback}) {
        v.push_back(ack_packet{t, 1});
        v.push_back(ack_packet{t, 0xABCD});
    }
    v.push_back(subscribe_packet{1, {{"a", 0}}});
    v.push_back(subscribe_packet{0x1234, {{"#", 0}, {"a/+/c", 1}, {"$SYS/#", 2}, {"/", 1}}});
    v.push_back(suback_packet{7, {0}});
    v.push_back(suback_packet{8, {0, 1, 2, 0x80, 0x80}});
    v.push_back(unsubscribe_packet{9, {"a"}});
    v.push_back(unsubscribe_packet{10, {"a/#", "+", "x/y/z"}});
    for (auto t : {packet_type::pingreq, packet_type::pingresp, packet_type::disconnect}) {
        v.push_back(empty_packet{t});
    }
    return v;
}

}  // namespace

TEST(codec_round_trip, every_packet_type) {
    for (const packet& p : sample_packets()) {
        byte_buffer wire;
        encode(p, wire);
        for (auto version : {protocol_version::v31, protocol_version::v311}) {
            if (std::holds_alternative<connack_packet>(p) && version == protocol_version::v31 &&
                std::get<connack_packet>(p).session_present) {
                continue;  // 3.1 has no session present flag
            }
            decode_result r = decode_packet(wire, version);
            ASSERT_EQ(r.status, decode_status::ok) << describe(p) << ": " << r.error;
            EXPECT_EQ(r.consumed, wire.size()) << describe(p);
            EXPECT_TRUE(packets_equal(r.pkt, p))
                << describe(p) << " came back as " << describe(r.pkt);
            byte_buffer again;
            encode(r.pkt, again);
            EXPECT_EQ(again, wire) << describe(p);
        }
    }
}

TEST(codec_round_trip, every_prefix_is_incomplete) {
    for (const packet& p : sample_packets()) {
        byte_buffer wire;
        encode(p, wire);
        // The big PUBLISH has 20,000 prefixes; its first and last hundred are enough.
        for (std::size_t n = 0; n < wire.size(); ++n) {
            if (n > 100 && n + 100 < wire.size()) continue;
            decode_result r = decode_packet(std::span(wire.data(), n), protocol_version::v311);
            ASSERT_EQ(r.status, decode_status::incomplete) << describe(p) << " prefix " << n;
            EXPECT_TRUE(r.error.empty());
            EXPECT_EQ(r.consumed, 0u);
            if (n > 0 &&
                decode_header(std::span(wire.data(), n)).status != decode_status::incomplete) {
                EXPECT_EQ(decode_header(std::span(wire.data(), n)).status, decode_status::ok);
            }
        }
    }
}
