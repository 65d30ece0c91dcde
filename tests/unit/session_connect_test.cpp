// Session start-up: the CONNECT bytes, CONNACK refusals and the CONNACK timeout
// (MQTT 3.1.1 sections 3.1 and 3.2; MQTT 3.1 for the "MQIsdp" variant).
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include "scripted_peer.hpp"

namespace piogate::mqtt::test {
namespace {

byte_buffer connect_bytes(session_config c) {
    session_rig rig(std::move(c));
    rig.s.on_transport_open(at(0s));
    EXPECT_EQ(rig.s.state(), session_state::connecting);
    return rig.peer.take_one(packet_type::connect).raw;
}

TEST(session_connect, v311_minimal_clean_session) {
    session_config c;
    c.client_id = "c1";
    c.clean_session = true;
    c.keepalive = 60;
    const byte_buffer expected = {0x10, 14,   0x00, 0x04, 'M',  'Q', 'T', 'T',
                                  0x04, 0x02, 0x00, 0x3C, 0x00, 2,   'c', '1'};
    EXPECT_EQ(connect_bytes(c), expected);
}

TEST(session_connect, v31_uses_mqisdp_and_level_3) {
    session_config c;
    c.version = protocol_version::v31;
    c.client_id = "c1";
    c.clean_session = false;
    c.keepalive = 0x1234;
    const byte_buffer expected = {0x10, 16,   0x00, 0x06, 'M',  'Q',  'I', 's', 'd',
                                  'p',  0x03, 0x00, 0x12, 0x34, 0x00, 2,   'c', '1'};
    EXPECT_EQ(connect_bytes(c), expected);
}

TEST(session_connect, will_user_and_password_flags_and_order) {
    session_config c;
    c.client_id = "id";
    c.clean_session = true;
    c.keepalive = 10;
    c.will = will_message{"w/t", "bye", 1, true};
    c.username = "u";
    c.password = "pw";
    // Flags: user 0x80 | password 0x40 | will retain 0x20 | will QoS 1 0x08 | will 0x04 |
    // clean 0x02. Payload order: client id, will topic, will message, user name, password.
    const byte_buffer expected = {0x10, 31,   0x00, 0x04, 'M',  'Q',  'T', 'T',  0x04, 0xEE, 0x00,
                                  0x0A, 0x00, 2,    'i',  'd',  0x00, 3,   'w',  '/',  't',  0x00,
                                  3,    'b',  'y',  'e',  0x00, 1,    'u', 0x00, 2,    'p',  'w'};
    EXPECT_EQ(connect_bytes(c), expected);
}

TEST(session_connect, will_qos2_without_retain_and_no_credentials) {
    session_config c;
    c.client_id = "x";
    c.clean_session = false;
    c.keepalive = 0;
    c.will = will_message{"a", "", 2, false};
    session_rig rig(c);
    rig.s.on_transport_open(at(0s));
    const wire_packet w = rig.peer.take_one(packet_type::connect);
    EXPECT_EQ(w.raw[9], 0x14);  // will QoS 2 (0x10) | will (0x04)
    ASSERT_TRUE(w.connect.will.has_value());
    EXPECT_EQ(w.connect.will->qos, 2);
    EXPECT_FALSE(w.connect.will->retain);
    EXPECT_EQ(w.connect.keepalive, 0);
    EXPECT_FALSE(w.connect.username.has_value());
    EXPECT_FALSE(w.connect.password.has_value());
}

TEST(session_connect, v31_user_name_and_password_round_trip) {
    session_config c;
    c.version = protocol_version::v31;
    c.client_id = "legacy";
    c.username = "user";
    c.password = std::string("p\0w", 3);  // binary data is allowed in the password
    session_rig rig(c);
    rig.s.on_transport_open(at(0s));
    const wire_packet w = rig.peer.take_one(packet_type::connect);
    EXPECT_EQ(w.connect.version, protocol_version::v31);
    EXPECT_EQ(w.connect.client_id, "legacy");
    EXPECT_EQ(w.connect.username, "user");
    EXPECT_EQ(w.connect.password, std::string("p\0w", 3));
    EXPECT_EQ(w.raw[11] & 0xC0, 0xC0);
}

TEST(session_connect, accepted_connack_reports_and_connects) {
    session_rig rig;
    rig.peer.connect(at(0s));
    EXPECT_EQ(rig.s.state(), session_state::connected);
    ASSERT_EQ(rig.handler.connacks.size(), 1u);
    EXPECT_EQ(rig.handler.connacks[0], std::make_pair(false, 0));
    EXPECT_TRUE(rig.handler.closes.empty());
}

TEST(session_connect, v31_connack_never_reports_session_present) {
    session_config c = session_rig::default_config();
    c.version = protocol_version::v31;
    session_rig rig(c);
    rig.s.on_transport_open(at(0s));
    rig.peer.take();
    const byte_buffer connack = {0x20, 2, 0x01, 0x00};  // 3.1: the first byte is unused
    EXPECT_EQ(rig.peer.feed(connack, at(0s)), 4u);
    ASSERT_EQ(rig.handler.connacks.size(), 1u);
    EXPECT_FALSE(rig.handler.connacks[0].first);
}

class session_connack_refused : public ::testing::TestWithParam<int> {};

TEST_P(session_connack_refused, reports_code_and_closes) {
    const int rc = GetParam();
    session_rig rig;
    rig.s.on_transport_open(at(0s));
    rig.peer.take();
    rig.peer.connack(false, static_cast<std::uint8_t>(rc), at(1s));
    ASSERT_EQ(rig.handler.connacks.size(), 1u);
    EXPECT_EQ(rig.handler.connacks[0], std::make_pair(false, rc));
    ASSERT_EQ(rig.handler.closes.size(), 1u);
    EXPECT_TRUE(is_code(rig.handler.closes[0], errc::connection_refused));
    EXPECT_NE(rig.handler.closes[0].detail.find(connack_string(rc)), std::string::npos)
        << rig.handler.closes[0].detail;
    EXPECT_EQ(rig.s.state(), session_state::closing);
    EXPECT_FALSE(rig.s.next_deadline().has_value());
    // Nothing more is read on this connection.
    const byte_buffer pingresp = {0xD0, 0x00};
    EXPECT_EQ(rig.peer.feed(pingresp, at(1s)), 0u);
    EXPECT_EQ(rig.handler.closes.size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(session_all_codes, session_connack_refused,
                         ::testing::Values(1, 2, 3, 4, 5, 6));

TEST(session_connect, connack_strings_name_each_refusal) {
    EXPECT_NE(connack_string(1).find("protocol version"), std::string::npos);
    EXPECT_NE(connack_string(2).find("identifier"), std::string::npos);
    EXPECT_NE(connack_string(3).find("unavailable"), std::string::npos);
    EXPECT_NE(connack_string(4).find("user name or password"), std::string::npos);
    EXPECT_NE(connack_string(5).find("not authorized"), std::string::npos);
    EXPECT_NE(connack_string(6).find("6"), std::string::npos);
}

TEST(session_connect, connack_timeout) {
    session_config c = session_rig::default_config();
    c.connect_timeout = 3000ms;
    session_rig rig(c);
    rig.s.on_transport_open(at(10s));
    rig.peer.take();
    ASSERT_EQ(rig.s.next_deadline(), at(13s));
    rig.s.on_tick(at(12999ms));
    EXPECT_TRUE(rig.handler.closes.empty());
    rig.s.on_tick(at(13s));
    ASSERT_EQ(rig.handler.closes.size(), 1u);
    EXPECT_TRUE(is_code(rig.handler.closes[0], errc::connect_timeout));
    EXPECT_NE(rig.handler.closes[0].detail.find("3000 ms"), std::string::npos);
    EXPECT_TRUE(rig.handler.connacks.empty());
    rig.s.on_tick(at(20s));
    EXPECT_EQ(rig.handler.closes.size(), 1u);  // reported once
}

TEST(session_connect, keepalive_does_not_run_before_connack) {
    session_config c = session_rig::default_config();
    c.keepalive = 1;
    c.connect_timeout = 10000ms;
    session_rig rig(c);
    rig.s.on_transport_open(at(0s));
    rig.peer.take();
    rig.s.on_tick(at(5s));
    EXPECT_FALSE(rig.s.has_output());  // no PINGREQ while waiting for CONNACK
    EXPECT_TRUE(rig.handler.closes.empty());
}

TEST(session_connect, disconnect_before_connack_closes_without_disconnect_packet) {
    session_rig rig;
    rig.s.on_transport_open(at(0s));
    rig.peer.take();
    rig.s.disconnect(at(1s));
    ASSERT_EQ(rig.handler.closes.size(), 1u);
    EXPECT_TRUE(is_code(rig.handler.closes[0], errc::disconnected_by_user));
    EXPECT_TRUE(rig.peer.take().empty());
}

TEST(session_connect, reconnect_sends_connect_again) {
    session_rig rig;
    rig.peer.connect(at(0s));
    rig.s.on_transport_closed();
    EXPECT_EQ(rig.s.state(), session_state::idle);
    EXPECT_FALSE(rig.s.next_deadline().has_value());
    rig.s.on_transport_open(at(5s));
    const wire_packet w = rig.peer.take_one(packet_type::connect);
    EXPECT_EQ(w.connect.client_id, "piogate-test");
    EXPECT_FALSE(w.connect.clean_session);
}

}  // namespace
}  // namespace piogate::mqtt::test
