// SUBSCRIBE / SUBACK / UNSUBSCRIBE / UNSUBACK, and subscribing again when the broker lost the
// session (MQTT 3.1.1 sections 3.8 to 3.11).
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include "scripted_peer.hpp"

namespace piogate::mqtt::test {
namespace {

using filter_list = std::vector<std::pair<std::string, int>>;

int subscribe(session_rig& rig, filter_list filters, time_point now) {
    return rig.s.subscribe(filters, now);
}

int unsubscribe(session_rig& rig, std::vector<std::string> filters, time_point now) {
    return rig.s.unsubscribe(filters, now);
}

TEST(session_subscribe, subscribe_suback_granted_and_refused) {
    session_rig rig;
    rig.peer.connect(at(0s));
    const int mid = subscribe(rig, {{"a/+", 1}, {"b/#", 2}}, at(1s));
    const wire_packet sub = rig.peer.take_one(packet_type::subscribe);
    const byte_buffer expected = {0x82, 14,   0x00, static_cast<std::uint8_t>(sub.id),
                                  0x00, 3,    'a',  '/',
                                  '+',  0x01, 0x00, 3,
                                  'b',  '/',  '#',  0x02};
    EXPECT_EQ(sub.raw, expected);
    rig.peer.suback(sub.id, {1, 0x80}, at(1s));
    ASSERT_EQ(rig.handler.subscribed.size(), 1u);
    EXPECT_EQ(rig.handler.subscribed[0].first, mid);
    EXPECT_EQ(rig.handler.subscribed[0].second, (std::vector<int>{1, 0x80}));
    EXPECT_TRUE(rig.handler.logged(log_level::warning, "'b/#'"));
    // The refused filter is forgotten: a new session subscribes only to the granted one.
    rig.peer.reconnect(at(2s), false);
    const wire_packet again = rig.peer.take_one(packet_type::subscribe);
    EXPECT_EQ(again.filters, (filter_list{{"a/+", 1}}));
    rig.peer.suback(again.id, {1}, at(2s));
    EXPECT_EQ(rig.handler.subscribed.size(), 1u);  // no callback for the automatic request
}

TEST(session_subscribe, unsubscribe_unsuback) {
    session_rig rig;
    rig.peer.connect(at(0s));
    subscribe(rig, {{"a", 0}}, at(1s));
    rig.peer.suback(rig.peer.take_one(packet_type::subscribe).id, {0}, at(1s));
    const int mid = unsubscribe(rig, {"a", "never/subscribed"}, at(2s));
    const wire_packet u = rig.peer.take_one(packet_type::unsubscribe);
    const byte_buffer expected = {0xA2, 23,  0x00, static_cast<std::uint8_t>(u.id),
                                  0x00, 1,   'a',  0x00,
                                  16,   'n', 'e',  'v',
                                  'e',  'r', '/',  's',
                                  'u',  'b', 's',  'c',
                                  'r',  'i', 'b',  'e',
                                  'd'};
    EXPECT_EQ(u.raw, expected);
    EXPECT_TRUE(rig.handler.unsubscribed.empty());
    rig.peer.unsuback(u.id, at(2s));
    EXPECT_EQ(rig.handler.unsubscribed, std::vector<int>{mid});
    rig.peer.reconnect(at(3s), false);
    EXPECT_TRUE(rig.peer.take().empty());  // nothing left to subscribe again
}

TEST(session_subscribe, requests_made_offline_go_after_connack_with_their_mids) {
    session_config cfg = session_rig::default_config();
    cfg.resubscribe = false;  // the user's own requests go regardless
    session_rig rig(cfg);
    const int s1 = subscribe(rig, {{"x", 1}}, at(0s));
    const int s2 = subscribe(rig, {{"y", 2}, {"z", 0}}, at(0s));
    const int u1 = unsubscribe(rig, {"old"}, at(0s));
    EXPECT_FALSE(rig.s.has_output());
    rig.peer.connect(at(1s));
    const auto out = rig.peer.take();
    ASSERT_EQ(out.size(), 3u);
    EXPECT_EQ(out[0].type, packet_type::unsubscribe);  // unsubscribes go first
    EXPECT_EQ(out[0].filters, (filter_list{{"old", 0}}));
    EXPECT_EQ(out[1].filters, (filter_list{{"x", 1}}));
    EXPECT_EQ(out[2].filters, (filter_list{{"y", 2}, {"z", 0}}));
    rig.peer.suback(out[2].id, {2, 0}, at(1s));
    rig.peer.suback(out[1].id, {1}, at(1s));
    rig.peer.unsuback(out[0].id, at(1s));
    ASSERT_EQ(rig.handler.subscribed.size(), 2u);
    EXPECT_EQ(rig.handler.subscribed[0].first, s2);
    EXPECT_EQ(rig.handler.subscribed[1].first, s1);
    EXPECT_EQ(rig.handler.unsubscribed, std::vector<int>{u1});
}

TEST(session_subscribe, new_session_resubscribes_everything_in_one_request) {
    session_rig rig;
    rig.peer.connect(at(0s));
    subscribe(rig, {{"a", 0}}, at(1s));
    subscribe(rig, {{"b", 1}, {"c", 2}}, at(1s));
    for (const auto& p : rig.peer.take()) {
        rig.peer.suback(p.id, std::vector<std::uint8_t>(p.filters.size(), 0), at(1s));
    }
    rig.peer.reconnect(at(2s), false);
    const wire_packet again = rig.peer.take_one(packet_type::subscribe);
    EXPECT_EQ(again.filters, (filter_list{{"a", 0}, {"b", 1}, {"c", 2}}));
    // Kept session: the broker still has them.
    rig.peer.suback(again.id, {0, 1, 2}, at(2s));
    rig.peer.reconnect(at(3s), true);
    EXPECT_TRUE(rig.peer.take().empty());
}

TEST(session_subscribe, resubscribe_off_sends_nothing_for_a_new_session) {
    session_config cfg = session_rig::default_config();
    cfg.resubscribe = false;
    session_rig rig(cfg);
    rig.peer.connect(at(0s));
    subscribe(rig, {{"a", 0}}, at(1s));
    rig.peer.suback(rig.peer.take_one(packet_type::subscribe).id, {0}, at(1s));
    rig.peer.reconnect(at(2s), false);
    EXPECT_TRUE(rig.peer.take().empty());
}

TEST(session_subscribe, subscribe_in_on_connack_is_not_duplicated) {
    session_rig rig;
    rig.peer.connect(at(0s));
    subscribe(rig, {{"a", 0}, {"b", 1}}, at(1s));
    rig.peer.suback(rig.peer.take_one(packet_type::subscribe).id, {0, 1}, at(1s));
    int hook_mid = 0;
    rig.handler.connack_hook = [&](bool, int) {
        hook_mid = subscribe(rig, {{"a", 2}, {"c", 1}}, at(2s));
    };
    rig.peer.reconnect(at(2s), false);
    const auto out = rig.peer.take();
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0].filters, (filter_list{{"a", 2}, {"c", 1}}));  // the user's, first
    EXPECT_EQ(out[1].filters, (filter_list{{"b", 1}}));            // what is left to restore
    rig.peer.suback(out[0].id, {2, 1}, at(2s));
    rig.peer.suback(out[1].id, {1}, at(2s));
    ASSERT_EQ(rig.handler.subscribed.size(), 2u);
    EXPECT_EQ(rig.handler.subscribed[1].first, hook_mid);
    EXPECT_EQ(rig.handler.subscribed[1].second, (std::vector<int>{2, 1}));
}

TEST(session_subscribe, same_filter_twice_keeps_the_latest_qos) {
    session_rig rig;
    rig.peer.connect(at(0s));
    subscribe(rig, {{"a", 0}}, at(1s));
    subscribe(rig, {{"a", 2}}, at(1s));
    for (const auto& p : rig.peer.take()) rig.peer.suback(p.id, {0}, at(1s));
    rig.peer.reconnect(at(2s), false);
    EXPECT_EQ(rig.peer.take_one(packet_type::subscribe).filters, (filter_list{{"a", 2}}));
}

TEST(session_subscribe, suback_lost_with_the_link_is_requested_again_once) {
    for (const bool session_present : {true, false}) {
        session_rig rig;
        rig.peer.connect(at(0s));
        const int mid = subscribe(rig, {{"a", 1}, {"b", 0}}, at(1s));
        rig.peer.take_one(packet_type::subscribe);
        rig.peer.reconnect(at(2s), session_present);
        const wire_packet again = rig.peer.take_one(packet_type::subscribe);  // not twice
        EXPECT_EQ(again.filters, (filter_list{{"a", 1}, {"b", 0}}));
        rig.peer.suback(again.id, {1, 0}, at(2s));
        ASSERT_EQ(rig.handler.subscribed.size(), 1u) << session_present;
        EXPECT_EQ(rig.handler.subscribed[0].first, mid);
    }
}

TEST(session_subscribe, resubscribe_lost_with_the_link_is_requested_again) {
    // The automatic request after a new session gets no SUBACK before the link drops; the
    // next CONNACK says the session is kept, but the broker may never have seen the request.
    session_rig rig;
    rig.peer.connect(at(0s));
    subscribe(rig, {{"a", 1}}, at(1s));
    rig.peer.suback(rig.peer.take_one(packet_type::subscribe).id, {1}, at(1s));
    rig.peer.reconnect(at(2s), false);
    rig.peer.take_one(packet_type::subscribe);  // lost
    rig.peer.reconnect(at(3s), true);
    const wire_packet again = rig.peer.take_one(packet_type::subscribe);
    EXPECT_EQ(again.filters, (filter_list{{"a", 1}}));
    rig.peer.suback(again.id, {1}, at(3s));
    rig.peer.reconnect(at(4s), true);
    EXPECT_TRUE(rig.peer.take().empty());
}

TEST(session_subscribe, unsubscribe_lost_with_the_link_is_sent_again) {
    for (const bool session_present : {true, false}) {
        session_rig rig;
        rig.peer.connect(at(0s));
        subscribe(rig, {{"a", 1}}, at(1s));
        rig.peer.suback(rig.peer.take_one(packet_type::subscribe).id, {1}, at(1s));
        const int mid = unsubscribe(rig, {"a"}, at(2s));
        rig.peer.take_one(packet_type::unsubscribe);  // no UNSUBACK: the link drops
        rig.peer.reconnect(at(3s), session_present);
        const wire_packet again = rig.peer.take_one(packet_type::unsubscribe);
        EXPECT_EQ(again.filters, (filter_list{{"a", 0}}));
        rig.peer.unsuback(again.id, at(3s));
        EXPECT_EQ(rig.handler.unsubscribed, std::vector<int>{mid}) << session_present;
    }
}

TEST(session_subscribe, unsubscribe_before_suback_keeps_codes_matched_to_filters) {
    session_rig rig;
    rig.peer.connect(at(0s));
    const int mid = subscribe(rig, {{"a", 1}, {"b", 1}}, at(1s));
    const wire_packet sub = rig.peer.take_one(packet_type::subscribe);
    unsubscribe(rig, {"a"}, at(1s));
    rig.peer.unsuback(rig.peer.take_one(packet_type::unsubscribe).id, at(1s));
    rig.peer.suback(sub.id, {0x80, 1}, at(1s));  // "a" refused, "b" granted
    ASSERT_EQ(rig.handler.subscribed.size(), 1u);
    EXPECT_EQ(rig.handler.subscribed[0].first, mid);
    EXPECT_EQ(rig.handler.subscribed[0].second, (std::vector<int>{0x80, 1}));
    rig.peer.reconnect(at(2s), false);
    const wire_packet again = rig.peer.take_one(packet_type::subscribe);
    EXPECT_EQ(again.filters, (filter_list{{"b", 1}}));  // "b" was granted, not refused
}

TEST(session_subscribe, resubscribe_of_a_filter_before_suback_keeps_codes_matched) {
    session_rig rig;
    rig.peer.connect(at(0s));
    subscribe(rig, {{"a", 1}, {"b", 1}}, at(1s));
    const wire_packet first = rig.peer.take_one(packet_type::subscribe);
    const int second_mid = subscribe(rig, {{"a", 2}}, at(1s));
    const wire_packet second = rig.peer.take_one(packet_type::subscribe);
    rig.peer.suback(first.id, {1, 0x80}, at(1s));  // "b" refused
    rig.peer.suback(second.id, {2}, at(1s));
    ASSERT_EQ(rig.handler.subscribed.size(), 2u);
    EXPECT_EQ(rig.handler.subscribed[1].first, second_mid);
    rig.peer.reconnect(at(2s), false);
    EXPECT_EQ(rig.peer.take_one(packet_type::subscribe).filters, (filter_list{{"a", 2}}));
}

TEST(session_subscribe, unsubscribe_then_subscribe_while_offline_ends_subscribed) {
    // The broker must see the requests in the order that leaves "a" subscribed.
    session_rig rig;
    unsubscribe(rig, {"a"}, at(0s));
    const int s = subscribe(rig, {{"a", 1}}, at(0s));
    rig.peer.connect(at(1s));
    const auto out = rig.peer.take();
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0].type, packet_type::unsubscribe);
    EXPECT_EQ(out[1].type, packet_type::subscribe);
    rig.peer.unsuback(out[0].id, at(1s));
    rig.peer.suback(out[1].id, {1}, at(1s));
    ASSERT_EQ(rig.handler.subscribed.size(), 1u);
    EXPECT_EQ(rig.handler.subscribed[0].first, s);
    rig.peer.reconnect(at(2s), false);
    EXPECT_EQ(rig.peer.take_one(packet_type::subscribe).filters, (filter_list{{"a", 1}}));
}

TEST(session_subscribe, unsubscribe_lost_then_subscribe_again_ends_subscribed) {
    session_rig rig;
    rig.peer.connect(at(0s));
    unsubscribe(rig, {"a"}, at(1s));
    rig.peer.take_one(packet_type::unsubscribe);  // lost with the link
    rig.s.on_transport_closed();
    subscribe(rig, {{"a", 2}}, at(2s));
    rig.peer.connect(at(3s), true);
    const auto out = rig.peer.take();
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0].type, packet_type::unsubscribe);
    EXPECT_EQ(out[1].filters, (filter_list{{"a", 2}}));
}

TEST(session_subscribe, subscribe_then_unsubscribe_while_offline) {
    session_rig rig;
    subscribe(rig, {{"a", 1}}, at(0s));
    const int u = unsubscribe(rig, {"a"}, at(0s));
    rig.peer.connect(at(1s));
    const wire_packet out = rig.peer.take_one(packet_type::unsubscribe);
    rig.peer.unsuback(out.id, at(1s));
    EXPECT_EQ(rig.handler.unsubscribed, std::vector<int>{u});
}

}  // namespace
}  // namespace piogate::mqtt::test
