// The session speaking MQTT 5.0 against a scripted broker on virtual time: CONNECT properties,
// what the CONNACK says (Receive Maximum, Maximum Packet Size, availability, assigned client
// id, server keep alive), topic aliases both ways, reason codes on acks, the broker's
// DISCONNECT, our DISCONNECT with a reason, AUTH, and DISCONNECT with a reason before we close
// for the broker's protocol errors.
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include <system_error>

#include "scripted_peer.hpp"

namespace piogate::mqtt::test {
namespace {

session_config v5_config() {
    session_config c = session_rig::default_config();
    c.version = protocol_version::v5;
    return c;
}

properties connack_props(auto&& set) {
    properties p;
    set(p);
    return p;
}

void connect_v5(session_rig& rig, const properties& props, time_point now = at(0s)) {
    rig.s.on_transport_open(now);
    rig.peer.take_one(packet_type::connect);
    rig.peer.connack(false, 0, props, now);
}

TEST(session_mqtt5, connect_carries_the_options) {
    session_config c = v5_config();
    c.max_packet_size = 4096;
    c.mqtt5.session_expiry_interval = 3600;
    c.mqtt5.receive_maximum = 10;
    c.mqtt5.topic_alias_maximum = 5;
    c.mqtt5.request_problem_information = false;
    c.mqtt5.user_properties = {{"site", "pi"}};
    c.will = will_message{"w", "gone", 1, false};
    c.mqtt5.will_properties.will_delay_interval = 30;
    c.mqtt5.will_properties.content_type = "text/plain";
    session_rig rig(c);
    rig.s.on_transport_open(at(0s));
    const wire_packet w = rig.peer.take_one(packet_type::connect);
    EXPECT_EQ(w.connect.version, protocol_version::v5);
    EXPECT_EQ(w.props.session_expiry_interval, 3600u);
    EXPECT_EQ(w.props.receive_maximum, 10);
    EXPECT_EQ(w.props.maximum_packet_size, 4096u);
    EXPECT_EQ(w.props.topic_alias_maximum, 5);
    EXPECT_EQ(w.props.request_problem_information, 0);
    EXPECT_FALSE(w.props.request_response_information.has_value());
    ASSERT_EQ(w.props.user_properties.size(), 1u);
    EXPECT_EQ(w.connect.will_props.will_delay_interval, 30u);
    EXPECT_EQ(w.connect.will_props.content_type, "text/plain");
}

TEST(session_mqtt5, broker_receive_maximum_caps_the_window) {
    session_rig rig(v5_config());  // max_inflight 20
    connect_v5(rig, connack_props([](properties& p) { p.receive_maximum = 2; }));
    EXPECT_EQ(rig.s.send_window(), 2);
    for (int i = 0; i < 3; ++i) rig.s.publish("t", "x", 1, false, at(1s));
    auto sent = rig.peer.take();
    ASSERT_EQ(sent.size(), 2u);
    EXPECT_EQ(rig.s.queued(), 1u);
    rig.peer.puback(sent[0].id, at(2s));
    EXPECT_EQ(rig.peer.take().size(), 1u);
}

TEST(session_mqtt5, assigned_client_id_and_server_keep_alive_are_adopted) {
    session_config c = v5_config();
    c.client_id = "";
    c.clean_session = true;
    session_rig rig(c);
    connect_v5(rig, connack_props([](properties& p) {
                   p.assigned_client_identifier = "auto-1";
                   p.server_keep_alive = 5;
               }));
    EXPECT_EQ(rig.s.config().client_id, "auto-1");
    EXPECT_EQ(rig.s.config().keepalive, 5);
    EXPECT_EQ(rig.s.next_deadline(), at(5s));
    rig.s.on_transport_closed();
    rig.s.on_transport_open(at(10s));
    EXPECT_EQ(rig.peer.take_one(packet_type::connect).connect.client_id, "auto-1");
}

TEST(session_mqtt5, broker_maximum_packet_size_refuses_oversize_publishes) {
    session_rig rig(v5_config());
    const int queued = rig.s.publish("t", std::string(200, 'x'), 1, false, at(0s)).mid;
    connect_v5(rig, connack_props([](properties& p) { p.maximum_packet_size = 100; }));
    // Queued before the limit was known: dropped when it would go, reported with its reason.
    EXPECT_TRUE(rig.peer.take().empty());
    ASSERT_EQ(rig.handler.publish_reasons.size(), 1u);
    EXPECT_EQ(rig.handler.publish_reasons[0],
              std::make_pair(queued, reason_code::packet_too_large));
    const publish_result r = rig.s.publish("t", std::string(200, 'x'), 0, false, at(1s));
    EXPECT_EQ(r.rc, make_error_code(errc::packet_too_large));
    EXPECT_TRUE(rig.s.publish("t", std::string(50, 'x'), 1, false, at(1s)));
    EXPECT_EQ(rig.peer.take().size(), 1u);
}

TEST(session_mqtt5, retain_and_qos_refused_where_the_broker_lacks_them) {
    session_rig rig(v5_config());
    connect_v5(rig, connack_props([](properties& p) {
                   p.retain_available = 0;
                   p.maximum_qos = 1;
               }));
    EXPECT_EQ(rig.s.publish("t", "x", 0, true, at(1s)).rc,
              std::make_error_code(std::errc::not_supported));
    EXPECT_EQ(rig.s.publish("t", "x", 2, false, at(1s)).rc,
              std::make_error_code(std::errc::not_supported));
    EXPECT_TRUE(rig.s.publish("t", "x", 1, false, at(1s)));
    EXPECT_EQ(rig.peer.take().size(), 1u);
}

// Queued while offline, then a CONNACK that forbids them: dropped with the matching reason,
// not sent to a broker that would disconnect for them.
TEST(session_mqtt5, queued_publishes_the_connack_forbids_are_dropped_with_their_reason) {
    session_rig rig(v5_config());
    const int qos2 = rig.s.publish("t", "x", 2, false, at(0s)).mid;
    const int retained = rig.s.publish("t", "x", 1, true, at(0s)).mid;
    const int fine = rig.s.publish("t", "x", 1, false, at(0s)).mid;
    connect_v5(rig, connack_props([](properties& p) {
                   p.retain_available = 0;
                   p.maximum_qos = 1;
               }));
    EXPECT_EQ(rig.peer.take().size(), 1u);  // only `fine`
    ASSERT_EQ(rig.handler.publish_reasons.size(), 2u);
    EXPECT_EQ(rig.handler.publish_reasons[0], std::make_pair(qos2, reason_code::qos_not_supported));
    EXPECT_EQ(rig.handler.publish_reasons[1],
              std::make_pair(retained, reason_code::retain_not_supported));
    EXPECT_GT(fine, 0);
}

TEST(session_mqtt5, subscriptions_refused_where_the_broker_lacks_them) {
    session_rig rig(v5_config());
    connect_v5(rig, connack_props([](properties& p) {
                   p.wildcard_subscription_available = 0;
                   p.shared_subscription_available = 0;
                   p.subscription_identifier_available = 0;
               }));
    const std::vector<std::pair<std::string, subscribe_options>> wild{{"a/#", {}}};
    const std::vector<std::pair<std::string, subscribe_options>> shared{{"$share/g/a", {}}};
    const std::vector<std::pair<std::string, subscribe_options>> plain{{"a", {}}};
    properties with_id;
    with_id.subscription_identifiers = {3};
    EXPECT_THROW(rig.s.subscribe(wild, {}, at(1s)), std::system_error);
    EXPECT_THROW(rig.s.subscribe(shared, {}, at(1s)), std::system_error);
    EXPECT_THROW(rig.s.subscribe(plain, with_id, at(1s)), std::system_error);
    EXPECT_FALSE(rig.s.has_output());
    rig.s.subscribe(plain, {}, at(1s));
    EXPECT_EQ(rig.peer.take().size(), 1u);
}

TEST(session_mqtt5, subscribe_options_identifier_and_reason_codes) {
    session_rig rig(v5_config());
    connect_v5(rig, {});
    properties props;
    props.subscription_identifiers = {42};
    props.user_properties = {{"k", "v"}};
    const std::vector<std::pair<std::string, subscribe_options>> filters{
        {"a/+", {1, true, false, 2}}, {"b", {2, false, true, 0}}};
    const int mid = rig.s.subscribe(filters, props, at(1s));
    const wire_packet s = rig.peer.take_one(packet_type::subscribe);
    ASSERT_EQ(s.filters.size(), 2u);
    EXPECT_EQ(s.filters[0].second, 0x25);
    EXPECT_EQ(s.filters[1].second, 0x0A);
    EXPECT_EQ(s.props.subscription_identifiers, (std::vector<std::uint32_t>{42}));
    EXPECT_EQ(s.props.user_properties.size(), 1u);
    rig.peer.suback(s.id, {0x01, 0x87}, at(2s));
    ASSERT_EQ(rig.handler.subscribed.size(), 1u);
    EXPECT_EQ(rig.handler.subscribed[0], std::make_pair(mid, std::vector<int>{1, 0x87}));
    EXPECT_TRUE(rig.handler.logged(log_level::warning, "'b': Not authorized"));
    // After a session loss only the granted filter is subscribed again, with its options.
    rig.s.on_transport_closed();
    connect_v5(rig, {}, at(3s));
    const wire_packet again = rig.peer.take_one(packet_type::subscribe);
    ASSERT_EQ(again.filters.size(), 1u);
    EXPECT_EQ(again.filters[0], std::make_pair(std::string("a/+"), 0x25));
    EXPECT_EQ(again.props.subscription_identifiers, (std::vector<std::uint32_t>{42}));
}

TEST(session_mqtt5, outbound_topic_aliases_bounded_by_the_broker) {
    session_config c = v5_config();
    c.mqtt5.outbound_topic_aliases = 10;
    session_rig rig(c);
    connect_v5(rig, connack_props([](properties& p) { p.topic_alias_maximum = 1; }));
    const std::string topic = "sensors/kitchen/temperature";
    rig.s.publish(topic, "1", 0, false, at(1s));
    rig.s.publish(topic, "2", 1, false, at(1s));
    rig.s.publish("other", "3", 0, false, at(1s));
    const auto out = rig.peer.take();
    ASSERT_EQ(out.size(), 3u);
    EXPECT_EQ(out[0].topic, topic);
    EXPECT_EQ(out[0].props.topic_alias, 1);
    EXPECT_EQ(out[1].topic, "");
    EXPECT_EQ(out[1].props.topic_alias, 1);
    EXPECT_LT(out[1].raw.size() + topic.size() - 3, out[0].raw.size() + topic.size());
    EXPECT_EQ(out[1].raw.size(), out[0].raw.size() - topic.size() + 2);  // 2: its packet id
    EXPECT_EQ(out[2].topic, "other");
    EXPECT_FALSE(out[2].props.topic_alias.has_value());
    // A new connection starts a new table: the full topic goes again.
    rig.s.on_transport_closed();
    connect_v5(rig, connack_props([](properties& p) { p.topic_alias_maximum = 1; }), at(2s));
    const wire_packet again = rig.peer.take_one(packet_type::publish);  // "2", never acked
    EXPECT_EQ(again.payload, "2");
    EXPECT_EQ(again.topic, topic);
    EXPECT_EQ(again.props.topic_alias, 1);
}

TEST(session_mqtt5, no_aliases_when_the_broker_allows_none) {
    session_config c = v5_config();
    c.mqtt5.outbound_topic_aliases = 10;
    session_rig rig(c);
    connect_v5(rig, {});
    rig.s.publish("t", "1", 0, false, at(1s));
    rig.s.publish("t", "2", 0, false, at(1s));
    for (const auto& p : rig.peer.take()) {
        EXPECT_EQ(p.topic, "t");
        EXPECT_FALSE(p.props.topic_alias.has_value());
    }
}

publish_packet aliased(std::string_view topic, std::uint16_t alias) {
    publish_packet p;
    p.topic = topic;
    p.payload = "v";
    p.props.topic_alias = alias;
    return p;
}

TEST(session_mqtt5, inbound_topic_aliases_resolve) {
    session_config c = v5_config();
    c.mqtt5.topic_alias_maximum = 2;
    session_rig rig(c);
    connect_v5(rig, {});
    rig.peer.send(aliased("a/b", 2), at(1s));
    rig.peer.send(aliased("", 2), at(1s));
    ASSERT_EQ(rig.handler.messages.size(), 2u);
    EXPECT_EQ(rig.handler.messages[1].topic, "a/b");
    EXPECT_TRUE(rig.handler.closes.empty());
}

TEST(session_mqtt5, bad_inbound_alias_is_a_protocol_error_with_disconnect_0x94) {
    for (const auto& [p, why] : {std::make_pair(aliased("a", 3), "above our Topic Alias Maximum"),
                                 std::make_pair(aliased("", 1), "unknown topic alias 1")}) {
        session_config c = v5_config();
        c.mqtt5.topic_alias_maximum = 2;
        session_rig rig(c);
        connect_v5(rig, {});
        rig.peer.send(p, at(1s));
        const wire_packet d = rig.peer.take_one(packet_type::disconnect);
        EXPECT_EQ(d.reason, 0x94);
        ASSERT_EQ(rig.handler.closes.size(), 1u);
        EXPECT_TRUE(is_code(rig.handler.closes[0], errc::protocol_error));
        EXPECT_NE(rig.handler.closes[0].detail.find(why), std::string::npos)
            << rig.handler.closes[0].detail;
        EXPECT_TRUE(rig.handler.messages.empty());
    }
}

TEST(session_mqtt5, error_reason_on_puback_and_pubrec_completes_the_message) {
    session_rig rig(v5_config());
    connect_v5(rig, {});
    const int a = rig.s.publish("t", "a", 1, false, at(1s)).mid;
    const int b = rig.s.publish("t", "b", 2, false, at(1s)).mid;
    const auto out = rig.peer.take();
    ack_packet nack;
    nack.type = packet_type::puback;
    nack.packet_id = out[0].id;
    nack.reason_code = 0x87;
    nack.props.reason_string = "acl";
    rig.peer.send(nack, at(2s));
    ack_packet rec;
    rec.type = packet_type::pubrec;
    rec.packet_id = out[1].id;
    rec.reason_code = 0x97;
    rig.peer.send(rec, at(2s));
    EXPECT_FALSE(rig.s.has_output());  // no PUBREL after an error PUBREC
    EXPECT_EQ(rig.s.inflight(), 0u);
    EXPECT_EQ(rig.handler.publish_reasons,
              (std::vector<std::pair<int, reason_code>>{{a, reason_code::not_authorized},
                                                        {b, reason_code::quota_exceeded}}));
    EXPECT_TRUE(rig.handler.logged(log_level::warning, "Not authorized (acl)"));
    // A success reason other than 0 completes normally.
    const int c = rig.s.publish("t", "c", 1, false, at(3s)).mid;
    ack_packet ok;
    ok.packet_id = rig.peer.take_one(packet_type::publish).id;
    ok.reason_code = 0x10;
    rig.peer.send(ok, at(3s));
    EXPECT_EQ(rig.handler.publish_reasons.back(),
              std::make_pair(c, reason_code::no_matching_subscribers));
}

TEST(session_mqtt5, broker_disconnect_reaches_the_owner) {
    session_rig rig(v5_config());
    connect_v5(rig, {});
    empty_packet d;
    d.type = packet_type::disconnect;
    d.reason_code = 0x8E;
    d.props.reason_string = "another client";
    rig.peer.send(d, at(1s));
    ASSERT_EQ(rig.handler.server_disconnects.size(), 1u);
    EXPECT_EQ(rig.handler.server_disconnects[0].first, reason_code::session_taken_over);
    ASSERT_EQ(rig.handler.closes.size(), 1u);
    EXPECT_TRUE(is_code(rig.handler.closes[0], errc::connection_lost));
    EXPECT_EQ(rig.handler.closes[0].detail,
              "broker sent DISCONNECT: Session taken over (another client)");
}

TEST(session_mqtt5, our_disconnect_carries_reason_and_session_expiry) {
    session_rig rig(v5_config());
    connect_v5(rig, {});
    properties p;
    p.session_expiry_interval = 0;
    rig.s.disconnect(at(1s), reason_code::disconnect_with_will_message, p);
    const wire_packet d = rig.peer.take_one(packet_type::disconnect);
    EXPECT_EQ(d.raw, (byte_buffer{0xE0, 0x07, 0x04, 0x05, 0x11, 0, 0, 0, 0}));
}

TEST(session_mqtt5, refused_connack_names_the_reason) {
    session_rig rig(v5_config());
    rig.s.on_transport_open(at(0s));
    rig.peer.take();
    rig.peer.connack(false, 0x86, connack_props([](properties& p) { p.reason_string = "who?"; }),
                     at(0s));
    ASSERT_EQ(rig.handler.connacks.size(), 1u);
    EXPECT_EQ(rig.handler.connacks[0].second, 0x86);
    ASSERT_EQ(rig.handler.closes.size(), 1u);
    EXPECT_TRUE(is_code(rig.handler.closes[0], errc::connection_refused));
    EXPECT_EQ(rig.handler.closes[0].detail, "Bad User Name or Password (who?)");
}

TEST(session_mqtt5, properties_go_out_and_come_in) {
    session_rig rig(v5_config());
    connect_v5(rig, {});
    properties p;
    p.message_expiry_interval = 30;
    p.content_type = "application/json";
    p.user_properties = {{"unit", "C"}};
    rig.s.publish("t", "{}", 1, false, p, at(1s));
    const wire_packet w = rig.peer.take_one(packet_type::publish);
    EXPECT_EQ(w.props, p);
    publish_packet in;
    in.topic = "x";
    in.payload = "1";
    in.props.subscription_identifiers = {4, 9};
    rig.peer.send(in, at(2s));
    ASSERT_EQ(rig.handler.message_props.size(), 1u);
    EXPECT_EQ(rig.handler.message_props[0].subscription_identifiers,
              (std::vector<std::uint32_t>{4, 9}));
    properties alias;
    alias.topic_alias = 1;
    EXPECT_THROW(rig.s.publish("t", "x", 0, false, alias, at(3s)), std::invalid_argument);
    properties utf8;
    utf8.payload_format_indicator = 1;
    EXPECT_THROW(rig.s.publish("t", "\xFF", 0, false, utf8, at(3s)), std::invalid_argument);
}

TEST(session_mqtt5, inbound_receive_maximum_enforced) {
    session_config c = v5_config();
    c.mqtt5.receive_maximum = 1;
    session_rig rig(c);
    connect_v5(rig, {});
    rig.peer.publish("a", "1", 2, 1, at(1s));
    rig.peer.take_one(packet_type::pubrec);
    rig.peer.publish("a", "2", 2, 2, at(1s));
    EXPECT_EQ(rig.peer.take_one(packet_type::disconnect).reason, 0x93);
    EXPECT_TRUE(is_code(rig.handler.closes.at(0), errc::protocol_error));
}

TEST(session_mqtt5, malformed_and_protocol_errors_send_disconnect_with_reason) {
    {
        session_rig rig(v5_config());
        connect_v5(rig, {});
        const byte_buffer bad{0x40, 0x03, 0x00, 0x01, 0x8E};  // PUBACK reason not allowed
        rig.peer.feed(bad, at(1s));
        EXPECT_EQ(rig.peer.take_one(packet_type::disconnect).reason, 0x81);
        EXPECT_TRUE(is_code(rig.handler.closes.at(0), errc::malformed_packet));
    }
    {
        session_rig rig(v5_config());
        connect_v5(rig, {});
        const byte_buffer bad{0x30, 0x07, 0x00, 0x01, 't', 0x03, 0x23, 0x00, 0x00};  // alias 0
        rig.peer.feed(bad, at(1s));
        EXPECT_EQ(rig.peer.take_one(packet_type::disconnect).reason, 0x82);
        EXPECT_TRUE(is_code(rig.handler.closes.at(0), errc::protocol_error));
    }
}

TEST(session_mqtt5, enhanced_authentication_exchange) {
    session_config c = v5_config();
    c.mqtt5.authentication_method = "TOKEN";
    c.mqtt5.authentication_data = "hello";
    std::vector<std::string> challenges;
    c.mqtt5.on_auth = [&](const properties& p) -> std::optional<std::string> {
        challenges.push_back(p.authentication_data.value_or(""));
        if (p.authentication_data == "bad") return std::nullopt;
        return "answer:" + p.authentication_data.value_or("");
    };
    session_rig rig(c);
    rig.s.on_transport_open(at(0s));
    const wire_packet w = rig.peer.take_one(packet_type::connect);
    EXPECT_EQ(w.props.authentication_method, "TOKEN");
    EXPECT_EQ(w.props.authentication_data, "hello");
    auth_packet challenge;
    challenge.reason_code = 0x18;
    challenge.props.authentication_method = "TOKEN";
    challenge.props.authentication_data = "nonce";
    rig.peer.send(challenge, at(1s));
    const wire_packet reply = rig.peer.take_one(packet_type::auth);
    EXPECT_EQ(reply.reason, 0x18);
    EXPECT_EQ(reply.props.authentication_method, "TOKEN");
    EXPECT_EQ(reply.props.authentication_data, "answer:nonce");
    rig.peer.connack(false, 0, connack_props([](properties& p) {
                         p.authentication_method = "TOKEN";
                         p.authentication_data = "done";
                     }),
                     at(2s));
    EXPECT_EQ(rig.s.state(), session_state::connected);
    EXPECT_EQ(challenges, (std::vector<std::string>{"nonce", "done"}));

    // The hook gives up: DISCONNECT Not authorized.
    rig.s.on_transport_closed();
    rig.s.on_transport_open(at(3s));
    rig.peer.take();
    challenge.props.authentication_data = "bad";
    rig.peer.send(challenge, at(3s));
    EXPECT_EQ(rig.peer.take_one(packet_type::disconnect).reason, 0x87);
    EXPECT_TRUE(is_code(rig.handler.closes.at(0), errc::not_authorized));
}

TEST(session_mqtt5, auth_with_another_method_is_a_protocol_error) {
    session_config c = v5_config();
    c.mqtt5.authentication_method = "TOKEN";
    session_rig rig(c);
    rig.s.on_transport_open(at(0s));
    rig.peer.take();
    auth_packet a;
    a.reason_code = 0x18;
    a.props.authentication_method = "OTHER";
    rig.peer.send(a, at(1s));
    EXPECT_EQ(rig.peer.take_one(packet_type::disconnect).reason, 0x82);
}

TEST(session_mqtt5, unsuback_reason_codes_reach_the_owner) {
    session_rig rig(v5_config());
    connect_v5(rig, {});
    const std::vector<std::string> filters{"a", "b"};
    const int mid = rig.s.unsubscribe(filters, at(1s));
    const wire_packet u = rig.peer.take_one(packet_type::unsubscribe);
    ack_packet ua;
    ua.type = packet_type::unsuback;
    ua.packet_id = u.id;
    ua.reason_codes = {0x00, 0x11};
    rig.peer.send(ua, at(2s));
    ASSERT_EQ(rig.handler.unsubscribe_codes.size(), 1u);
    EXPECT_EQ(rig.handler.unsubscribe_codes[0],
              std::make_pair(mid, std::vector<std::uint8_t>{0x00, 0x11}));
    EXPECT_EQ(rig.handler.unsubscribed, (std::vector<int>{mid}));
}

}  // namespace
}  // namespace piogate::mqtt::test
