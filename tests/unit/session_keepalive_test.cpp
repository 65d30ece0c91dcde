// Keepalive (MQTT 3.1.1 section 3.1.2.10): the client must send some packet at least every
// keepalive seconds, PINGREQ when it has nothing else; a missing PINGRESP ends the connection.
//
// The session's rule, asserted here: PINGREQ goes when keepalive seconds passed since the
// last packet sent OR since the last packet received (Paho's and libmosquitto's rule). Sending
// postpones the send side; the receive side makes a half-open link visible even while the
// client keeps sending QoS 0 messages. The standard lets a client send PINGREQ at any time,
// so the extra pings are allowed; what it requires (never keepalive seconds without sending)
// holds.
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include "scripted_peer.hpp"

namespace piogate::mqtt::test {
namespace {

session_rig keepalive_rig(std::uint16_t seconds) {
    session_config c = session_rig::default_config();
    c.keepalive = seconds;
    return session_rig(c);
}

TEST(session_keepalive, pingreq_after_silence_then_timeout_without_pingresp) {
    auto rig = keepalive_rig(10);
    rig.peer.connect(at(0s));
    EXPECT_EQ(rig.s.next_deadline(), at(10s));
    rig.s.on_tick(at(9999ms));
    EXPECT_FALSE(rig.s.has_output());
    rig.s.on_tick(at(10s));
    const wire_packet ping = rig.peer.take_one(packet_type::pingreq);
    EXPECT_EQ(ping.raw, (byte_buffer{0xC0, 0x00}));
    // No second PINGREQ while one is outstanding; the deadline is the PINGRESP timeout.
    EXPECT_EQ(rig.s.next_deadline(), at(20s));
    rig.s.on_tick(at(19999ms));
    EXPECT_TRUE(rig.peer.take().empty());
    EXPECT_TRUE(rig.handler.closes.empty());
    rig.s.on_tick(at(20s));
    ASSERT_EQ(rig.handler.closes.size(), 1u);
    EXPECT_TRUE(is_code(rig.handler.closes[0], errc::keepalive_timeout));
    EXPECT_NE(rig.handler.closes[0].detail.find("PINGRESP"), std::string::npos);
    EXPECT_EQ(rig.s.state(), session_state::closing);
}

TEST(session_keepalive, other_traffic_does_not_stand_in_for_pingresp) {
    auto rig = keepalive_rig(10);
    rig.peer.connect(at(0s));
    rig.s.on_tick(at(10s));
    rig.peer.take_one(packet_type::pingreq);
    rig.peer.publish("t", "x", 0, 0, at(15s));  // the broker is talking, but never answers
    rig.s.on_tick(at(20s));
    ASSERT_EQ(rig.handler.closes.size(), 1u);
    EXPECT_TRUE(is_code(rig.handler.closes[0], errc::keepalive_timeout));
}

TEST(session_keepalive, pingresp_restarts_the_cycle) {
    auto rig = keepalive_rig(10);
    rig.peer.connect(at(0s));
    rig.s.on_tick(at(10s));
    rig.peer.take_one(packet_type::pingreq);
    rig.peer.pingresp(at(11s));
    EXPECT_EQ(rig.s.next_deadline(), at(20s));  // the PINGREQ at 10 s was the last send
    rig.s.on_tick(at(19s));
    EXPECT_TRUE(rig.peer.take().empty());
    rig.s.on_tick(at(20s));
    rig.peer.take_one(packet_type::pingreq);
    rig.peer.pingresp(at(21s));
    rig.s.on_tick(at(29s));
    EXPECT_TRUE(rig.handler.closes.empty());
}

TEST(session_keepalive, acknowledged_publishes_postpone_the_ping) {
    auto rig = keepalive_rig(10);
    rig.peer.connect(at(0s));
    rig.s.publish("t", "1", 1, false, at(6s));
    const auto p = rig.peer.take_one(packet_type::publish);
    rig.peer.puback(p.id, at(6s));
    EXPECT_EQ(rig.s.next_deadline(), at(16s));
    rig.s.on_tick(at(10s));
    rig.s.on_tick(at(15s));
    EXPECT_TRUE(rig.peer.take().empty());
    rig.s.on_tick(at(16s));
    rig.peer.take_one(packet_type::pingreq);
}

TEST(session_keepalive, receiving_alone_does_not_postpone_the_ping) {
    // The broker judges the client by what it receives from it (1.5 x keepalive).
    auto rig = keepalive_rig(10);
    rig.peer.connect(at(0s));
    rig.peer.publish("t", "x", 0, 0, at(8s));
    rig.peer.pingresp(at(9s));  // unsolicited, harmless
    EXPECT_EQ(rig.s.next_deadline(), at(10s));
    rig.s.on_tick(at(10s));
    rig.peer.take_one(packet_type::pingreq);
}

TEST(session_keepalive, sending_alone_postpones_only_until_the_receive_side_is_idle) {
    // QoS 0 publishes every 4 s and nothing comes back: a ping still goes keepalive
    // seconds after the last packet received (here the CONNACK at 1 s).
    auto rig = keepalive_rig(10);
    rig.s.on_transport_open(at(0s));
    rig.peer.take();
    rig.peer.connack(false, 0, at(1s));
    for (int t = 4; t <= 8; t += 4) {
        rig.s.publish("t", "x", 0, false, at(std::chrono::seconds(t)));
        rig.peer.take_one(packet_type::publish);
    }
    EXPECT_EQ(rig.s.next_deadline(), at(11s));
    rig.s.on_tick(at(10s));
    EXPECT_TRUE(rig.peer.take().empty());
    rig.s.on_tick(at(11s));
    rig.peer.take_one(packet_type::pingreq);
}

TEST(session_keepalive, a_late_tick_still_pings_once) {
    auto rig = keepalive_rig(10);
    rig.peer.connect(at(0s));
    rig.s.on_tick(at(35s));  // the loop was stalled
    rig.peer.take_one(packet_type::pingreq);
    rig.s.on_tick(at(36s));
    EXPECT_TRUE(rig.peer.take().empty());
    EXPECT_EQ(rig.s.next_deadline(), at(45s));
}

TEST(session_keepalive, zero_disables_pings_and_deadlines) {
    auto rig = keepalive_rig(0);
    rig.peer.connect(at(0s));
    EXPECT_FALSE(rig.s.next_deadline().has_value());
    rig.s.on_tick(at(100000s));
    EXPECT_FALSE(rig.s.has_output());
    EXPECT_TRUE(rig.handler.closes.empty());
}

TEST(session_keepalive, reconnect_forgets_an_outstanding_ping) {
    auto rig = keepalive_rig(10);
    rig.peer.connect(at(0s));
    rig.s.on_tick(at(10s));
    rig.peer.take_one(packet_type::pingreq);
    rig.peer.reconnect(at(12s), false);
    EXPECT_EQ(rig.s.next_deadline(), at(22s));
    rig.s.on_tick(at(21s));
    EXPECT_TRUE(rig.handler.closes.empty());
    EXPECT_TRUE(rig.peer.take().empty());
}

}  // namespace
}  // namespace piogate::mqtt::test
