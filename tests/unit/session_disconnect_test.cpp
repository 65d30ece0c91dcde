// Graceful disconnect(): the queue and the in-flight window drain first, then DISCONNECT goes
// out and on_close(disconnected_by_user) follows; disconnect_timeout bounds the wait.
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include "scripted_peer.hpp"

namespace piogate::mqtt::test {
namespace {

TEST(session_disconnect, idle_session_disconnects_at_once) {
    session_rig rig;
    rig.peer.connect(at(0s));
    rig.s.disconnect(at(1s));
    const wire_packet d = rig.peer.take_one(packet_type::disconnect);
    EXPECT_EQ(d.raw, (byte_buffer{0xE0, 0x00}));
    ASSERT_EQ(rig.handler.closes.size(), 1u);
    EXPECT_TRUE(is_code(rig.handler.closes[0], errc::disconnected_by_user));
    EXPECT_EQ(rig.s.state(), session_state::closing);
    EXPECT_FALSE(rig.s.next_deadline().has_value());
}

TEST(session_disconnect, waits_for_queue_and_inflight_to_drain) {
    session_config cfg = session_rig::default_config();
    cfg.max_inflight = 1;
    session_rig rig(cfg);
    rig.peer.connect(at(0s));
    const int a = rig.s.publish("t", "a", 1, false, at(1s)).mid;
    const int b = rig.s.publish("t", "b", 2, false, at(1s)).mid;
    const wire_packet pa = rig.peer.take_one(packet_type::publish);
    rig.s.disconnect(at(2s));
    EXPECT_FALSE(rig.s.has_output());
    EXPECT_TRUE(rig.handler.closes.empty());
    EXPECT_TRUE(rig.s.disconnect_requested());
    rig.peer.puback(pa.id, at(3s));
    const wire_packet pb = rig.peer.take_one(packet_type::publish);  // the queue drains
    EXPECT_EQ(pb.payload, "b");
    rig.peer.pubrec(pb.id, at(3s));
    rig.peer.take_one(packet_type::pubrel);
    EXPECT_TRUE(rig.handler.closes.empty());
    rig.peer.pubcomp(pb.id, at(4s));
    rig.peer.take_one(packet_type::disconnect);
    EXPECT_EQ(rig.handler.published, (std::vector<int>{a, b}));
    ASSERT_EQ(rig.handler.closes.size(), 1u);
    EXPECT_TRUE(is_code(rig.handler.closes[0], errc::disconnected_by_user));
}

TEST(session_disconnect, timeout_forces_disconnect) {
    session_config cfg = session_rig::default_config();
    cfg.disconnect_timeout = 2000ms;
    cfg.keepalive = 60;
    session_rig rig(cfg);
    rig.peer.connect(at(0s));
    rig.s.publish("t", "never acked", 1, false, at(1s));
    rig.peer.take();
    rig.s.disconnect(at(10s));
    EXPECT_EQ(rig.s.next_deadline(), at(12s));
    rig.s.on_tick(at(11999ms));
    EXPECT_TRUE(rig.handler.closes.empty());
    rig.s.on_tick(at(12s));
    rig.peer.take_one(packet_type::disconnect);
    ASSERT_EQ(rig.handler.closes.size(), 1u);
    EXPECT_TRUE(is_code(rig.handler.closes[0], errc::disconnected_by_user));
    EXPECT_TRUE(rig.handler.logged(log_level::warning, "1 in-flight"));
    // The unacknowledged message is kept for a later session.
    EXPECT_EQ(rig.s.inflight(), 1u);
}

TEST(session_disconnect, publish_after_disconnect_is_drained_before_disconnect) {
    session_rig rig;
    rig.peer.connect(at(0s));
    rig.s.publish("t", "a", 1, false, at(1s));
    const wire_packet pa = rig.peer.take_one(packet_type::publish);
    rig.s.disconnect(at(2s));
    const int late = rig.s.publish("t", "late", 0, false, at(2s)).mid;
    EXPECT_FALSE(rig.s.has_output());  // queued behind the pending disconnect
    rig.peer.puback(pa.id, at(3s));
    const auto out = rig.peer.take();
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0].payload, "late");
    EXPECT_EQ(out[1].type, packet_type::disconnect);
    EXPECT_EQ(rig.peer.qos0_mids, std::vector<int>{late});
}

TEST(session_disconnect, requested_while_offline_disconnects_after_the_next_connack) {
    session_rig rig;
    rig.s.publish("t", "a", 0, false, at(0s));
    rig.s.disconnect(at(0s));
    EXPECT_TRUE(rig.handler.closes.empty());
    rig.peer.connect(at(1s));
    const auto out = rig.peer.take();
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0].type, packet_type::publish);
    EXPECT_EQ(out[1].type, packet_type::disconnect);
    ASSERT_EQ(rig.handler.closes.size(), 1u);
    EXPECT_TRUE(is_code(rig.handler.closes[0], errc::disconnected_by_user));
}

TEST(session_disconnect, clear_disconnect_forgets_the_request) {
    session_rig rig;
    rig.peer.connect(at(0s));
    rig.s.disconnect(at(1s));
    rig.peer.take();
    rig.s.on_transport_closed();
    rig.s.clear_disconnect();
    EXPECT_FALSE(rig.s.disconnect_requested());
    rig.peer.connect(at(2s));
    EXPECT_TRUE(rig.peer.take().empty());
    EXPECT_EQ(rig.s.state(), session_state::connected);
    EXPECT_EQ(rig.handler.closes.size(), 1u);
}

TEST(session_disconnect, disconnect_in_on_connack_drains_the_queue_first) {
    session_rig rig;
    rig.s.publish("t", "queued", 1, false, at(0s));
    rig.handler.connack_hook = [&](bool, int) { rig.s.disconnect(at(1s)); };
    rig.peer.connect(at(1s));
    const auto out = rig.peer.take();
    ASSERT_EQ(out.size(), 1u);  // the queue drains before DISCONNECT
    EXPECT_EQ(out[0].type, packet_type::publish);
    rig.peer.puback(out[0].id, at(2s));
    rig.peer.take_one(packet_type::disconnect);
    EXPECT_EQ(rig.handler.closes.size(), 1u);
}

TEST(session_disconnect, no_packet_follows_disconnect) {
    // The handler disconnects from on_message of a QoS 1 message: the PUBACK goes before
    // DISCONNECT, nothing after it (MQTT 3.1.1 section 3.14.4). QoS 2: session_drain_test.
    session_rig rig;
    rig.peer.connect(at(0s));
    rig.handler.message_hook = [&](const message&) { rig.s.disconnect(at(1s)); };
    rig.peer.publish("in", "x", 1, 11, at(1s));
    const auto out = rig.peer.take();
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0].type, packet_type::puback);
    EXPECT_EQ(out[1].type, packet_type::disconnect);
}

}  // namespace
}  // namespace piogate::mqtt::test
