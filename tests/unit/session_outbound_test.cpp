// Outbound QoS 1 and QoS 2 with the link cut at each step (MQTT 3.1.1 sections 4.3, 4.4 and
// 4.6). With the session kept (session present = 1): PUBLISH goes again with DUP = 1 only
// before PUBREC; after PUBREC only PUBREL goes again. With a new session (session present = 0):
// whatever the broker never accepted goes again as a new PUBLISH (DUP = 0), ahead of the queue.
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include "scripted_peer.hpp"

namespace piogate::mqtt::test {
namespace {

struct sent {
    int mid;
    wire_packet pkt;
};

sent publish_one(session_rig& rig, int qos, std::string_view payload, time_point now) {
    const publish_result r = rig.s.publish("out/t", payload, qos, false, now);
    EXPECT_TRUE(r);
    const wire_packet p = rig.peer.take_one(packet_type::publish);
    EXPECT_FALSE(p.dup) << "DUP set on a first send";
    EXPECT_EQ(p.qos, qos);
    EXPECT_EQ(p.payload, payload);
    return {r.mid, p};
}

void expect_redelivery(const wire_packet& again, const wire_packet& first) {
    EXPECT_EQ(again.type, packet_type::publish);
    EXPECT_TRUE(again.dup);
    EXPECT_EQ(again.id, first.id);
    EXPECT_EQ(again.topic, first.topic);
    EXPECT_EQ(again.payload, first.payload);
    EXPECT_EQ(again.qos, first.qos);
}

TEST(session_outbound_qos1, cut_after_publish_resent_with_dup_when_session_kept) {
    session_rig rig;
    rig.peer.connect(at(0s));
    const sent m = publish_one(rig, 1, "one", at(1s));
    rig.peer.reconnect(at(2s), true);
    expect_redelivery(rig.peer.take_one(packet_type::publish), m.pkt);
    EXPECT_TRUE(rig.handler.published.empty());
    rig.peer.puback(m.pkt.id, at(3s));
    EXPECT_EQ(rig.handler.published, std::vector<int>{m.mid});
    EXPECT_EQ(rig.s.inflight(), 0u);
}

TEST(session_outbound_qos1, cut_before_the_bytes_left_is_resent_the_same_way) {
    session_rig rig;
    rig.peer.connect(at(0s));
    const publish_result r = rig.s.publish("out/t", "lost", 1, false, at(1s));
    rig.peer.reconnect(at(2s), true);  // the PUBLISH never reached the socket
    const wire_packet again = rig.peer.take_one(packet_type::publish);
    EXPECT_EQ(again.payload, "lost");
    EXPECT_EQ(again.id, 1);
    rig.peer.puback(again.id, at(3s));
    EXPECT_EQ(rig.handler.published, std::vector<int>{r.mid});
}

TEST(session_outbound_qos1, repeated_cuts_keep_resending_until_puback) {
    session_rig rig;
    rig.peer.connect(at(0s));
    const sent m = publish_one(rig, 1, "one", at(1s));
    for (int i = 0; i < 3; ++i) {
        rig.peer.reconnect(at(std::chrono::seconds(2 + i)), true);
        expect_redelivery(rig.peer.take_one(packet_type::publish), m.pkt);
    }
    rig.peer.puback(m.pkt.id, at(9s));
    rig.peer.reconnect(at(10s), true);
    EXPECT_TRUE(rig.peer.take().empty());  // acknowledged: never again
    EXPECT_EQ(rig.handler.published, std::vector<int>{m.mid});
}

TEST(session_outbound_qos1, new_session_resends_as_a_new_publish) {
    session_rig rig;
    rig.peer.connect(at(0s));
    const sent m = publish_one(rig, 1, "one", at(1s));
    rig.peer.reconnect(at(2s), false);
    const wire_packet again = rig.peer.take_one(packet_type::publish);
    EXPECT_FALSE(again.dup);
    EXPECT_EQ(again.payload, "one");
    rig.peer.puback(again.id, at(3s));
    EXPECT_EQ(rig.handler.published, std::vector<int>{m.mid});
}

TEST(session_outbound_qos2, cut_after_publish_resends_publish_with_dup) {
    session_rig rig;
    rig.peer.connect(at(0s));
    const sent m = publish_one(rig, 2, "two", at(1s));
    rig.peer.reconnect(at(2s), true);
    expect_redelivery(rig.peer.take_one(packet_type::publish), m.pkt);
    rig.peer.pubrec(m.pkt.id, at(3s));
    EXPECT_EQ(rig.peer.take_one(packet_type::pubrel).id, m.pkt.id);
    EXPECT_TRUE(rig.handler.published.empty());
    rig.peer.pubcomp(m.pkt.id, at(3s));
    EXPECT_EQ(rig.handler.published, std::vector<int>{m.mid});
}

TEST(session_outbound_qos2, cut_after_pubrec_resends_only_pubrel) {
    session_rig rig;
    rig.peer.connect(at(0s));
    const sent m = publish_one(rig, 2, "two", at(1s));
    rig.peer.pubrec(m.pkt.id, at(2s));  // its PUBREL is still in the output: never sent
    rig.peer.reconnect(at(3s), true);
    const wire_packet rel = rig.peer.take_one(packet_type::pubrel);
    EXPECT_EQ(rel.id, m.pkt.id);
    EXPECT_EQ(rel.raw, (byte_buffer{0x62, 0x02, 0x00, static_cast<std::uint8_t>(m.pkt.id)}));
    rig.peer.pubcomp(m.pkt.id, at(4s));
    EXPECT_EQ(rig.handler.published, std::vector<int>{m.mid});
}

TEST(session_outbound_qos2, cut_after_pubrel_sent_resends_only_pubrel) {
    session_rig rig;
    rig.peer.connect(at(0s));
    const sent m = publish_one(rig, 2, "two", at(1s));
    rig.peer.pubrec(m.pkt.id, at(2s));
    EXPECT_EQ(rig.peer.take_one(packet_type::pubrel).id, m.pkt.id);
    for (int i = 0; i < 2; ++i) {
        rig.peer.reconnect(at(std::chrono::seconds(3 + i)), true);
        EXPECT_EQ(rig.peer.take_one(packet_type::pubrel).id, m.pkt.id);
    }
    // A broker that answers the repeated PUBREL... with a repeated PUBREC gets PUBREL again.
    rig.peer.pubrec(m.pkt.id, at(6s));
    EXPECT_EQ(rig.peer.take_one(packet_type::pubrel).id, m.pkt.id);
    rig.peer.pubcomp(m.pkt.id, at(6s));
    EXPECT_EQ(rig.handler.published, std::vector<int>{m.mid});
}

TEST(session_outbound_qos2, cut_after_pubcomp_resends_nothing) {
    session_rig rig;
    rig.peer.connect(at(0s));
    const sent m = publish_one(rig, 2, "two", at(1s));
    rig.peer.pubrec(m.pkt.id, at(2s));
    rig.peer.take_one(packet_type::pubrel);
    rig.peer.pubcomp(m.pkt.id, at(2s));
    rig.peer.reconnect(at(3s), true);
    EXPECT_TRUE(rig.peer.take().empty());
    EXPECT_EQ(rig.handler.published, std::vector<int>{m.mid});
    EXPECT_EQ(rig.s.inflight(), 0u);
}

TEST(session_outbound_qos2, new_session_before_pubrec_resends_as_new_publish) {
    session_rig rig;
    rig.peer.connect(at(0s));
    const sent m = publish_one(rig, 2, "two", at(1s));
    rig.peer.reconnect(at(2s), false);
    const wire_packet again = rig.peer.take_one(packet_type::publish);
    EXPECT_FALSE(again.dup);
    EXPECT_EQ(again.qos, 2);
    rig.peer.pubrec(again.id, at(3s));
    rig.peer.take_one(packet_type::pubrel);
    rig.peer.pubcomp(again.id, at(3s));
    EXPECT_EQ(rig.handler.published, std::vector<int>{m.mid});
}

TEST(session_outbound_qos2, new_session_after_pubrec_does_not_publish_again) {
    // Past PUBREC the broker owns the message; a new session cannot take it back, and sending
    // it again would deliver it twice.
    session_rig rig;
    rig.peer.connect(at(0s));
    const sent m = publish_one(rig, 2, "two", at(1s));
    rig.peer.pubrec(m.pkt.id, at(2s));
    rig.peer.take_one(packet_type::pubrel);
    rig.peer.reconnect(at(3s), false);
    EXPECT_TRUE(rig.peer.take().empty());
    EXPECT_EQ(rig.handler.published, std::vector<int>{m.mid});
    EXPECT_EQ(rig.s.inflight(), 0u);
    EXPECT_TRUE(rig.handler.logged(log_level::warning, "past PUBREC"));
}

TEST(session_outbound_mixed, session_kept_resends_in_original_order) {
    session_rig rig;
    rig.peer.connect(at(0s));
    const sent a = publish_one(rig, 1, "a", at(1s));
    const sent b = publish_one(rig, 2, "b", at(1s));
    const sent c = publish_one(rig, 2, "c", at(1s));
    const sent d = publish_one(rig, 1, "d", at(1s));
    rig.peer.pubrec(b.pkt.id, at(2s));
    rig.peer.take_one(packet_type::pubrel);
    rig.peer.reconnect(at(3s), true);
    const auto again = rig.peer.take();
    ASSERT_EQ(again.size(), 4u);
    expect_redelivery(again[0], a.pkt);
    EXPECT_EQ(again[1].type, packet_type::pubrel);
    EXPECT_EQ(again[1].id, b.pkt.id);
    expect_redelivery(again[2], c.pkt);
    expect_redelivery(again[3], d.pkt);
}

TEST(session_outbound_mixed, session_kept_queued_messages_follow_without_dup) {
    session_config cfg = session_rig::default_config();
    cfg.max_inflight = 1;
    session_rig rig(cfg);
    rig.peer.connect(at(0s));
    const sent a = publish_one(rig, 1, "a", at(1s));
    rig.s.publish("out/t", "b", 1, false, at(1s));  // waits for the window
    rig.peer.reconnect(at(2s), true);
    expect_redelivery(rig.peer.take_one(packet_type::publish), a.pkt);
    rig.peer.puback(a.pkt.id, at(3s));
    const wire_packet b = rig.peer.take_one(packet_type::publish);
    EXPECT_EQ(b.payload, "b");
    EXPECT_FALSE(b.dup);  // never sent before
    EXPECT_NE(b.id, a.pkt.id);
}

TEST(session_outbound_mixed, new_session_resends_unacked_ahead_of_the_queue) {
    session_config cfg = session_rig::default_config();
    cfg.max_inflight = 2;
    session_rig rig(cfg);
    rig.peer.connect(at(0s));
    const sent a = publish_one(rig, 1, "a", at(1s));
    const sent b = publish_one(rig, 2, "b", at(1s));
    const int c = rig.s.publish("out/t", "c", 1, false, at(1s)).mid;  // window full: queued
    EXPECT_FALSE(rig.s.has_output());
    rig.s.on_transport_closed();
    const int d = rig.s.publish("out/t", "d", 2, false, at(2s)).mid;  // offline: queued
    const int e = rig.s.publish("out/t", "e", 0, false, at(2s)).mid;
    EXPECT_EQ(rig.s.queued(), 3u);
    rig.peer.connect(at(3s), false);
    auto burst = rig.peer.take();
    ASSERT_EQ(burst.size(), 2u);  // the window again
    EXPECT_EQ(burst[0].payload, "a");
    EXPECT_EQ(burst[1].payload, "b");
    for (const auto& p : burst) EXPECT_FALSE(p.dup);
    const std::uint16_t b_new = burst[1].id;
    rig.peer.puback(burst[0].id, at(4s));
    burst = rig.peer.take();
    ASSERT_EQ(burst.size(), 1u);
    EXPECT_EQ(burst[0].payload, "c");
    const wire_packet c_pkt = burst[0];
    // b (QoS 2) completes: d and the QoS 0 e behind it follow, in order.
    rig.peer.pubrec(b_new, at(5s));
    EXPECT_EQ(rig.peer.take_one(packet_type::pubrel).id, b_new);
    rig.peer.pubcomp(b_new, at(5s));
    burst = rig.peer.take();
    ASSERT_EQ(burst.size(), 2u);
    EXPECT_EQ(burst[0].payload, "d");
    EXPECT_FALSE(burst[0].dup);
    EXPECT_EQ(burst[1].payload, "e");
    EXPECT_EQ(rig.peer.qos0_mids, std::vector<int>{e});
    rig.peer.puback(c_pkt.id, at(6s));
    rig.peer.pubrec(burst[0].id, at(6s));
    rig.peer.take_one(packet_type::pubrel);
    rig.peer.pubcomp(burst[0].id, at(6s));
    EXPECT_EQ(rig.handler.published, (std::vector<int>{a.mid, b.mid, c, d}));
    EXPECT_EQ(rig.s.inflight(), 0u);
    EXPECT_EQ(rig.s.queued(), 0u);
}

}  // namespace
}  // namespace piogate::mqtt::test
