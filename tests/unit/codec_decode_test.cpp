// Decoders against byte vectors from the MQTT 3.1.1 OASIS standard: well-formed packets,
// round trips, every prefix of a packet (incomplete) and every kind of malformed input.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/packet_equal.hpp"
#include "piogate/mqtt/codec.hpp"

using namespace piogate::mqtt;
using piogate::mqtt::testing::describe;
using piogate::mqtt::testing::packets_equal;
using ::testing::HasSubstr;

namespace {

byte_buffer bytes(std::initializer_list<int> list) {
    byte_buffer b;
    for (int v : list) b.push_back(static_cast<std::uint8_t>(v));
    return b;
}

byte_buffer cat(byte_buffer a, const byte_buffer& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

// A whole packet from a first byte and a body; the Remaining Length is computed.
byte_buffer frame(std::uint8_t first, const byte_buffer& body) {
    byte_buffer out{first};
    encode_remaining_length(static_cast<std::uint32_t>(body.size()), out);
    return cat(out, body);
}

byte_buffer field(std::string_view s) {
    byte_buffer b;
    b.push_back(static_cast<std::uint8_t>(s.size() >> 8));
    b.push_back(static_cast<std::uint8_t>(s.size() & 0xFF));
    for (char c : s) b.push_back(static_cast<std::uint8_t>(c));  // (insert trips GCC 12's -Warray-bounds)
    return b;
}

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

// A CONNECT body for 3.1.1 up to and including the keepalive, with the given flags.
byte_buffer connect_head(int flags, std::string_view name = "MQTT", int level = 4) {
    return cat(field(name), bytes({level, flags, 0x00, 0x3C}));
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
    for (const auto& in : {bytes({0x30, 0x80, 0x80, 0x80, 0x80, 0x01}),
                           bytes({0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F}),
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
    for (const auto& in : {bytes({0xC0, 0x80, 0x00}), bytes({0x30, 0x81, 0x00}),
                           bytes({0x30, 0xFF, 0x80, 0x00}), bytes({0x30, 0x80, 0x80, 0x80, 0x00}),
                           bytes({0x30, 0xFF, 0xFF, 0x80, 0x00})}) {
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
    for (const auto& in : {bytes({}), bytes({0x30}), bytes({0x30, 0x80}),
                           bytes({0x30, 0xFF, 0xFF}), bytes({0x30, 0xFF, 0xFF, 0xFF})}) {
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
    const byte_buffer in = frame(0x10, cat(connect_head(0xCE), cat(field("c"), cat(field("w"), cat(field("bye"), cat(field("u"), field("p")))))));
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
    const byte_buffer in = frame(
        0x10, cat(bytes({0x00, 0x06, 'M', 'Q', 'I', 's', 'd', 'p', 0x03, 0x42, 0x00, 0x05}),
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
    const byte_buffer in = frame(0x30, cat(field(topic), byte_buffer(payload.begin(), payload.end())));
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
        "\xC2",              // cut short at the end
        "\xC2\x41",          // continuation missing
        "\xE0\xA0",
        "\xF0\x90\x80",
    };
    for (const char* t : bad) {
        decode_result r = decode(frame(0x30, field(t)));
        EXPECT_EQ(r.status, decode_status::malformed) << static_cast<int>(static_cast<unsigned char>(t[0]));
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
    auto s = decode_as<subscribe_packet>(bytes(
        {0x82, 0x0E, 0x00, 0x0A, 0x00, 0x03, 'a', '/', 'b', 0x01, 0x00, 0x03, 'c', '/', 'd', 0x02}));
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

// ---- round trips and prefixes ----

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
            if (flags & 2) c.will = will_message{"will/t", std::string("\0x", 2), (flags >> 3) % 3, (flags & 4) != 0};
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
            decode_result r = decode(wire, version);
            ASSERT_EQ(r.status, decode_status::ok) << describe(p) << ": " << r.error;
            EXPECT_EQ(r.consumed, wire.size()) << describe(p);
            EXPECT_TRUE(packets_equal(r.pkt, p)) << describe(p) << " came back as " << describe(r.pkt);
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
            if (n > 0 && decode_header(std::span(wire.data(), n)).status != decode_status::incomplete) {
                EXPECT_EQ(decode_header(std::span(wire.data(), n)).status, decode_status::ok);
            }
        }
    }
}

// ---- malformed input ----

namespace {

struct bad_case {
    const char* name;
    byte_buffer in;
    const char* error;  // a piece of the expected reason
    protocol_version version = protocol_version::v311;
};

// A well-formed body for each packet type, so a test can vary one thing (the flags).
byte_buffer valid_body(packet_type t) {
    switch (t) {
        case packet_type::connect: return cat(connect_head(0x02), field("id"));
        case packet_type::connack: return bytes({0x00, 0x00});
        case packet_type::publish: return cat(field("t"), bytes({'x'}));
        case packet_type::subscribe: return cat(bytes({0x00, 0x01}), cat(field("t"), bytes({0x00})));
        case packet_type::suback: return bytes({0x00, 0x01, 0x00});
        case packet_type::unsubscribe: return cat(bytes({0x00, 0x01}), field("t"));
        case packet_type::pingreq:
        case packet_type::pingresp:
        case packet_type::disconnect: return {};
        default: return bytes({0x00, 0x01});
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
        {"PUBLISH QoS 1 half a packet id", frame(0x32, cat(field("t"), bytes({0}))), "ends inside a field"},
        {"PUBLISH topic with +", frame(0x30, field("a/+")), "invalid topic name"},
        {"PUBLISH topic with #", frame(0x30, field("a/#")), "invalid topic name"},
        {"PUBLISH topic #", frame(0x30, field("#")), "invalid topic name"},
        {"PUBLISH empty topic", frame(0x30, field("")), "invalid topic name"},
        {"PUBLISH topic U+0000", frame(0x30, field(std::string_view("a\0b", 3))), "topic name is not valid UTF-8"},
        {"PUBLISH topic overlong NUL", frame(0x30, field("\xC0\x80")), "topic name is not valid UTF-8"},
        {"PUBLISH topic overlong /", frame(0x30, field("\xE0\x80\xAF")), "topic name is not valid UTF-8"},
        {"PUBLISH topic surrogate", frame(0x30, field("\xED\xA0\x80")), "topic name is not valid UTF-8"},
        {"PUBLISH topic above U+10FFFF", frame(0x30, field("\xF4\x90\x80\x80")), "topic name is not valid UTF-8"},
        {"PUBLISH topic 0xFF", frame(0x30, field("a\xFF")), "topic name is not valid UTF-8"},
        {"PUBLISH topic lone continuation", frame(0x30, field("\x80")), "topic name is not valid UTF-8"},
        {"PUBLISH topic truncated sequence", frame(0x30, field("\xE2\x82")), "topic name is not valid UTF-8"},
        {"PUBLISH topic runs past the end", frame(0x30, bytes({0x00, 0x05, 'a', 'b'})), "topic name runs past the end"},
        {"PUBLISH topic length cut", frame(0x30, bytes({0x00})), "ends inside a field"},
        {"PUBLISH empty body", bytes({0x30, 0x00}), "ends inside a field"},

        {"CONNECT reserved flag", frame(0x10, cat(connect_head(0x03), field("id"))), "reserved flag"},
        {"CONNECT will QoS without will", frame(0x10, cat(connect_head(0x0A), field("id"))), "without will"},
        {"CONNECT will QoS 2 without will", frame(0x10, cat(connect_head(0x12), field("id"))), "without will"},
        {"CONNECT will retain without will", frame(0x10, cat(connect_head(0x22), field("id"))), "without will"},
        {"CONNECT will QoS 3", frame(0x10, cat(connect_head(0x1E), cat(field("id"), cat(field("w"), field("m"))))), "will QoS 3"},
        {"CONNECT password without user name", frame(0x10, cat(connect_head(0x42), cat(field("id"), field("pw")))), "password flag without user name"},
        {"CONNECT protocol MQTT level 3", frame(0x10, cat(connect_head(0x02, "MQTT", 3), field("id"))), "unsupported protocol name/level MQTT/3"},
        {"CONNECT protocol MQIsdp level 4", frame(0x10, cat(connect_head(0x02, "MQIsdp", 4), field("id"))), "unsupported protocol name/level MQIsdp/4"},
        {"CONNECT protocol MQTT level 5", frame(0x10, cat(connect_head(0x02, "MQTT", 5), field("id"))), "unsupported protocol name/level MQTT/5"},
        {"CONNECT protocol name mqtt", frame(0x10, cat(connect_head(0x02, "mqtt", 4), field("id"))), "unsupported protocol name/level"},
        {"CONNECT protocol name empty", frame(0x10, cat(connect_head(0x02, "", 4), field("id"))), "unsupported protocol name/level"},
        {"CONNECT protocol name not UTF-8", frame(0x10, cat(connect_head(0x02, "\xFF", 4), field("id"))), "protocol name is not valid UTF-8"},
        {"CONNECT protocol name past the end", frame(0x10, bytes({0x00, 0x09, 'M', 'Q', 'T', 'T'})), "protocol name runs past the end"},
        {"CONNECT ends before keepalive", frame(0x10, cat(field("MQTT"), bytes({0x04, 0x02, 0x00}))), "ends inside a field"},
        {"CONNECT without client id", frame(0x10, connect_head(0x02)), "ends inside a field"},
        {"CONNECT client id past the end", frame(0x10, cat(connect_head(0x02), bytes({0x00, 0x03, 'i'}))), "client identifier runs past the end"},
        {"CONNECT client id not UTF-8", frame(0x10, cat(connect_head(0x02), field("\xC3"))), "client identifier is not valid UTF-8"},
        {"CONNECT will flag without will fields", frame(0x10, cat(connect_head(0x06), field("id"))), "ends inside a field"},
        {"CONNECT will message missing", frame(0x10, cat(connect_head(0x06), cat(field("id"), field("w")))), "ends inside a field"},
        {"CONNECT will topic with wildcard", frame(0x10, cat(connect_head(0x06), cat(field("id"), cat(field("w/#"), field("m"))))), "invalid will topic"},
        {"CONNECT will topic empty", frame(0x10, cat(connect_head(0x06), cat(field("id"), cat(field(""), field("m"))))), "invalid will topic"},
        {"CONNECT will topic not UTF-8", frame(0x10, cat(connect_head(0x06), cat(field("id"), cat(field("\xED\xBF\xBF"), field("m"))))), "will topic is not valid UTF-8"},
        {"CONNECT user name missing", frame(0x10, cat(connect_head(0x82), field("id"))), "ends inside a field"},
        {"CONNECT user name not UTF-8", frame(0x10, cat(connect_head(0x82), cat(field("id"), field(std::string_view("\0", 1))))), "user name is not valid UTF-8"},
        {"CONNECT password past the end", frame(0x10, cat(connect_head(0xC2), cat(field("id"), cat(field("u"), bytes({0x00, 0x02, 'p'}))))), "password runs past the end"},
        {"CONNECT trailing bytes", frame(0x10, cat(connect_head(0x02), cat(field("id"), bytes({0x00})))), "trailing bytes"},
        {"CONNECT empty body", bytes({0x10, 0x00}), "ends inside a field"},

        {"CONNACK reserved flags", bytes({0x20, 0x02, 0x02, 0x00}), "CONNACK reserved flags"},
        {"CONNACK reserved flags 0xFF", bytes({0x20, 0x02, 0xFF, 0x00}), "CONNACK reserved flags"},
        {"CONNACK session present with refusal", bytes({0x20, 0x02, 0x01, 0x05}), "session present"},
        {"CONNACK length 1", bytes({0x20, 0x01, 0x00}), "remaining length 1 where 2 is required"},
        {"CONNACK length 3", bytes({0x20, 0x03, 0x00, 0x00, 0x00}), "remaining length 3 where 2 is required"},
        {"CONNACK length 0", bytes({0x20, 0x00}), "remaining length 0 where 2 is required"},
        {"CONNACK 3.1 length 3", bytes({0x20, 0x03, 0x00, 0x00, 0x00}), "remaining length 3 where 2", protocol_version::v31},

        {"PUBACK packet id 0", bytes({0x40, 0x02, 0x00, 0x00}), "identifier 0"},
        {"PUBREC packet id 0", bytes({0x50, 0x02, 0x00, 0x00}), "identifier 0"},
        {"PUBREL packet id 0", bytes({0x62, 0x02, 0x00, 0x00}), "identifier 0"},
        {"PUBCOMP packet id 0", bytes({0x70, 0x02, 0x00, 0x00}), "identifier 0"},
        {"UNSUBACK packet id 0", bytes({0xB0, 0x02, 0x00, 0x00}), "identifier 0"},
        {"PUBACK length 0", bytes({0x40, 0x00}), "remaining length 0 where 2 is required"},
        {"PUBACK length 1", bytes({0x40, 0x01, 0x01}), "remaining length 1 where 2 is required"},
        {"PUBREC length 3", bytes({0x50, 0x03, 0x00, 0x01, 0x00}), "remaining length 3 where 2 is required"},
        {"PUBREL length 4", bytes({0x62, 0x04, 0x00, 0x01, 0x00, 0x02}), "remaining length 4 where 2 is required"},
        {"PUBCOMP length 1", bytes({0x70, 0x01, 0x01}), "remaining length 1 where 2 is required"},
        {"UNSUBACK length 3", bytes({0xB0, 0x03, 0x00, 0x01, 0x00}), "remaining length 3 where 2 is required"},
        {"PINGREQ length 1", bytes({0xC0, 0x01, 0x00}), "remaining length 1 where 0 is required"},
        {"PINGRESP length 2", bytes({0xD0, 0x02, 0x00, 0x00}), "remaining length 2 where 0 is required"},
        {"DISCONNECT length 1", bytes({0xE0, 0x01, 0x00}), "remaining length 1 where 0 is required"},

        {"SUBSCRIBE packet id 0", frame(0x82, cat(bytes({0, 0}), cat(field("a"), bytes({0})))), "identifier 0"},
        {"SUBSCRIBE without filters", frame(0x82, id1), "SUBSCRIBE without topic filters"},
        {"SUBSCRIBE empty body", bytes({0x82, 0x00}), "ends inside a field"},
        {"SUBSCRIBE requested QoS 3", frame(0x82, cat(id1, cat(field("a"), bytes({3})))), "QoS above 2"},
        {"SUBSCRIBE reserved QoS bits", frame(0x82, cat(id1, cat(field("a"), bytes({0x41})))), "QoS above 2"},
        {"SUBSCRIBE second filter QoS 3", frame(0x82, cat(id1, cat(field("a"), cat(bytes({1}), cat(field("b"), bytes({3})))))), "QoS above 2"},
        {"SUBSCRIBE filter without QoS", frame(0x82, cat(id1, field("a"))), "ends inside a field"},
        {"SUBSCRIBE filter a/#/b", frame(0x82, cat(id1, cat(field("a/#/b"), bytes({0})))), "invalid topic filter in SUBSCRIBE"},
        {"SUBSCRIBE filter a+", frame(0x82, cat(id1, cat(field("a+"), bytes({0})))), "invalid topic filter in SUBSCRIBE"},
        {"SUBSCRIBE filter a/b#", frame(0x82, cat(id1, cat(field("a/b#"), bytes({0})))), "invalid topic filter in SUBSCRIBE"},
        {"SUBSCRIBE empty filter", frame(0x82, cat(id1, cat(field(""), bytes({0})))), "invalid topic filter in SUBSCRIBE"},
        {"SUBSCRIBE filter not UTF-8", frame(0x82, cat(id1, cat(field("\xF8\x88\x80\x80\x80"), bytes({0})))), "topic filter is not valid UTF-8"},
        {"SUBSCRIBE filter past the end", frame(0x82, cat(id1, bytes({0x00, 0x04, 'a'}))), "topic filter runs past the end"},

        {"SUBACK packet id 0", bytes({0x90, 0x03, 0x00, 0x00, 0x00}), "identifier 0"},
        {"SUBACK without return codes", bytes({0x90, 0x02, 0x00, 0x01}), "SUBACK without return codes"},
        {"SUBACK return code 3", bytes({0x90, 0x03, 0x00, 0x01, 0x03}), "SUBACK return code 3 is not allowed"},
        {"SUBACK return code 0x81", bytes({0x90, 0x04, 0x00, 0x01, 0x00, 0x81}), "SUBACK return code 129"},
        {"SUBACK return code 0x7F", bytes({0x90, 0x03, 0x00, 0x01, 0x7F}), "SUBACK return code 127"},
        {"SUBACK return code 0xFF", bytes({0x90, 0x03, 0x00, 0x01, 0xFF}), "SUBACK return code 255"},
        {"SUBACK length 1", bytes({0x90, 0x01, 0x00}), "ends inside a field"},

        {"UNSUBSCRIBE packet id 0", frame(0xA2, cat(bytes({0, 0}), field("a"))), "identifier 0"},
        {"UNSUBSCRIBE without filters", frame(0xA2, id1), "UNSUBSCRIBE without topic filters"},
        {"UNSUBSCRIBE bad filter", frame(0xA2, cat(id1, field("#/a"))), "invalid topic filter in UNSUBSCRIBE"},
        {"UNSUBSCRIBE empty filter", frame(0xA2, cat(id1, cat(field("a"), field("")))), "invalid topic filter in UNSUBSCRIBE"},
        {"UNSUBSCRIBE leftover byte", frame(0xA2, cat(id1, cat(field("a"), bytes({0})))), "ends inside a field"},
        {"UNSUBSCRIBE filter past the end", frame(0xA2, cat(id1, bytes({0x00, 0x02, 'a'}))), "topic filter runs past the end"},

        {"remaining length non-shortest", bytes({0xC0, 0x80, 0x00}), "shortest form"},
        {"remaining length five bytes", bytes({0x30, 0x80, 0x80, 0x80, 0x80, 0x00}), "longer than four bytes"},
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
