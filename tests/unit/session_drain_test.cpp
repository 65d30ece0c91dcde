// A graceful disconnect finishes the inbound exchanges too (issue 10 section 4): a QoS 2
// message received before disconnect() gets its PUBREL and our PUBCOMP before DISCONNECT goes,
// as mosquitto_sub -C N does; bounded by disconnect_timeout. Virtual time.
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include "scripted_peer.hpp"

namespace piogate::mqtt::test {
namespace {

TEST(session_drain, qos2_received_before_disconnect_completes_first) {
    session_rig rig;
    rig.peer.connect(at(0s));
    // -C 1: the application disconnects from the callback of the message it waited for.
    rig.handler.message_hook = [&](const message&) { rig.s.disconnect(at(1s)); };
    rig.peer.publish("in", "last", 2, 7, at(1s));
    const wire_packet rec = rig.peer.take_one(packet_type::pubrec);
    EXPECT_EQ(rec.id, 7);
    EXPECT_TRUE(rig.handler.closes.empty());
    EXPECT_EQ(rig.s.next_deadline(), at(6s));  // the disconnect timeout bounds the wait
    rig.peer.pubrel(7, at(2s));
    const auto out = rig.peer.take();
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0].type, packet_type::pubcomp);
    EXPECT_EQ(out[0].id, 7);
    EXPECT_EQ(out[1].type, packet_type::disconnect);
    ASSERT_EQ(rig.handler.closes.size(), 1u);
    EXPECT_TRUE(is_code(rig.handler.closes[0], errc::disconnected_by_user));
    EXPECT_EQ(rig.handler.messages.size(), 1u);
}

TEST(session_drain, waits_for_every_open_qos2_and_outbound_acks) {
    session_rig rig;
    rig.peer.connect(at(0s));
    rig.peer.publish("in", "a", 2, 1, at(1s));
    rig.peer.publish("in", "b", 2, 2, at(1s));
    const int mid = rig.s.publish("out", "c", 1, false, at(1s)).mid;
    auto first = rig.peer.take();
    ASSERT_EQ(first.size(), 3u);
    const std::uint16_t out_id = first[2].id;
    rig.s.disconnect(at(2s));
    EXPECT_FALSE(rig.s.has_output());
    rig.peer.pubrel(2, at(3s));
    rig.peer.take_one(packet_type::pubcomp);
    rig.peer.puback(out_id, at(3s));
    EXPECT_FALSE(rig.s.has_output());  // id 1 still waits for its PUBREL
    EXPECT_TRUE(rig.handler.closes.empty());
    rig.peer.pubrel(1, at(4s));
    const auto out = rig.peer.take();
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0].type, packet_type::pubcomp);
    EXPECT_EQ(out[1].type, packet_type::disconnect);
    EXPECT_EQ(rig.handler.published, (std::vector<int>{mid}));
}

TEST(session_drain, messages_after_the_request_are_acknowledged_but_not_awaited) {
    session_rig rig;
    rig.peer.connect(at(0s));
    rig.peer.publish("in", "a", 2, 1, at(1s));
    rig.peer.take_one(packet_type::pubrec);
    rig.s.disconnect(at(2s));
    rig.peer.publish("in", "late", 2, 2, at(2s));  // a subscriber's stream goes on
    rig.peer.take_one(packet_type::pubrec);
    rig.peer.pubrel(1, at(3s));
    const auto out = rig.peer.take();
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0].type, packet_type::pubcomp);
    EXPECT_EQ(out[1].type, packet_type::disconnect);
}

TEST(session_drain, a_missing_pubrel_is_bounded_by_the_timeout) {
    session_config cfg = session_rig::default_config();
    cfg.disconnect_timeout = 3000ms;
    session_rig rig(cfg);
    rig.peer.connect(at(0s));
    rig.peer.publish("in", "a", 2, 9, at(1s));
    rig.peer.take_one(packet_type::pubrec);
    rig.s.disconnect(at(2s));
    rig.s.on_tick(at(4999ms));
    EXPECT_FALSE(rig.s.has_output());
    rig.s.on_tick(at(5s));
    rig.peer.take_one(packet_type::disconnect);
    ASSERT_EQ(rig.handler.closes.size(), 1u);
    EXPECT_TRUE(rig.handler.logged(log_level::warning, "1 received QoS 2 messages without PUBREL"));
}

TEST(session_drain, a_duplicate_pubrel_does_not_count_twice) {
    session_rig rig;
    rig.peer.connect(at(0s));
    rig.peer.publish("in", "a", 2, 1, at(1s));
    rig.peer.publish("in", "b", 2, 2, at(1s));
    rig.peer.take();
    rig.s.disconnect(at(2s));
    rig.peer.pubrel(1, at(3s));
    rig.peer.pubrel(1, at(3s));  // resent by the broker: PUBCOMP again, still waiting for 2
    const auto out = rig.peer.take();
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[1].type, packet_type::pubcomp);
    EXPECT_TRUE(rig.handler.closes.empty());
    rig.peer.pubrel(2, at(4s));
    EXPECT_EQ(rig.peer.take().back().type, packet_type::disconnect);
}

}  // namespace
}  // namespace piogate::mqtt::test
