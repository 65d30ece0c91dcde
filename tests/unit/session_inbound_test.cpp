// Inbound QoS 0, 1 and 2 with the link cut at each step (MQTT 3.1.1 sections 4.3 and 4.4):
// QoS 1 is delivered at least once; QoS 2 exactly once to the application, even when the
// broker sends the PUBLISH again (DUP = 1) after a reconnect.
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include "scripted_peer.hpp"

namespace piogate::mqtt::test {
namespace {

TEST(session_inbound, qos0_delivered_without_reply) {
    session_rig rig;
    rig.peer.connect(at(0s));
    rig.peer.publish("in/t", "zero", 0, 0, at(1s), false, true);
    ASSERT_EQ(rig.handler.messages.size(), 1u);
    const owned_message& m = rig.handler.messages[0];
    EXPECT_EQ(m.topic, "in/t");
    EXPECT_EQ(m.payload, "zero");
    EXPECT_EQ(m.qos, 0);
    EXPECT_TRUE(m.retain);
    EXPECT_EQ(m.mid, 0);
    EXPECT_TRUE(rig.peer.take().empty());
}

TEST(session_inbound, qos1_delivered_then_puback) {
    session_rig rig;
    rig.peer.connect(at(0s));
    rig.peer.publish("in/t", "one", 1, 300, at(1s));
    ASSERT_EQ(rig.handler.messages.size(), 1u);
    EXPECT_EQ(rig.handler.messages[0].mid, 300);
    const wire_packet ack = rig.peer.take_one(packet_type::puback);
    EXPECT_EQ(ack.raw, (byte_buffer{0x40, 0x02, 0x01, 0x2C}));
}

TEST(session_inbound, qos1_cut_before_puback_is_delivered_again) {
    // At least once: the broker resends with DUP and the application sees it twice.
    session_rig rig;
    rig.peer.connect(at(0s));
    rig.peer.publish("in/t", "one", 1, 5, at(1s));
    rig.peer.reconnect(at(2s), true);  // the PUBACK never left
    rig.peer.publish("in/t", "one", 1, 5, at(3s), true);
    ASSERT_EQ(rig.handler.messages.size(), 2u);
    EXPECT_TRUE(rig.handler.messages[1].dup);
    EXPECT_EQ(rig.peer.take_one(packet_type::puback).id, 5);
}

TEST(session_inbound, qos2_full_flow) {
    session_rig rig;
    rig.peer.connect(at(0s));
    rig.peer.publish("in/t", "two", 2, 9, at(1s));
    ASSERT_EQ(rig.handler.messages.size(), 1u);  // delivered on first receipt
    EXPECT_EQ(rig.peer.take_one(packet_type::pubrec).id, 9);
    rig.peer.pubrel(9, at(2s));
    const wire_packet comp = rig.peer.take_one(packet_type::pubcomp);
    EXPECT_EQ(comp.raw, (byte_buffer{0x70, 0x02, 0x00, 0x09}));
    EXPECT_EQ(rig.handler.messages.size(), 1u);
}

TEST(session_inbound, qos2_duplicate_on_same_connection_not_delivered_twice) {
    session_rig rig;
    rig.peer.connect(at(0s));
    rig.peer.publish("in/t", "two", 2, 9, at(1s));
    rig.peer.publish("in/t", "two", 2, 9, at(1s), true);
    EXPECT_EQ(rig.handler.messages.size(), 1u);
    const auto acks = rig.peer.take();
    ASSERT_EQ(acks.size(), 2u);  // each PUBLISH gets its PUBREC
    EXPECT_EQ(acks[1].type, packet_type::pubrec);
}

// The link is cut after the session received a QoS 2 PUBLISH; `pubrec_left` says whether its
// PUBREC reached the socket. The broker resends the PUBLISH with DUP: no second delivery.
void qos2_cut_after_publish(bool pubrec_left) {
    session_rig rig;
    rig.peer.connect(at(0s));
    rig.peer.publish("in/t", "two", 2, 42, at(1s));
    if (pubrec_left) rig.peer.take_one(packet_type::pubrec);
    rig.peer.reconnect(at(2s), true);
    EXPECT_TRUE(rig.peer.take().empty());
    rig.peer.publish("in/t", "two", 2, 42, at(3s), true);
    EXPECT_EQ(rig.handler.messages.size(), 1u) << "QoS 2 message delivered twice";
    EXPECT_EQ(rig.peer.take_one(packet_type::pubrec).id, 42);
    rig.peer.pubrel(42, at(4s));
    EXPECT_EQ(rig.peer.take_one(packet_type::pubcomp).id, 42);
    // The identifier is free again: a new message with it is a new message.
    rig.peer.publish("in/t", "next", 2, 42, at(5s));
    ASSERT_EQ(rig.handler.messages.size(), 2u);
    EXPECT_EQ(rig.handler.messages[1].payload, "next");
}

TEST(session_inbound, qos2_cut_before_pubrec_sent) {
    qos2_cut_after_publish(false);
}
TEST(session_inbound, qos2_cut_after_pubrec_sent) {
    qos2_cut_after_publish(true);
}

TEST(session_inbound, qos2_cut_after_pubrel_received) {
    session_rig rig;
    rig.peer.connect(at(0s));
    rig.peer.publish("in/t", "two", 2, 42, at(1s));
    rig.peer.take_one(packet_type::pubrec);
    rig.peer.pubrel(42, at(2s));  // its PUBCOMP is lost with the link
    rig.peer.reconnect(at(3s), true);
    rig.peer.pubrel(42, at(4s));  // the broker resends PUBREL only
    EXPECT_EQ(rig.peer.take_one(packet_type::pubcomp).id, 42);
    EXPECT_EQ(rig.handler.messages.size(), 1u);
    EXPECT_TRUE(rig.handler.closes.empty());
}

TEST(session_inbound, qos2_cut_after_pubcomp_sent) {
    session_rig rig;
    rig.peer.connect(at(0s));
    rig.peer.publish("in/t", "two", 2, 42, at(1s));
    rig.peer.take_one(packet_type::pubrec);
    rig.peer.pubrel(42, at(2s));
    rig.peer.take_one(packet_type::pubcomp);
    rig.peer.reconnect(at(3s), true);
    EXPECT_TRUE(rig.peer.take().empty());
    rig.peer.publish("in/t", "new", 2, 42, at(4s));
    EXPECT_EQ(rig.handler.messages.size(), 2u);
}

TEST(session_inbound, qos2_state_dropped_with_a_new_session) {
    // A broker without our session will not resend; an identifier it reuses is a new message.
    session_rig rig;
    rig.peer.connect(at(0s));
    rig.peer.publish("in/t", "old", 2, 42, at(1s));
    rig.peer.reconnect(at(2s), false);
    rig.peer.publish("in/t", "fresh", 2, 42, at(3s));
    ASSERT_EQ(rig.handler.messages.size(), 2u);
    EXPECT_EQ(rig.handler.messages[1].payload, "fresh");
}

TEST(session_inbound, many_qos2_ids_tracked_independently) {
    session_rig rig;
    rig.peer.connect(at(0s));
    rig.peer.publish("in/t", "a", 2, 1, at(1s));
    rig.peer.publish("in/t", "b", 2, 65535, at(1s));
    rig.peer.pubrel(1, at(1s));
    rig.peer.publish("in/t", "b", 2, 65535, at(1s), true);  // still awaiting PUBREL
    rig.peer.publish("in/t", "c", 2, 1, at(1s));            // 1 was released
    ASSERT_EQ(rig.handler.messages.size(), 3u);
    EXPECT_EQ(rig.handler.messages[2].payload, "c");
}

TEST(session_inbound, handler_may_publish_and_disconnect_from_on_message) {
    session_rig rig;
    rig.peer.connect(at(0s));
    rig.handler.message_hook = [&](const message& m) {
        rig.s.publish("echo", m.payload, 0, false, at(1s));
        rig.s.disconnect(at(1s));
    };
    byte_buffer two;
    encode_publish({"in/t", "x", 1, false, false, 3}, two);
    encode_publish({"in/t", "y", 0, false, false, 0}, two);
    const std::size_t first = two.size() - 9;
    EXPECT_EQ(rig.peer.feed(two, at(1s)), first);  // the second is not read after closing
    ASSERT_EQ(rig.handler.messages.size(), 1u);
    ASSERT_EQ(rig.handler.closes.size(), 1u);
    EXPECT_TRUE(is_code(rig.handler.closes[0], errc::disconnected_by_user));
    // The PUBACK is queued before the message is delivered, so DISCONNECT stays last.
    const auto out = rig.peer.take();
    ASSERT_EQ(out.size(), 3u);
    EXPECT_EQ(out[0].type, packet_type::puback);
    EXPECT_EQ(out[1].type, packet_type::publish);
    EXPECT_EQ(out[1].topic, "echo");
    EXPECT_EQ(out[2].type, packet_type::disconnect);
}

}  // namespace
}  // namespace piogate::mqtt::test
