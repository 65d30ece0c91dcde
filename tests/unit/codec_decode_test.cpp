// Decoders against byte vectors from the MQTT 3.1.1 OASIS standard: the fixed header and
// Remaining Length (section 2.2) and every well-formed control packet (section 3). Malformed
// input is in codec_malformed_test.cpp, round trips in codec_round_trip_test.cpp.
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

template <typename T>
T decode_as(const byte_buffer& in, protocol_version v = protocol_version::v311) {
    decode_result r = decode_packet(in, v);
    EXPECT_EQ(r.status, decode_status::ok) << r.error;
    EXPECT_EQ(r.consumed, in.size());
    EXPECT_TRUE(std::holds_alternative<T>(r.pkt));
    return std::holds_alternative<T>(r.pkt) ? std::get<T>(r.pkt) : T{};
}

}  // namespace

// ---- the fixed header (section 2.2) ----

TEST(decode_header, remaining_length_boundaries) {
    struct row {
        byte_buffer length;
        std::uint32_t value;
    };
    const row rows[] = {
        {bytes({0x00}), 0},
        {bytes({0x7F}), 127},
        {bytes({0x80, 0x01}), 128},
        {bytes({0xFF, 0x7F}), 16'383},
        {bytes({0x80, 0x80, 0x01}), 16'384},
        {bytes({0xFF, 0xFF, 0x7F}), 2'097'151},
        {bytes({0x80, 0x80, 0x80, 0x01}), 2'097'152},
        {bytes({0xFF, 0xFF, 0xFF, 0x7F}), 268'435'455},
        {bytes({0xC1, 0x02}), 321},
    };
    for (const auto& r : rows) {
        const byte_buffer in = cat(bytes({0x30}), r.length);
        header_result h = decode_header(in);
        ASSERT_EQ(h.status, decode_status::ok) << r.value;
        EXPECT_EQ(h.header.first_byte, 0x30);
        EXPECT_EQ(h.header.remaining_length, r.value);
        EXPECT_EQ(h.header.header_size, 1 + r.length.size());
        EXPECT_EQ(h.header.total_size(), 1 + r.length.size() + r.value);
        EXPECT_EQ(h.error, nullptr);
    }
}

TEST(decode_header, a_fifth_length_byte_is_malformed) {
    for (const auto& in :
         {bytes({0x30, 0x80, 0x80, 0x80, 0x80, 0x01}), bytes({0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F}),
          bytes({0x30, 0xFF, 0xFF, 0xFF, 0x80})}) {
        header_result h = decode_header(in);
        EXPECT_EQ(h.status, decode_status::malformed);
        ASSERT_NE(h.error, nullptr);
        EXPECT_THAT(h.error, HasSubstr("four bytes"));
        EXPECT_EQ(decode(in).status, decode_status::malformed);
        EXPECT_THAT(decode(in).error, HasSubstr("four bytes"));
    }
}

TEST(decode_header, non_shortest_lengths_are_malformed) {
    for (const auto& in :
         {bytes({0xC0, 0x80, 0x00}), bytes({0x30, 0x81, 0x00}), bytes({0x30, 0xFF, 0x80, 0x00}),
          bytes({0x30, 0x80, 0x80, 0x80, 0x00}), bytes({0x30, 0xFF, 0xFF, 0x80, 0x00})}) {
        header_result h = decode_header(in);
        EXPECT_EQ(h.status, decode_status::malformed);
        ASSERT_NE(h.error, nullptr);
        EXPECT_THAT(h.error, HasSubstr("shortest"));
        decode_result r = decode(in);
        EXPECT_EQ(r.status, decode_status::malformed);
        EXPECT_THAT(r.error, HasSubstr("shortest"));
    }
}

TEST(decode_header, incomplete_while_the_length_continues) {
    for (const auto& in : {bytes({}), bytes({0x30}), bytes({0x30, 0x80}), bytes({0x30, 0xFF, 0xFF}),
                           bytes({0x30, 0xFF, 0xFF, 0xFF})}) {
        header_result h = decode_header(in);
        EXPECT_EQ(h.status, decode_status::incomplete) << in.size();
        EXPECT_EQ(h.error, nullptr);
        decode_result r = decode(in);
        EXPECT_EQ(r.status, decode_status::incomplete) << in.size();
        EXPECT_TRUE(r.error.empty());
    }
}

TEST(decode_packet, waits_for_the_whole_body) {
    // A 2 MiB PUBLISH with only its header present is incomplete, not malformed.
    EXPECT_EQ(decode(bytes({0x30, 0x80, 0x80, 0x80, 0x01, 0x00, 0x01, 't'})).status,
              decode_status::incomplete);
}

// ---- well-formed packets ----

TEST(decode_connect, spec_example_flags_0xce) {
    const byte_buffer in = frame(
        0x10,
        cat(connect_head(0xCE),
            cat(field("c"), cat(field("w"), cat(field("bye"), cat(field("u"), field("p")))))));
    auto c = decode_as<connect_packet>(in);
    EXPECT_EQ(c.version, protocol_version::v311);
    EXPECT_EQ(c.client_id, "c");
    EXPECT_TRUE(c.clean_session);
    EXPECT_EQ(c.keepalive, 60);
    ASSERT_TRUE(c.will);
    EXPECT_EQ(c.will->topic, "w");
    EXPECT_EQ(c.will->payload, "bye");
    EXPECT_EQ(c.will->qos, 1);
    EXPECT_FALSE(c.will->retain);
    EXPECT_EQ(c.username, "u");
    EXPECT_EQ(c.password, "p");
}

TEST(decode_connect, mqtt31) {
    const byte_buffer in =
        frame(0x10, cat(bytes({0x00, 0x06, 'M', 'Q', 'I', 's', 'd', 'p', 0x03, 0x00, 0x00, 0x05}),
                        field("abc")));
    for (auto v : {protocol_version::v31, protocol_version::v311}) {
        auto c = decode_as<connect_packet>(in, v);
        EXPECT_EQ(c.version, protocol_version::v31);
        EXPECT_FALSE(c.clean_session);
        EXPECT_EQ(c.keepalive, 5);
        EXPECT_EQ(c.client_id, "abc");
        EXPECT_FALSE(c.will || c.username || c.password);
    }
}

TEST(decode_connect, mqtt31_allows_a_password_without_user_name) {
    const byte_buffer in =
        frame(0x10, cat(bytes({0x00, 0x06, 'M', 'Q', 'I', 's', 'd', 'p', 0x03, 0x42, 0x00, 0x05}),
                        cat(field("abc"), field("pw"))));
    auto c = decode_as<connect_packet>(in, protocol_version::v31);
    EXPECT_FALSE(c.username);
    EXPECT_EQ(c.password, "pw");
}

TEST(decode_connect, empty_client_id_and_binary_password) {
    const std::string pw("\x00\xFF", 2);
    auto c = decode_as<connect_packet>(
        frame(0x10, cat(connect_head(0xC2), cat(field(""), cat(field("u"), field(pw))))));
    EXPECT_EQ(c.client_id, "");
    EXPECT_EQ(c.password, pw);
}

TEST(decode_connack, mqtt311) {
    auto a = decode_as<connack_packet>(bytes({0x20, 0x02, 0x01, 0x00}));
    EXPECT_TRUE(a.session_present);
    EXPECT_EQ(a.return_code, 0);
    a = decode_as<connack_packet>(bytes({0x20, 0x02, 0x00, 0x05}));
    EXPECT_FALSE(a.session_present);
    EXPECT_EQ(a.return_code, 5);
}

TEST(decode_connack, mqtt31_ignores_the_first_byte) {
    // In 3.1 the byte before the return code is reserved and unused; no session present flag.
    auto a = decode_as<connack_packet>(bytes({0x20, 0x02, 0x01, 0x00}), protocol_version::v31);
    EXPECT_FALSE(a.session_present);
    a = decode_as<connack_packet>(bytes({0x20, 0x02, 0xFF, 0x02}), protocol_version::v31);
    EXPECT_FALSE(a.session_present);
    EXPECT_EQ(a.return_code, 2);
}

TEST(decode_publish, qos0_payload_is_the_rest) {
    const byte_buffer in = bytes({0x30, 0x07, 0x00, 0x03, 'a', '/', 'b', 'h', 'i'});
    auto p = decode_as<publish_packet>(in);
    EXPECT_EQ(p.topic, "a/b");
    EXPECT_EQ(p.payload, "hi");
    EXPECT_EQ(p.qos, 0);
    EXPECT_FALSE(p.dup || p.retain);
    EXPECT_EQ(p.packet_id, 0);
    // Views into the input, not copies.
    EXPECT_EQ(static_cast<const void*>(p.topic.data()), static_cast<const void*>(in.data() + 4));
    EXPECT_EQ(static_cast<const void*>(p.payload.data()), static_cast<const void*>(in.data() + 7));
}

TEST(decode_publish, qos1_dup_retain) {
    const byte_buffer in = bytes({0x3B, 0x08, 0x00, 0x03, 'a', '/', 'b', 0x00, 0x0A, 'x'});
    auto p = decode_as<publish_packet>(in);
    EXPECT_EQ(p.qos, 1);
    EXPECT_TRUE(p.dup);
    EXPECT_TRUE(p.retain);
    EXPECT_EQ(p.packet_id, 10);
    EXPECT_EQ(p.payload, "x");
}

TEST(decode_publish, qos2_empty_payload) {
    const byte_buffer in = bytes({0x34, 0x07, 0x00, 0x03, 'a', '/', 'b', 0xFF, 0xFF});
    auto p = decode_as<publish_packet>(in);
    EXPECT_EQ(p.qos, 2);
    EXPECT_EQ(p.packet_id, 0xFFFF);
    EXPECT_TRUE(p.payload.empty());
}

TEST(decode_publish, utf8_topic_and_binary_payload) {
    // "ü/€/𝄞": two, three and four byte sequences.
    const std::string topic = "\xC3\xBC/\xE2\x82\xAC/\xF0\x9D\x84\x9E";
    const std::string payload("\x00\xC0\xFF", 3);
    const byte_buffer in =
        frame(0x30, cat(field(topic), byte_buffer(payload.begin(), payload.end())));
    auto p = decode_as<publish_packet>(in);  // views into `in`
    EXPECT_EQ(p.topic, topic);
    EXPECT_EQ(p.payload, payload);
}

// Section 1.5.3: well-formed UTF-8 only, no U+0000, no surrogates; U+FEFF, noncharacters and
// other control characters are allowed through.
TEST(decode_publish, utf8_boundaries_in_topic_names) {
    const char* const good[] = {
        "\x01",              // U+0001
        "\x7F",              // U+007F
        "\xC2\x80",          // U+0080
        "\xDF\xBF",          // U+07FF
        "\xE0\xA0\x80",      // U+0800
        "\xED\x9F\xBF",      // U+D7FF, just below the surrogates
        "\xEE\x80\x80",      // U+E000, just above
        "\xEF\xBB\xBF",      // U+FEFF, kept and not skipped
        "\xEF\xBF\xBF",      // U+FFFF
        "\xF0\x90\x80\x80",  // U+10000
        "\xF4\x8F\xBF\xBF",  // U+10FFFF
    };
    for (const char* t : good) {
        const byte_buffer in = frame(0x30, field(t));
        decode_result r = decode(in);
        ASSERT_EQ(r.status, decode_status::ok) << r.error;
        EXPECT_EQ(std::get<publish_packet>(r.pkt).topic, t);
    }
    const char* const bad[] = {
        "\xC0\xAF",          // overlong '/'
        "\xC1\xBF",          // overlong U+007F
        "\xE0\x9F\xBF",      // overlong U+07FF
        "\xF0\x8F\xBF\xBF",  // overlong U+FFFF
        "\xED\xBF\xBF",      // U+DFFF, a surrogate
        "\xF4\x90\x80\x80",  // U+110000
        "\xF5\x80\x80\x80",  // lead byte beyond U+10FFFF
        "\xFE",
        "\xC2",      // cut short at the end
        "\xC2\x41",  // continuation missing
        "\xE0\xA0",
        "\xF0\x90\x80",
    };
    for (const char* t : bad) {
        decode_result r = decode(frame(0x30, field(t)));
        EXPECT_EQ(r.status, decode_status::malformed)
            << static_cast<int>(static_cast<unsigned char>(t[0]));
        EXPECT_THAT(r.error, HasSubstr("not valid UTF-8"));
    }
}

TEST(decode_ack, every_ack_type) {
    struct row {
        byte_buffer in;
        packet_type type;
    };
    const row rows[] = {
        {bytes({0x40, 0x02, 0x00, 0x01}), packet_type::puback},
        {bytes({0x50, 0x02, 0x01, 0x02}), packet_type::pubrec},
        {bytes({0x62, 0x02, 0xFF, 0xFF}), packet_type::pubrel},
        {bytes({0x70, 0x02, 0x80, 0x00}), packet_type::pubcomp},
        {bytes({0xB0, 0x02, 0x00, 0x0A}), packet_type::unsuback},
    };
    for (const auto& r : rows) {
        auto a = decode_as<ack_packet>(r.in);
        EXPECT_EQ(a.type, r.type);
        EXPECT_EQ(a.packet_id, (r.in[2] << 8) | r.in[3]);
    }
}

TEST(decode_subscribe, spec_example) {
    auto s = decode_as<subscribe_packet>(bytes({0x82, 0x0E, 0x00, 0x0A, 0x00, 0x03, 'a', '/', 'b',
                                                0x01, 0x00, 0x03, 'c', '/', 'd', 0x02}));
    EXPECT_EQ(s.packet_id, 10);
    ASSERT_EQ(s.filters.size(), 2u);
    EXPECT_EQ(s.filters[0], (std::pair<std::string, std::uint8_t>{"a/b", 1}));
    EXPECT_EQ(s.filters[1], (std::pair<std::string, std::uint8_t>{"c/d", 2}));
}

TEST(decode_suback, all_return_codes) {
    auto s = decode_as<suback_packet>(bytes({0x90, 0x06, 0x00, 0x0A, 0x00, 0x01, 0x02, 0x80}));
    EXPECT_EQ(s.packet_id, 10);
    EXPECT_EQ(s.return_codes, (std::vector<std::uint8_t>{0x00, 0x01, 0x02, 0x80}));
}

TEST(decode_unsubscribe, two_filters) {
    auto u = decode_as<unsubscribe_packet>(
        bytes({0xA2, 0x0C, 0x02, 0x03, 0x00, 0x03, 'a', '/', '#', 0x00, 0x03, '+', '/', 'd'}));
    EXPECT_EQ(u.packet_id, 0x0203);
    EXPECT_EQ(u.filters, (std::vector<std::string>{"a/#", "+/d"}));
}

TEST(decode_empty, ping_and_disconnect) {
    EXPECT_EQ(decode_as<empty_packet>(bytes({0xC0, 0x00})).type, packet_type::pingreq);
    EXPECT_EQ(decode_as<empty_packet>(bytes({0xD0, 0x00})).type, packet_type::pingresp);
    EXPECT_EQ(decode_as<empty_packet>(bytes({0xE0, 0x00})).type, packet_type::disconnect);
}

TEST(decode_packet, consumes_one_packet_of_several) {
    const byte_buffer in = bytes({0xD0, 0x00, 0x40, 0x02, 0x00, 0x01, 0x30});
    decode_result r = decode(in);
    ASSERT_EQ(r.status, decode_status::ok);
    EXPECT_EQ(r.consumed, 2u);
    r = decode_packet(std::span(in).subspan(2), protocol_version::v311);
    ASSERT_EQ(r.status, decode_status::ok);
    EXPECT_EQ(r.consumed, 4u);
    EXPECT_EQ(decode_packet(std::span(in).subspan(6), protocol_version::v311).status,
              decode_status::incomplete);
}

// Every two-byte input: only the three empty packets are complete and well-formed with a zero
// Remaining Length; everything else is malformed (or incomplete while the length continues).
TEST(decode_packet, every_two_byte_input) {
    for (int first = 0; first < 256; ++first) {
        for (int second = 0; second < 256; ++second) {
            const byte_buffer in = bytes({first, second});
            decode_result r = decode(in);
            if (second != 0) {
                EXPECT_EQ(r.status, decode_status::incomplete) << first << " " << second;
            } else if (first == 0xC0 || first == 0xD0 || first == 0xE0) {
                EXPECT_EQ(r.status, decode_status::ok) << first;
            } else {
                EXPECT_EQ(r.status, decode_status::malformed) << first;
                EXPECT_FALSE(r.error.empty());
            }
        }
    }
}
