// Packet identifiers, the in-flight window, the queue and its bounds, QoS 0 message ids, and
// the arguments publish() refuses (MQTT 3.1.1 sections 2.3.1 and 4.7).
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include <set>
#include <stdexcept>

#include "scripted_peer.hpp"

namespace piogate::mqtt::test {
namespace {

TEST(packet_id_pool, wraps_and_skips_ids_in_use) {
    packet_id_pool pool;
    EXPECT_EQ(pool.acquire(), 1);
    EXPECT_EQ(pool.acquire(), 2);
    for (int i = 3; i <= 65535; ++i) ASSERT_EQ(pool.acquire(), i);
    EXPECT_EQ(pool.acquire(), std::nullopt);  // all taken; never 0
    pool.release(2);
    pool.release(70);
    EXPECT_EQ(pool.acquire(), 2);
    EXPECT_EQ(pool.acquire(), 70);
    EXPECT_EQ(pool.acquire(), std::nullopt);
    pool.release(0);  // not an id: ignored
    pool.release(5);
    pool.release(5);  // twice: counted once
    EXPECT_EQ(pool.size(), 65534u);
    pool.clear();
    EXPECT_EQ(pool.size(), 0u);
}

TEST(session_ids, never_reused_while_in_flight_across_wraps) {
    session_config cfg = session_rig::default_config();
    cfg.max_inflight = 50;
    session_rig rig(cfg);
    rig.peer.connect(at(0s));
    // A pending SUBSCRIBE holds an id from the same pool.
    const std::pair<std::string, int> filter[] = {{"held/#", 1}};
    rig.s.subscribe(filter, at(0s));
    const std::uint16_t sub_id = rig.peer.take_one(packet_type::subscribe).id;
    std::set<std::uint16_t> held = {sub_id};
    int wraps = 0;
    std::uint16_t previous = 0;
    int sent = 0;
    for (int i = 0; i < 3 * 65535; ++i) {
        const int qos = i % 2 + 1;
        ASSERT_TRUE(rig.s.publish("t", "", qos, false, at(1s)));
        for (const wire_packet& p : rig.peer.take()) {
            if (p.type == packet_type::pubrel) continue;  // answers the PUBREC below
            ASSERT_EQ(p.type, packet_type::publish);
            ASSERT_NE(p.id, 0);
            ASSERT_FALSE(held.contains(p.id)) << "id " << p.id << " reused while in flight";
            ++sent;
            // Hold a few ids for a long time (two of them across every wrap), ack the rest.
            if (p.id == 7 || p.id == 65535 || p.id == 40000) {
                held.insert(p.id);
            } else if (p.qos == 1) {
                rig.peer.puback(p.id, at(1s));
            } else {
                rig.peer.pubrec(p.id, at(1s));
                rig.peer.pubcomp(p.id, at(1s));
            }
            if (p.id < previous) ++wraps;
            previous = p.id;
        }
    }
    EXPECT_EQ(sent, 3 * 65535);
    EXPECT_TRUE(held.contains(7) && held.contains(65535) && held.contains(40000));
    EXPECT_EQ(wraps, 3);  // 65535 ids minus the held ones, three times over
    EXPECT_EQ(rig.s.inflight(), 3u);
    EXPECT_TRUE(rig.handler.closes.empty());
}

TEST(session_ids, a_queued_message_waits_when_every_id_is_taken) {
    // 64999 publishes in flight and 536 SUBSCRIBEs without SUBACK hold all 65535 ids while
    // the window (65000) still has room: queued messages must wait, not vanish.
    session_config cfg = session_rig::default_config();
    cfg.max_inflight = 65000;
    session_rig rig(cfg);
    rig.peer.connect(at(0s));
    for (int i = 0; i < 64999; ++i) rig.s.publish("t", "", 1, false, at(1s));
    for (int i = 0; i < 536; ++i) {
        const std::pair<std::string, int> f[] = {{"f/" + std::to_string(i), 0}};
        rig.s.subscribe(f, at(1s));
    }
    rig.peer.take();
    const int x = rig.s.publish("t", "x", 1, false, at(2s)).mid;
    const int y = rig.s.publish("t", "y", 1, false, at(2s)).mid;
    EXPECT_EQ(rig.s.queued(), 2u);
    EXPECT_FALSE(rig.s.has_output());
    rig.peer.puback(1, at(3s));
    const wire_packet px = rig.peer.take_one(packet_type::publish);
    EXPECT_EQ(px.payload, "x");
    EXPECT_EQ(px.id, 1);
    EXPECT_EQ(rig.s.queued(), 1u) << "y was dropped";
    rig.peer.puback(2, at(3s));
    const wire_packet py = rig.peer.take_one(packet_type::publish);
    EXPECT_EQ(py.payload, "y");
    rig.peer.puback(px.id, at(4s));
    rig.peer.puback(py.id, at(4s));
    ASSERT_GE(rig.handler.published.size(), 2u);
    EXPECT_EQ(rig.handler.published[rig.handler.published.size() - 2], x);
    EXPECT_EQ(rig.handler.published.back(), y);
}

TEST(session_window, the_21st_qos1_publish_waits_for_an_ack) {
    session_rig rig;  // max_inflight = 20
    rig.peer.connect(at(0s));
    std::vector<int> mids;
    for (int i = 0; i < 21; ++i) {
        mids.push_back(rig.s.publish("t", std::to_string(i), 1, false, at(1s)).mid);
    }
    auto sent = rig.peer.take();
    ASSERT_EQ(sent.size(), 20u);
    EXPECT_EQ(rig.s.inflight(), 20u);
    EXPECT_EQ(rig.s.queued(), 1u);
    rig.peer.puback(sent[5].id, at(2s));  // any ack opens the window
    const wire_packet last = rig.peer.take_one(packet_type::publish);
    EXPECT_EQ(last.payload, "20");
    EXPECT_FALSE(last.dup);
    EXPECT_EQ(rig.s.queued(), 0u);
    EXPECT_EQ(rig.s.inflight(), 20u);
    EXPECT_EQ(rig.handler.published, std::vector<int>{mids[5]});
}

TEST(session_window, qos2_shares_the_window_and_order_is_kept) {
    session_config cfg = session_rig::default_config();
    cfg.max_inflight = 2;
    session_rig rig(cfg);
    rig.peer.connect(at(0s));
    rig.s.publish("t", "a", 2, false, at(1s));
    rig.s.publish("t", "b", 1, false, at(1s));
    rig.s.publish("t", "c", 2, false, at(1s));
    rig.s.publish("t", "d", 1, false, at(1s));
    auto sent = rig.peer.take();
    ASSERT_EQ(sent.size(), 2u);
    rig.peer.pubrec(sent[0].id, at(2s));  // still in flight until PUBCOMP
    rig.peer.take_one(packet_type::pubrel);
    EXPECT_EQ(rig.s.queued(), 2u);
    rig.peer.pubcomp(sent[0].id, at(2s));
    EXPECT_EQ(rig.peer.take_one(packet_type::publish).payload, "c");
    rig.peer.puback(sent[1].id, at(2s));
    EXPECT_EQ(rig.peer.take_one(packet_type::publish).payload, "d");
}

TEST(session_window, qos0_is_not_held_by_a_full_window) {
    session_config cfg = session_rig::default_config();
    cfg.max_inflight = 1;
    session_rig rig(cfg);
    rig.peer.connect(at(0s));
    rig.s.publish("t", "q1", 1, false, at(1s));
    rig.s.publish("t", "q1-waits", 1, false, at(1s));
    const int mid = rig.s.publish("t", "q0", 0, false, at(1s)).mid;
    const auto sent = rig.peer.take();
    ASSERT_EQ(sent.size(), 2u);
    EXPECT_EQ(sent[1].payload, "q0");
    EXPECT_EQ(rig.peer.qos0_mids, std::vector<int>{mid});
}

TEST(session_queue, reject_policy_returns_queue_full) {
    session_config cfg = session_rig::default_config();
    cfg.max_queued = 2;
    cfg.when_full = queue_full_policy::reject;
    session_rig rig(cfg);
    EXPECT_TRUE(rig.s.publish("t", "1", 1, false, at(0s)));
    EXPECT_TRUE(rig.s.publish("t", "2", 0, false, at(0s)));
    const publish_result r = rig.s.publish("t", "3", 2, false, at(0s));
    EXPECT_FALSE(r);
    EXPECT_EQ(r.rc, make_error_code(errc::queue_full));
    EXPECT_EQ(r.mid, 0);
    EXPECT_EQ(rig.s.queued(), 2u);
    EXPECT_TRUE(rig.handler.logged(log_level::warning, "queue full"));
    rig.peer.connect(at(1s));
    const auto sent = rig.peer.take();
    ASSERT_EQ(sent.size(), 2u);
    EXPECT_EQ(sent[0].payload, "1");
    EXPECT_EQ(sent[1].payload, "2");
}

TEST(session_queue, reject_applies_to_a_full_window_too) {
    session_config cfg = session_rig::default_config();
    cfg.max_inflight = 1;
    cfg.max_queued = 1;
    session_rig rig(cfg);
    rig.peer.connect(at(0s));
    EXPECT_TRUE(rig.s.publish("t", "in flight", 1, false, at(1s)));
    EXPECT_TRUE(rig.s.publish("t", "queued", 1, false, at(1s)));
    EXPECT_EQ(rig.s.publish("t", "refused", 1, false, at(1s)).rc,
              make_error_code(errc::queue_full));
    // QoS 0 goes straight out while connected, whatever the queue holds.
    EXPECT_TRUE(rig.s.publish("t", "q0", 0, false, at(1s)));
}

TEST(session_queue, drop_oldest_policy_drops_and_logs) {
    session_config cfg = session_rig::default_config();
    cfg.max_queued = 2;
    cfg.when_full = queue_full_policy::drop_oldest;
    session_rig rig(cfg);
    const int m1 = rig.s.publish("t/1", "1", 1, false, at(0s)).mid;
    const int m2 = rig.s.publish("t/2", "2", 1, false, at(0s)).mid;
    const publish_result r3 = rig.s.publish("t/3", "3", 1, false, at(0s));
    EXPECT_TRUE(r3);
    EXPECT_EQ(rig.s.queued(), 2u);
    EXPECT_TRUE(rig.handler.logged(log_level::warning, "mid " + std::to_string(m1)));
    EXPECT_TRUE(rig.handler.logged(log_level::warning, "'t/1'"));
    rig.peer.connect(at(1s));
    const auto sent = rig.peer.take();
    ASSERT_EQ(sent.size(), 2u);
    EXPECT_EQ(sent[0].payload, "2");
    EXPECT_EQ(sent[1].payload, "3");
    rig.peer.puback(sent[0].id, at(2s));
    rig.peer.puback(sent[1].id, at(2s));
    EXPECT_EQ(rig.handler.published, (std::vector<int>{m2, r3.mid}));
}

TEST(session_queue, unbounded_when_max_queued_is_zero) {
    session_config cfg = session_rig::default_config();
    cfg.max_queued = 0;
    session_rig rig(cfg);
    for (int i = 0; i < 1000; ++i) ASSERT_TRUE(rig.s.publish("t", "", 1, false, at(0s)));
    EXPECT_EQ(rig.s.queued(), 1000u);
}

TEST(session_queue, offline_publishes_go_out_in_order_after_connack) {
    session_rig rig;
    std::vector<int> mids;
    const int qos[] = {0, 1, 2, 0, 1, 0};
    for (int i = 0; i < 6; ++i) {
        mids.push_back(rig.s.publish("t", std::to_string(i), qos[i], false, at(0s)).mid);
    }
    EXPECT_FALSE(rig.s.has_output());
    rig.s.on_transport_open(at(1s));
    rig.peer.take_one(packet_type::connect);  // nothing before CONNACK
    rig.peer.connack(false, 0, at(1s));
    const auto sent = rig.peer.take();
    ASSERT_EQ(sent.size(), 6u);
    for (int i = 0; i < 6; ++i) {
        EXPECT_EQ(sent[i].payload, std::to_string(i));
        EXPECT_EQ(sent[i].qos, qos[i]);
        EXPECT_FALSE(sent[i].dup);
    }
    EXPECT_EQ(rig.peer.qos0_mids, (std::vector<int>{mids[0], mids[3], mids[5]}));
}

TEST(session_queue, publishes_during_connecting_wait_for_connack) {
    session_rig rig;
    rig.s.on_transport_open(at(0s));
    rig.peer.take();
    rig.s.publish("t", "early", 1, false, at(0s));
    EXPECT_FALSE(rig.s.has_output());
    rig.peer.connack(false, 0, at(1s));
    EXPECT_EQ(rig.peer.take_one(packet_type::publish).payload, "early");
}

TEST(session_qos0, mids_reported_with_the_output_that_carries_them) {
    session_rig rig;
    rig.peer.connect(at(0s));
    const int a = rig.s.publish("t", "a", 0, false, at(1s)).mid;
    const int b = rig.s.publish("t", "b", 1, false, at(1s)).mid;
    const int c = rig.s.publish("t", "c", 0, false, at(1s)).mid;
    EXPECT_EQ(rig.peer.take().size(), 3u);
    EXPECT_EQ(rig.peer.qos0_mids, (std::vector<int>{a, c}));
    EXPECT_NE(a, b);
    EXPECT_NE(b, c);
    EXPECT_TRUE(rig.handler.published.empty());  // QoS 0: the caller reports on write
    rig.peer.take();
    EXPECT_TRUE(rig.peer.qos0_mids.empty());
}

TEST(session_qos0, unsent_output_is_dropped_with_the_link) {
    // At most once: QoS 0 bytes not yet taken when the link drops are gone, their mids never
    // reported; QoS 1 stays in flight and goes again.
    session_rig rig;
    rig.peer.connect(at(0s));
    rig.s.publish("t", "q0", 0, false, at(1s));
    rig.s.publish("t", "q1", 1, false, at(1s));
    rig.s.on_transport_closed();
    EXPECT_FALSE(rig.s.has_output());
    rig.peer.connect(at(2s), true);
    const auto out = rig.peer.take();
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].payload, "q1");
    EXPECT_TRUE(rig.peer.qos0_mids.empty());
}

TEST(session_args, invalid_publish_arguments_throw) {
    session_rig rig;
    rig.peer.connect(at(0s));
    EXPECT_THROW(rig.s.publish("a/+", "", 0, false, at(1s)), std::invalid_argument);
    EXPECT_THROW(rig.s.publish("a/#", "", 1, false, at(1s)), std::invalid_argument);
    EXPECT_THROW(rig.s.publish("#", "", 1, false, at(1s)), std::invalid_argument);
    EXPECT_THROW(rig.s.publish("", "", 0, false, at(1s)), std::invalid_argument);
    EXPECT_THROW(rig.s.publish("bad\xC3", "", 0, false, at(1s)), std::invalid_argument);
    EXPECT_THROW(rig.s.publish("t", "", 3, false, at(1s)), std::invalid_argument);
    EXPECT_THROW(rig.s.publish("t", "", -1, false, at(1s)), std::invalid_argument);
    EXPECT_FALSE(rig.s.has_output());
    EXPECT_EQ(rig.s.queued(), 0u);
}

TEST(session_args, invalid_subscribe_arguments_throw) {
    session_rig rig;
    rig.peer.connect(at(0s));
    auto sub = [&](std::string f, int q) {
        const std::pair<std::string, int> filters[] = {{std::move(f), q}};
        return rig.s.subscribe(filters, at(1s));
    };
    EXPECT_THROW(sub("a/#/b", 0), std::invalid_argument);
    EXPECT_THROW(sub("a+", 0), std::invalid_argument);
    EXPECT_THROW(sub("a/b#", 0), std::invalid_argument);
    EXPECT_THROW(sub("", 0), std::invalid_argument);
    EXPECT_THROW(sub("a", 3), std::invalid_argument);
    EXPECT_THROW(sub("a", -1), std::invalid_argument);
    EXPECT_THROW(rig.s.subscribe({}, at(1s)), std::invalid_argument);
    const std::string bad[] = {"ok", "x/#/y"};
    EXPECT_THROW(rig.s.unsubscribe(bad, at(1s)), std::invalid_argument);
    EXPECT_THROW(rig.s.unsubscribe({}, at(1s)), std::invalid_argument);
    // A batch with one bad filter changes nothing.
    const std::pair<std::string, int> mixed[] = {{"good", 0}, {"bad/#/x", 0}};
    EXPECT_THROW(rig.s.subscribe(mixed, at(1s)), std::invalid_argument);
    EXPECT_FALSE(rig.s.has_output());
}

}  // namespace
}  // namespace piogate::mqtt::test
