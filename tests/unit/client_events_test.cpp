// async_client's callback dispatch (src/mqtt/async_client_events.*): the 5.0 forms replace the
// 3.1.1 forms when set, 3.1.1 codes are mapped, a broker's DISCONNECT reaches the next
// on_disconnect only; and the session's count of SUBACK / UNSUBACK still to come.
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include <string>
#include <vector>

#include "mqtt/async_client_events.hpp"
#include "piogate/mqtt/error.hpp"
#include "scripted_peer.hpp"

namespace piogate::mqtt::test {
namespace {

TEST(client_events, the_v5_form_replaces_the_311_form_when_set) {
    client_events e(false);
    client_callbacks cb;
    std::vector<std::string> calls;
    cb.on_connect = [&](int rc, bool) { calls.push_back("connect " + std::to_string(rc)); };
    cb.on_publish = [&](int mid) { calls.push_back("publish " + std::to_string(mid)); };
    e.connected(&cb, 5, false, {});
    e.published(&cb, 7, reason_code::success, {});
    cb.on_connect_v5 = [&](const connect_flags& f, reason_code rc, const properties&) {
        calls.push_back(std::string("connect_v5 ") + to_string(rc) +
                        (f.session_present ? " sp" : ""));
    };
    e.connected(&cb, 5, true, {});       // 3.1.1 return code 5 is Not authorized
    e.connected(nullptr, 0, false, {});  // the owner is gone: nothing
    EXPECT_EQ(calls,
              (std::vector<std::string>{"connect 5", "publish 7", "connect_v5 Not authorized sp"}));
}

TEST(client_events, codes_for_311_subscribe_and_unsubscribe) {
    client_events e(false);
    client_callbacks cb;
    std::vector<reason_code> sub, unsub;
    cb.on_subscribe_v5 = [&](int, std::span<const reason_code> rcs, const properties&) {
        sub.assign(rcs.begin(), rcs.end());
    };
    cb.on_unsubscribe_v5 = [&](int, std::span<const reason_code> rcs, const properties&) {
        unsub.assign(rcs.begin(), rcs.end());
    };
    const int granted[] = {1, 0x80, 2};
    e.subscribed(&cb, 1, granted, {});
    e.unsubscribed(&cb, 2, {}, 3, {});
    EXPECT_EQ(sub,
              (std::vector<reason_code>{reason_code::granted_qos_1, reason_code::unspecified_error,
                                        reason_code::granted_qos_2}));
    EXPECT_EQ(unsub, std::vector<reason_code>(3, reason_code::success));
    client_events e5(true);
    const std::uint8_t codes[] = {0x00, 0x11};
    e5.unsubscribed(&cb, 3, codes, 2, {});
    EXPECT_EQ(unsub, (std::vector<reason_code>{reason_code::success,
                                               reason_code::no_subscription_existed}));
}

TEST(client_events, a_brokers_disconnect_reaches_the_next_on_disconnect_only) {
    client_events e(true);
    client_callbacks cb;
    std::vector<std::pair<bool, reason_code>> seen;
    std::string why;
    cb.on_disconnect_v5 = [&](const disconnect_flags& f, reason_code rc, const properties& p) {
        seen.emplace_back(f.is_disconnect_packet_from_server, rc);
        why = p.reason_string.value_or("");
    };
    properties p;
    p.reason_string = "another client";
    e.server_disconnect(reason_code::session_taken_over, p);
    e.disconnected(&cb, make_error_code(errc::connection_lost));
    EXPECT_EQ(why, "another client");
    e.disconnected(&cb, make_error_code(errc::keepalive_timeout));
    e.server_disconnect(reason_code::server_shutting_down, {});
    e.reset();  // a new attempt: the old DISCONNECT is forgotten
    e.disconnected(&cb, make_error_code(errc::disconnected_by_user));
    EXPECT_EQ(seen, (std::vector<std::pair<bool, reason_code>>{
                        {true, reason_code::session_taken_over},
                        {false, reason_code::keep_alive_timeout},
                        {false, reason_code::normal_disconnection}}));
}

TEST(client_events, refusals_in_words) {
    EXPECT_EQ(connack_text(false, 5), connack_string(5));
    EXPECT_NE(connack_text(true, 0x87).find("Not authorized (reason code 135)"), std::string::npos);
    EXPECT_EQ(refusal_text(false, from_connack_v311(4)), connack_string(4));
    EXPECT_NE(refusal_text(true, reason_code::banned).find("Banned"), std::string::npos);
}

TEST(session_subscribe_acks, awaiting_acks_counts_requests_until_their_ack) {
    session_rig rig;
    std::vector<std::pair<std::string, int>> one{{"a/#", 1}};
    EXPECT_EQ(rig.s.awaiting_acks(), 0u);
    rig.s.subscribe(one, at(0s));  // offline: waits for the connection
    EXPECT_EQ(rig.s.awaiting_acks(), 1u);
    rig.peer.connect(at(1s));
    const wire_packet sub = rig.peer.take_one(packet_type::subscribe);
    std::vector<std::string> filters{"b"};
    rig.s.unsubscribe(filters, at(1s));
    EXPECT_EQ(rig.s.awaiting_acks(), 2u);
    rig.peer.suback(sub.id, {1}, at(1s));
    EXPECT_EQ(rig.s.awaiting_acks(), 1u);
    const wire_packet unsub = rig.peer.take_one(packet_type::unsubscribe);
    rig.peer.unsuback(unsub.id, at(1s));
    EXPECT_EQ(rig.s.awaiting_acks(), 0u);
}

}  // namespace
}  // namespace piogate::mqtt::test
