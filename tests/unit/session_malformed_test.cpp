// What the session does with bytes a broker must not send: every violation closes the
// connection with the right code and a detail that names the problem, and nothing after the
// bad packet is read (MQTT 3.1.1 sections 2, 3 and 4.8: "close the Network Connection").
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include "scripted_peer.hpp"

namespace piogate::mqtt::test {
namespace {

struct bad_input {
    const char* name;
    byte_buffer bytes;
    errc expected;
    const char* detail;  // a substring of the on_close detail
};

std::ostream& operator<<(std::ostream& os, const bad_input& b) {
    return os << b.name;
}

std::vector<bad_input> after_connack_cases() {
    return {
        {"remaining_length_five_bytes",
         {0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01},
         errc::malformed_packet,
         "remaining length"},
        {"remaining_length_not_shortest",
         {0xD0, 0x80, 0x00},
         errc::malformed_packet,
         "shortest form"},
        {"reserved_type_0", {0x00, 0x00}, errc::malformed_packet, "reserved packet type 0"},
        {"reserved_type_15", {0xF0, 0x00}, errc::malformed_packet, "reserved packet type 15"},
        {"puback_with_flags", {0x41, 0x02, 0x00, 0x01}, errc::malformed_packet, "flags for PUBACK"},
        {"pubrel_without_its_flags",
         {0x60, 0x02, 0x00, 0x01},
         errc::malformed_packet,
         "flags for PUBREL"},
        {"pingresp_with_flags", {0xD2, 0x00}, errc::malformed_packet, "flags for PINGRESP"},
        {"suback_with_flags",
         {0x98, 0x03, 0x00, 0x01, 0x00},
         errc::malformed_packet,
         "flags for SUBACK"},
        {"pingresp_with_body", {0xD0, 0x01, 0x00}, errc::malformed_packet, "remaining length 1"},
        {"puback_too_long",
         {0x40, 0x03, 0x00, 0x01, 0x00},
         errc::malformed_packet,
         "remaining length 3"},
        {"puback_too_short", {0x40, 0x01, 0x00}, errc::malformed_packet, "remaining length 1"},
        {"puback_id_0", {0x40, 0x02, 0x00, 0x00}, errc::malformed_packet, "identifier 0"},
        {"unsuback_id_0", {0xB0, 0x02, 0x00, 0x00}, errc::malformed_packet, "identifier 0"},
        {"publish_wildcard_plus",
         {0x30, 0x05, 0x00, 0x03, 'a', '/', '+'},
         errc::malformed_packet,
         "invalid topic name"},
        {"publish_wildcard_hash",
         {0x30, 0x03, 0x00, 0x01, '#'},
         errc::malformed_packet,
         "invalid topic name"},
        {"publish_empty_topic",
         {0x30, 0x02, 0x00, 0x00},
         errc::malformed_packet,
         "invalid topic name"},
        {"publish_invalid_utf8",
         {0x30, 0x04, 0x00, 0x02, 0xC3, 0x28},
         errc::malformed_packet,
         "UTF-8"},
        {"publish_utf8_surrogate",
         {0x30, 0x05, 0x00, 0x03, 0xED, 0xA0, 0x80},
         errc::malformed_packet,
         "UTF-8"},
        {"publish_nul_in_topic",
         {0x30, 0x05, 0x00, 0x03, 'a', 0x00, 'b'},
         errc::malformed_packet,
         "UTF-8"},
        {"publish_qos3",
         {0x36, 0x05, 0x00, 0x01, 't', 0x00, 0x01},
         errc::malformed_packet,
         "QoS 3"},
        {"publish_qos1_id_0",
         {0x32, 0x05, 0x00, 0x01, 't', 0x00, 0x00},
         errc::malformed_packet,
         "identifier 0"},
        {"publish_qos0_dup", {0x38, 0x03, 0x00, 0x01, 't'}, errc::malformed_packet, "DUP"},
        {"publish_topic_past_end",
         {0x30, 0x03, 0x00, 0x05, 't'},
         errc::malformed_packet,
         "past the end"},
        {"publish_qos1_without_id",
         {0x32, 0x03, 0x00, 0x01, 't'},
         errc::malformed_packet,
         "ends inside"},
        {"suback_bad_code",
         {0x90, 0x03, 0x00, 0x01, 0x03},
         errc::malformed_packet,
         "return code 3"},
        {"suback_without_codes",
         {0x90, 0x02, 0x00, 0x01},
         errc::malformed_packet,
         "without return codes"},
        {"connect_from_broker",
         {0x10, 0x0C, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04, 0x02, 0x00, 0x3C, 0x00, 0x00},
         errc::protocol_error,
         "must not send CONNECT"},
        {"subscribe_from_broker",
         {0x82, 0x06, 0x00, 0x01, 0x00, 0x01, 'a', 0x00},
         errc::protocol_error,
         "must not send SUBSCRIBE"},
        {"unsubscribe_from_broker",
         {0xA2, 0x05, 0x00, 0x01, 0x00, 0x01, 'a'},
         errc::protocol_error,
         "must not send UNSUBSCRIBE"},
        {"pingreq_from_broker", {0xC0, 0x00}, errc::protocol_error, "must not send PINGREQ"},
        {"disconnect_from_broker", {0xE0, 0x00}, errc::protocol_error, "must not send DISCONNECT"},
        {"second_connack", {0x20, 0x02, 0x00, 0x00}, errc::protocol_error, "second CONNACK"},
    };
}

class session_malformed : public ::testing::TestWithParam<bad_input> {};

TEST_P(session_malformed, closes_and_stops_reading) {
    const bad_input& bad = GetParam();
    session_rig rig;
    rig.peer.connect(at(0s));
    // A good packet first, the bad one, then a good one that must never be read.
    byte_buffer in = {0xD0, 0x00};
    in.insert(in.end(), bad.bytes.begin(), bad.bytes.end());
    const byte_buffer tail = {0x30, 0x03, 0x00, 0x01, 'z'};
    in.insert(in.end(), tail.begin(), tail.end());
    // A packet that decodes but is not allowed is consumed; one that does not decode is not.
    const std::size_t read =
        bad.expected == errc::protocol_error ? 2 + bad.bytes.size() : std::size_t{2};
    EXPECT_EQ(rig.peer.feed(in, at(1s)), read);
    ASSERT_EQ(rig.handler.closes.size(), 1u);
    EXPECT_TRUE(is_code(rig.handler.closes[0], bad.expected))
        << rig.handler.closes[0].reason.message() << ": " << rig.handler.closes[0].detail;
    EXPECT_NE(rig.handler.closes[0].detail.find(bad.detail), std::string::npos)
        << "detail: " << rig.handler.closes[0].detail;
    EXPECT_TRUE(rig.handler.messages.empty());
    EXPECT_EQ(rig.s.state(), session_state::closing);
    // Later data is not consumed, and the session reports once.
    EXPECT_EQ(rig.peer.feed(tail, at(2s)), 0u);
    rig.s.on_tick(at(1000s));
    EXPECT_EQ(rig.handler.closes.size(), 1u);
    EXPECT_TRUE(rig.handler.messages.empty());
}

INSTANTIATE_TEST_SUITE_P(session_after_connack, session_malformed,
                         ::testing::ValuesIn(after_connack_cases()),
                         [](const auto& info) { return std::string(info.param.name); });

struct before_connack_case {
    const char* name;
    byte_buffer bytes;
    errc expected;
    const char* detail;
};

std::ostream& operator<<(std::ostream& os, const before_connack_case& b) {
    return os << b.name;
}

class session_before_connack : public ::testing::TestWithParam<before_connack_case> {};

TEST_P(session_before_connack, closes) {
    const auto& bad = GetParam();
    session_rig rig;
    rig.s.on_transport_open(at(0s));
    rig.peer.take();
    const std::size_t read = bad.expected == errc::protocol_error ? bad.bytes.size() : 0;
    EXPECT_EQ(rig.peer.feed(bad.bytes, at(1s)), read);
    ASSERT_EQ(rig.handler.closes.size(), 1u);
    EXPECT_TRUE(is_code(rig.handler.closes[0], bad.expected)) << rig.handler.closes[0].detail;
    EXPECT_NE(rig.handler.closes[0].detail.find(bad.detail), std::string::npos)
        << "detail: " << rig.handler.closes[0].detail;
    EXPECT_TRUE(rig.handler.connacks.empty());
    EXPECT_TRUE(rig.handler.messages.empty());
    const byte_buffer connack = {0x20, 0x02, 0x00, 0x00};
    EXPECT_EQ(rig.peer.feed(connack, at(1s)), 0u);
    EXPECT_TRUE(rig.handler.connacks.empty());
}

INSTANTIATE_TEST_SUITE_P(session_first_packet, session_before_connack,
                         ::testing::Values(before_connack_case{"publish",
                                                               {0x30, 0x03, 0x00, 0x01, 't'},
                                                               errc::protocol_error,
                                                               "PUBLISH before CONNACK"},
                                           before_connack_case{"pingresp",
                                                               {0xD0, 0x00},
                                                               errc::protocol_error,
                                                               "PINGRESP before CONNACK"},
                                           before_connack_case{"suback",
                                                               {0x90, 0x03, 0x00, 0x01, 0x00},
                                                               errc::protocol_error,
                                                               "SUBACK before CONNACK"},
                                           before_connack_case{"connack_reserved_flags",
                                                               {0x20, 0x02, 0x02, 0x00},
                                                               errc::malformed_packet,
                                                               "reserved flags"},
                                           before_connack_case{"connack_too_long",
                                                               {0x20, 0x03, 0x00, 0x00, 0x00},
                                                               errc::malformed_packet,
                                                               "remaining length 3"},
                                           before_connack_case{
                                               "connack_refused_with_session_present",
                                               {0x20, 0x02, 0x01, 0x05},
                                               errc::malformed_packet,
                                               "session present"}),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(session_malformed_size, oversize_packet_is_refused_from_its_header) {
    session_config c = session_rig::default_config();
    c.max_packet_size = 100;
    session_rig rig(c);
    rig.peer.connect(at(0s));
    // A PUBLISH announcing 200 bytes: refused before the body arrives.
    const byte_buffer header = {0x30, 0xC8, 0x01};
    EXPECT_EQ(rig.peer.feed(header, at(1s)), 0u);
    ASSERT_EQ(rig.handler.closes.size(), 1u);
    EXPECT_TRUE(is_code(rig.handler.closes[0], errc::packet_too_large));
    EXPECT_NE(rig.handler.closes[0].detail.find("203 bytes"), std::string::npos)
        << rig.handler.closes[0].detail;
    EXPECT_NE(rig.handler.closes[0].detail.find("100"), std::string::npos);
}

TEST(session_malformed_size, packet_at_the_limit_is_accepted) {
    session_config c = session_rig::default_config();
    c.max_packet_size = 10;
    session_rig rig(c);
    rig.peer.connect(at(0s));
    rig.peer.publish("t", "12345", 0, 0, at(1s));  // 2 + 3 + 5 = 10 bytes
    ASSERT_EQ(rig.handler.messages.size(), 1u);
    EXPECT_TRUE(rig.handler.closes.empty());
    const byte_buffer eleven = {0x30, 0x09, 0x00, 0x01, 't', '1', '2', '3', '4', '5', '6'};
    EXPECT_EQ(rig.peer.feed(eleven, at(1s)), 0u);
    ASSERT_EQ(rig.handler.closes.size(), 1u);
    EXPECT_TRUE(is_code(rig.handler.closes[0], errc::packet_too_large));
}

TEST(session_malformed_size, partial_packets_wait_for_more_bytes) {
    session_rig rig;
    rig.peer.connect(at(0s));
    byte_buffer two;
    encode_publish({"a/b", "payload", 1, false, false, 9}, two);
    encode_publish({"a/c", "second", 0, false, false, 0}, two);
    // Offer the bytes one at a time, as a slow socket would.
    std::size_t used = 0;
    for (std::size_t have = 1; have <= two.size(); ++have) {
        const std::span<const std::uint8_t> window(two.data() + used, have - used);
        const std::size_t wanted = rig.s.bytes_wanted(window);
        const std::size_t took = rig.peer.feed(window, at(1s));
        if (took == 0) {
            EXPECT_GT(wanted, window.size()) << "at byte " << have;
        }
        used += took;
    }
    EXPECT_EQ(used, two.size());
    ASSERT_EQ(rig.handler.messages.size(), 2u);
    EXPECT_EQ(rig.handler.messages[0].payload, "payload");
    EXPECT_EQ(rig.handler.messages[1].topic, "a/c");
    EXPECT_TRUE(rig.handler.closes.empty());
}

TEST(session_malformed_flow, acks_out_of_order_are_protocol_errors) {
    {
        session_rig rig;
        rig.peer.connect(at(0s));
        rig.s.publish("t", "x", 1, false, at(1s));
        const auto p = rig.peer.take_one(packet_type::publish);
        rig.peer.pubrec(p.id, at(1s));  // PUBREC for a QoS 1 message
        ASSERT_EQ(rig.handler.closes.size(), 1u);
        EXPECT_TRUE(is_code(rig.handler.closes[0], errc::protocol_error));
        EXPECT_NE(rig.handler.closes[0].detail.find("PUBREC"), std::string::npos);
    }
    {
        session_rig rig;
        rig.peer.connect(at(0s));
        rig.s.publish("t", "x", 2, false, at(1s));
        const auto p = rig.peer.take_one(packet_type::publish);
        rig.peer.pubcomp(p.id, at(1s));  // PUBCOMP before PUBREC
        ASSERT_EQ(rig.handler.closes.size(), 1u);
        EXPECT_TRUE(is_code(rig.handler.closes[0], errc::protocol_error));
        EXPECT_NE(rig.handler.closes[0].detail.find("PUBCOMP"), std::string::npos);
        EXPECT_TRUE(rig.handler.published.empty());
    }
    {
        session_rig rig;
        rig.peer.connect(at(0s));
        rig.s.publish("t", "x", 2, false, at(1s));
        const auto p = rig.peer.take_one(packet_type::publish);
        rig.peer.puback(p.id, at(1s));  // PUBACK for a QoS 2 message
        ASSERT_EQ(rig.handler.closes.size(), 1u);
        EXPECT_TRUE(is_code(rig.handler.closes[0], errc::protocol_error));
    }
}

TEST(session_malformed_flow, acks_for_unknown_ids_are_logged_and_ignored) {
    session_rig rig;
    rig.peer.connect(at(0s));
    rig.peer.puback(77, at(1s));
    rig.peer.pubcomp(78, at(1s));
    rig.peer.unsuback(79, at(1s));
    rig.peer.suback(80, {0}, at(1s));
    EXPECT_TRUE(rig.peer.take().empty());
    rig.peer.pubrec(81, at(1s));  // answered with PUBREL so the broker can finish
    EXPECT_EQ(rig.peer.take_one(packet_type::pubrel).id, 81);
    EXPECT_TRUE(rig.handler.closes.empty());
    EXPECT_TRUE(rig.handler.published.empty());
    EXPECT_TRUE(rig.handler.logged(log_level::warning, "unknown packet id 77"));
    EXPECT_TRUE(rig.handler.logged(log_level::warning, "80"));
}

TEST(session_malformed_flow, suback_with_wrong_count_is_a_protocol_error) {
    session_rig rig;
    rig.peer.connect(at(0s));
    const std::pair<std::string, int> filters[] = {{"a", 0}, {"b", 1}};
    rig.s.subscribe(filters, at(1s));
    const auto sub = rig.peer.take_one(packet_type::subscribe);
    rig.peer.suback(sub.id, {0}, at(1s));
    ASSERT_EQ(rig.handler.closes.size(), 1u);
    EXPECT_TRUE(is_code(rig.handler.closes[0], errc::protocol_error));
    EXPECT_NE(rig.handler.closes[0].detail.find("1 return codes for 2 filters"), std::string::npos)
        << rig.handler.closes[0].detail;
    EXPECT_TRUE(rig.handler.subscribed.empty());
}

}  // namespace
}  // namespace piogate::mqtt::test
