// Encoders against byte vectors built from the MQTT 3.1.1 OASIS standard (section 2 for the
// fixed header and Remaining Length, section 3 for each control packet).
#include <sys/mman.h>
// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "piogate/mqtt/codec.hpp"
#include "unit/codec_bytes.hpp"

using namespace piogate::mqtt;
using piogate::mqtt::testing::bytes;

namespace {

// A UTF-8 string field (section 1.5.3): two length bytes, most significant first, then the text.
void append_field(byte_buffer& b, std::string_view s) {
    b.push_back(static_cast<std::uint8_t>(s.size() >> 8));
    b.push_back(static_cast<std::uint8_t>(s.size() & 0xFF));
    b.insert(b.end(), s.begin(), s.end());
}

template <typename P>
byte_buffer encoded(const P& p) {
    byte_buffer out;
    encode(packet{p}, out);
    return out;
}

byte_buffer length_bytes(std::uint32_t n) {
    byte_buffer out;
    encode_remaining_length(n, out);
    return out;
}

}  // namespace

// ---- Remaining Length (section 2.2.3, table 2.4) ----

TEST(encode_remaining_length, boundaries_use_the_spec_byte_counts) {
    EXPECT_EQ(length_bytes(0), bytes({0x00}));
    EXPECT_EQ(length_bytes(127), bytes({0x7F}));
    EXPECT_EQ(length_bytes(128), bytes({0x80, 0x01}));
    EXPECT_EQ(length_bytes(16'383), bytes({0xFF, 0x7F}));
    EXPECT_EQ(length_bytes(16'384), bytes({0x80, 0x80, 0x01}));
    EXPECT_EQ(length_bytes(2'097'151), bytes({0xFF, 0xFF, 0x7F}));
    EXPECT_EQ(length_bytes(2'097'152), bytes({0x80, 0x80, 0x80, 0x01}));
    EXPECT_EQ(length_bytes(268'435'455), bytes({0xFF, 0xFF, 0xFF, 0x7F}));
}

TEST(encode_remaining_length, examples_from_the_text) {
    EXPECT_EQ(length_bytes(64), bytes({0x40}));
    EXPECT_EQ(length_bytes(321), bytes({0xC1, 0x02}));  // 65 + 2 * 128
}

TEST(encode_remaining_length, always_shortest_form) {
    for (std::uint32_t n : {0u, 1u, 127u, 128u, 300u, 16'383u, 16'384u, 2'097'151u, 2'097'152u,
                            100'000'000u, 268'435'455u}) {
        const byte_buffer b = length_bytes(n);
        const std::size_t want = n < 128 ? 1 : n < 16'384 ? 2 : n < 2'097'152 ? 3 : 4;
        ASSERT_EQ(b.size(), want) << n;
        EXPECT_EQ(b.back() & 0x80, 0) << n;
        if (b.size() > 1) {
            EXPECT_NE(b.back(), 0) << n << ": a zero last digit is not shortest";
        }
    }
}

TEST(encode_remaining_length, over_the_limit_throws_and_appends_nothing) {
    byte_buffer out = bytes({0xAA});
    EXPECT_THROW(encode_remaining_length(268'435'456, out), std::invalid_argument);
    EXPECT_THROW(encode_remaining_length(0xFFFFFFFF, out), std::invalid_argument);
    EXPECT_EQ(out, bytes({0xAA}));
}

TEST(encode_publish, remaining_length_changes_width_at_the_boundaries) {
    // Topic "t" takes 3 bytes, so payload n gives Remaining Length n + 3.
    struct row {
        std::size_t remaining;
        byte_buffer header;
    };
    const row rows[] = {
        {3, bytes({0x30, 0x03})},
        {127, bytes({0x30, 0x7F})},
        {128, bytes({0x30, 0x80, 0x01})},
        {16'383, bytes({0x30, 0xFF, 0x7F})},
        {16'384, bytes({0x30, 0x80, 0x80, 0x01})},
        {2'097'151, bytes({0x30, 0xFF, 0xFF, 0x7F})},
        {2'097'152, bytes({0x30, 0x80, 0x80, 0x80, 0x01})},
    };
    for (const auto& r : rows) {
        const std::string payload(r.remaining - 3, 'x');
        byte_buffer out;
        encode_publish({"t", payload, 0, false, false, 0}, out);
        ASSERT_EQ(out.size(), r.header.size() + r.remaining) << r.remaining;
        EXPECT_EQ(byte_buffer(out.begin(), out.begin() + static_cast<long>(r.header.size())),
                  r.header)
            << r.remaining;
    }
}

TEST(encode_publish, packet_over_268435455_bytes_throws_and_appends_nothing) {
    // A read-only view of untouched anonymous memory: 256 MiB of address space, no RAM, and
    // nothing is read because the size check comes first.
    const std::size_t size = max_remaining_length;
    void* mem = mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    ASSERT_NE(mem, MAP_FAILED);
    // With the 3 bytes of topic "t" the Remaining Length is 268435456, one over the limit.
    const std::string_view payload(static_cast<const char*>(mem), size - 2);
    byte_buffer out = bytes({0xAA});
    EXPECT_THROW(encode_publish({"t", payload, 0, false, false, 0}, out), std::invalid_argument);
    EXPECT_EQ(out, bytes({0xAA}));
    munmap(mem, size);
}

TEST(encode_strings, over_65535_bytes_throw_and_append_nothing) {
    const std::string big(65'536, 'a');
    byte_buffer out = bytes({0xAA});
    connect_packet c;
    c.client_id = big;
    EXPECT_THROW(encode_connect(c, out), std::invalid_argument);
    c.client_id = "id";
    c.password = big;  // the last field: the header would already be out without the pre-check
    EXPECT_THROW(encode_connect(c, out), std::invalid_argument);
    EXPECT_THROW(encode_publish({big, "", 0, false, false, 0}, out), std::invalid_argument);
    EXPECT_THROW(encode_subscribe({1, {{"a", 0}, {big, 0}}}, out), std::invalid_argument);
    EXPECT_THROW(encode_unsubscribe({1, {"a", big}}, out), std::invalid_argument);
    EXPECT_EQ(out, bytes({0xAA}));

    // 65535 is the largest a field can hold.
    out.clear();
    encode_publish({std::string(65'535, 't'), "", 0, false, false, 0}, out);
    EXPECT_EQ(out.size(), 1 + 3 + 2 + 65'535u);
    EXPECT_EQ(out[4], 0xFF);
    EXPECT_EQ(out[5], 0xFF);
}

TEST(encode, appends_to_what_is_already_there) {
    byte_buffer out;
    encode_empty({packet_type::pingreq}, out);
    encode_ack({packet_type::puback, 7}, out);
    EXPECT_EQ(out, bytes({0xC0, 0x00, 0x40, 0x02, 0x00, 0x07}));
}

// ---- CONNECT (section 3.1) ----

TEST(encode_connect, mqtt311_minimal) {
    connect_packet c;
    c.client_id = "abc";
    c.keepalive = 60;
    EXPECT_EQ(encoded(c), bytes({0x10, 0x0F,                            // CONNECT, 15 bytes
                                 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04,  // name, level 4
                                 0x02, 0x00, 0x3C,                      // clean session, 60 s
                                 0x00, 0x03, 'a', 'b', 'c'}));
}

TEST(encode_connect, mqtt31_minimal) {
    connect_packet c;
    c.version = protocol_version::v31;
    c.client_id = "abc";
    c.clean_session = false;
    c.keepalive = 0;
    EXPECT_EQ(encoded(c),
              bytes({0x10, 0x11, 0x00, 0x06, 'M', 'Q', 'I', 's', 'd', 'p', 0x03,  // MQIsdp, level 3
                     0x00, 0x00, 0x00, 0x00, 0x03, 'a', 'b', 'c'}));
}

// The variable header example of section 3.1.2.10: user name, password, will QoS 1, will,
// clean session; keepalive 10.
TEST(encode_connect, spec_example_flags_0xce) {
    connect_packet c;
    c.client_id = "c";
    c.keepalive = 10;
    c.will = will_message{"w", "bye", 1, false};
    c.username = "u";
    c.password = "p";
    EXPECT_EQ(encoded(c), bytes({0x10, 0x1B, 0x00, 0x04, 'M',  'Q',  'T', 'T',
                                 0x04, 0xCE, 0x00, 0x0A, 0x00, 0x01, 'c',  // client id
                                 0x00, 0x01, 'w',                          // will topic
                                 0x00, 0x03, 'b',  'y',  'e',              // will message
                                 0x00, 0x01, 'u',  0x00, 0x01, 'p'}));
}

TEST(encode_connect, empty_client_id_and_empty_password_are_encoded) {
    connect_packet c;
    c.client_id = "";
    c.username = "";
    c.password = "";
    EXPECT_EQ(encoded(c), bytes({0x10, 0x10, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04, 0xC2, 0x00, 0x3C,
                                 0x00, 0x00, 0x00, 0x00, 0x00, 0x00}));
}

// Every combination of the connect flags (section 3.1.2.3: bit 7 user name, 6 password,
// 5 will retain, 4-3 will QoS, 2 will, 1 clean session, 0 reserved), for both versions; the
// payload fields follow in the order client id, will topic, will message, user name, password.
TEST(encode_connect, every_flag_combination) {
    for (auto version : {protocol_version::v31, protocol_version::v311}) {
        for (int clean = 0; clean < 2; ++clean) {
            for (int will = -1; will < 6;
                 ++will) {  // -1: none; else qos = will / 2, retain = will % 2
                for (int user = 0; user < 2; ++user) {
                    for (int pass = 0; pass < 2; ++pass) {
                        for (std::uint16_t ka : {std::uint16_t{0}, std::uint16_t{0x1234}}) {
                            connect_packet c;
                            c.version = version;
                            c.client_id = "client-1";
                            c.clean_session = clean;
                            c.keepalive = ka;
                            if (will >= 0)
                                c.will =
                                    will_message{"last/will", "gone", will / 2, (will % 2) != 0};
                            if (user) c.username = "user";
                            if (pass) c.password = std::string("p\0w", 3);

                            byte_buffer body;
                            append_field(body,
                                         version == protocol_version::v31 ? "MQIsdp" : "MQTT");
                            body.push_back(version == protocol_version::v31 ? 3 : 4);
                            int flags = clean << 1;
                            if (will >= 0) flags |= 0x04 | (will / 2) << 3 | (will % 2) << 5;
                            flags |= pass << 6 | user << 7;
                            body.push_back(static_cast<std::uint8_t>(flags));
                            body.push_back(static_cast<std::uint8_t>(ka >> 8));
                            body.push_back(static_cast<std::uint8_t>(ka & 0xFF));
                            append_field(body, "client-1");
                            if (will >= 0) {
                                append_field(body, "last/will");
                                append_field(body, "gone");
                            }
                            if (user) append_field(body, "user");
                            if (pass) append_field(body, std::string_view("p\0w", 3));
                            ASSERT_LT(body.size(), 128u);
                            byte_buffer want = {0x10, static_cast<std::uint8_t>(body.size())};
                            want.insert(want.end(), body.begin(), body.end());

                            EXPECT_EQ(encoded(c), want)
                                << "v" << int(version) << " clean " << clean << " will " << will
                                << " user " << user << " pass " << pass << " ka " << ka;
                        }
                    }
                }
            }
        }
    }
}

// ---- CONNACK (section 3.2) ----

TEST(encode_connack, flags_and_return_code) {
    EXPECT_EQ(encoded(connack_packet{false, 0}), bytes({0x20, 0x02, 0x00, 0x00}));
    EXPECT_EQ(encoded(connack_packet{true, 0}), bytes({0x20, 0x02, 0x01, 0x00}));
    EXPECT_EQ(encoded(connack_packet{false, 5}), bytes({0x20, 0x02, 0x00, 0x05}));
}

// ---- PUBLISH (section 3.3) ----

TEST(encode_publish, qos0) {
    EXPECT_EQ(encoded(publish_packet{"a/b", "hi", 0, false, false, 0}),
              bytes({0x30, 0x07, 0x00, 0x03, 'a', '/', 'b', 'h', 'i'}));
}

TEST(encode_publish, qos0_retain_empty_payload) {
    EXPECT_EQ(encoded(publish_packet{"a/b", "", 0, true, false, 0}),
              bytes({0x31, 0x05, 0x00, 0x03, 'a', '/', 'b'}));
}

// Section 3.3.2.3's example: topic "a/b", packet identifier 10.
TEST(encode_publish, qos1_carries_the_packet_id) {
    EXPECT_EQ(encoded(publish_packet{"a/b", "x", 1, false, false, 10}),
              bytes({0x32, 0x08, 0x00, 0x03, 'a', '/', 'b', 0x00, 0x0A, 'x'}));
}

TEST(encode_publish, qos2) {
    EXPECT_EQ(encoded(publish_packet{"a/b", "x", 2, false, false, 0x1234}),
              bytes({0x34, 0x08, 0x00, 0x03, 'a', '/', 'b', 0x12, 0x34, 'x'}));
}

TEST(encode_publish, first_byte_for_every_qos_dup_retain) {
    // Bit 3 DUP, bits 2-1 QoS, bit 0 RETAIN (section 3.3.1).
    for (int qos = 0; qos < 3; ++qos) {
        for (int dup = 0; dup < 2; ++dup) {
            for (int retain = 0; retain < 2; ++retain) {
                if (qos == 0 && dup) continue;  // DUP must be 0 for QoS 0
                publish_packet p{"t",         "",       static_cast<std::uint8_t>(qos),
                                 retain != 0, dup != 0, static_cast<std::uint16_t>(qos ? 1 : 0)};
                const byte_buffer b = encoded(p);
                EXPECT_EQ(b[0], 0x30 | dup << 3 | qos << 1 | retain)
                    << "qos " << qos << " dup " << dup << " retain " << retain;
            }
        }
    }
    EXPECT_EQ(encoded(publish_packet{"t", "", 1, true, true, 1})[0], 0x3B);
    EXPECT_EQ(encoded(publish_packet{"t", "", 2, true, true, 1})[0], 0x3D);
}

TEST(encode_publish, payload_is_binary) {
    const std::string payload("\x00\xFF\x80", 3);
    EXPECT_EQ(encoded(publish_packet{"t", payload, 0, false, false, 0}),
              bytes({0x30, 0x06, 0x00, 0x01, 't', 0x00, 0xFF, 0x80}));
}

// ---- PUBACK, PUBREC, PUBREL, PUBCOMP, UNSUBACK (sections 3.4-3.7, 3.11) ----

TEST(encode_ack, every_ack_type) {
    EXPECT_EQ(encoded(ack_packet{packet_type::puback, 1}), bytes({0x40, 0x02, 0x00, 0x01}));
    EXPECT_EQ(encoded(ack_packet{packet_type::pubrec, 0x0102}), bytes({0x50, 0x02, 0x01, 0x02}));
    EXPECT_EQ(encoded(ack_packet{packet_type::pubrel, 0xFFFF}), bytes({0x62, 0x02, 0xFF, 0xFF}));
    EXPECT_EQ(encoded(ack_packet{packet_type::pubcomp, 0x8000}), bytes({0x70, 0x02, 0x80, 0x00}));
    EXPECT_EQ(encoded(ack_packet{packet_type::unsuback, 10}), bytes({0xB0, 0x02, 0x00, 0x0A}));
}

// ---- SUBSCRIBE, SUBACK (sections 3.8, 3.9) ----

// Section 3.8.3's example: "a/b" at QoS 1 and "c/d" at QoS 2, packet identifier 10.
TEST(encode_subscribe, two_filters) {
    EXPECT_EQ(encoded(subscribe_packet{10, {{"a/b", 1}, {"c/d", 2}}}),
              bytes({0x82, 0x0E, 0x00, 0x0A, 0x00, 0x03, 'a', '/', 'b', 0x01, 0x00, 0x03, 'c', '/',
                     'd', 0x02}));
}

TEST(encode_subscribe, wildcards_and_qos0) {
    EXPECT_EQ(encoded(subscribe_packet{1, {{"#", 0}, {"+/x/+", 1}, {"s/#", 2}}}),
              bytes({0x82, 0x14, 0x00, 0x01, 0x00, 0x01, '#',  0x00, 0x00, 0x05, '+',
                     '/',  'x',  '/',  '+',  0x01, 0x00, 0x03, 's',  '/',  '#',  0x02}));
}

TEST(encode_suback, granted_and_failure_codes) {
    EXPECT_EQ(encoded(suback_packet{10, {0x00, 0x01, 0x02, 0x80}}),
              bytes({0x90, 0x06, 0x00, 0x0A, 0x00, 0x01, 0x02, 0x80}));
}

// ---- UNSUBSCRIBE (section 3.10) ----

TEST(encode_unsubscribe, two_filters) {
    EXPECT_EQ(
        encoded(unsubscribe_packet{0x0203, {"a/b", "c/d"}}),
        bytes({0xA2, 0x0C, 0x02, 0x03, 0x00, 0x03, 'a', '/', 'b', 0x00, 0x03, 'c', '/', 'd'}));
}

// ---- PINGREQ, PINGRESP, DISCONNECT (sections 3.12-3.14) ----

TEST(encode_empty, ping_and_disconnect) {
    EXPECT_EQ(encoded(empty_packet{packet_type::pingreq}), bytes({0xC0, 0x00}));
    EXPECT_EQ(encoded(empty_packet{packet_type::pingresp}), bytes({0xD0, 0x00}));
    EXPECT_EQ(encoded(empty_packet{packet_type::disconnect}), bytes({0xE0, 0x00}));
}
