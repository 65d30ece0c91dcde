// MQTT 5.0 features of the async_client against a real mosquitto 2.0.11: subscription options
// (no local, retain handling, retain as published), subscription identifiers, shared
// subscriptions, session takeover and session expiry, message expiry, the broker's Receive
// Maximum and Maximum Packet Size, outbound topic aliases, a refused CONNACK in words, and the
// will on DISCONNECT disconnect_with_will_message. (A scripted broker for what mosquitto does
// not send: client_mqtt5_scripted_test.cpp.)
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "piogate/mqtt/async_client.hpp"
#include "piogate/mqtt/client.hpp"
#include "support/mosquitto_broker.hpp"
#include "support/tcp_counters.hpp"

namespace mqtt = piogate::mqtt;
namespace asio = boost::asio;
using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

namespace {

template <class Pred>
bool run_until(asio::io_context& io, Pred done, std::chrono::milliseconds limit = 5s) {
    const auto deadline = steady::now() + limit;
    io.restart();
    while (!done()) {
        if (steady::now() >= deadline) return false;
        io.run_one_for(20ms);
    }
    return true;
}

// Runs the io_context for `d` (to see that nothing more arrives).
void run_for(asio::io_context& io, std::chrono::milliseconds d) {
    run_until(
        io, [] { return false; }, d);
}

mqtt::client_options v5(const std::string& id) {
    mqtt::client_options o;
    o.client_id = id;
    o.protocol = mqtt::protocol_version::v5;
    o.reconnect_min_delay = 50ms;
    o.reconnect_max_delay = 200ms;
    return o;
}

// One async_client with what it saw.
struct peer {
    peer(asio::io_context& io, mqtt::client_options o) : c(io, std::move(o)) {
        c.on_connect_v5 = [this](const mqtt::connect_flags& f, mqtt::reason_code rc,
                                 const mqtt::properties& p) {
            connacks.push_back(rc);
            session_present = f.session_present;
            connack_props = p;
        };
        c.on_subscribe_v5 = [this](int, std::span<const mqtt::reason_code> rcs,
                                   const mqtt::properties&) {
            subacks.emplace_back(rcs.begin(), rcs.end());
        };
        c.on_message = [this](const mqtt::message& m) {
            messages.push_back({std::string(m.topic), std::string(m.payload), m.retain,
                                m.props ? *m.props : mqtt::properties{}});
        };
        c.on_disconnect_v5 = [this](const mqtt::disconnect_flags& f, mqtt::reason_code rc,
                                    const mqtt::properties& p) {
            disconnects.push_back({f, rc, p});
        };
        c.on_log = [this](mqtt::log_level, std::string_view t) { log += std::string(t) + "\n"; };
    }
    struct msg {
        std::string topic, payload;
        bool retain;
        mqtt::properties props;
    };
    struct gone {
        mqtt::disconnect_flags flags;
        mqtt::reason_code rc;
        mqtt::properties props;
    };
    mqtt::async_client c;
    std::vector<mqtt::reason_code> connacks;
    bool session_present = false;
    mqtt::properties connack_props;
    std::vector<std::vector<mqtt::reason_code>> subacks;
    std::vector<msg> messages;
    std::vector<gone> disconnects;
    std::string log;
};

void connect(asio::io_context& io, peer& p, std::uint16_t port) {
    const auto n = p.connacks.size();
    p.c.connect("127.0.0.1", port);
    ASSERT_TRUE(run_until(io, [&] { return p.connacks.size() > n; })) << p.log;
    ASSERT_EQ(p.connacks.back(), mqtt::reason_code::success) << p.log;
}

void subscribe(asio::io_context& io, peer& p, const std::string& filter, mqtt::subscribe_options o,
               const mqtt::properties& props = {}) {
    const auto n = p.subacks.size();
    std::pair<std::string, mqtt::subscribe_options> one{filter, o};
    p.c.subscribe(std::span(&one, 1), props);
    ASSERT_TRUE(run_until(io, [&] { return p.subacks.size() > n; }));
    ASSERT_FALSE(mqtt::is_error(p.subacks.back().at(0))) << mqtt::to_string(p.subacks.back()[0]);
}

void disconnect(asio::io_context& io, peer& p) {
    const auto n = p.disconnects.size();
    p.c.disconnect();
    ASSERT_TRUE(run_until(io, [&] { return p.disconnects.size() > n; }));
}

}  // namespace

TEST(client_mqtt5_features, no_local_keeps_our_own_messages_from_us) {
    piogate::test::mosquitto_broker broker;
    asio::io_context io;
    peer a(io, v5("nl-a")), b(io, v5("nl-b"));
    connect(io, a, broker.port());
    connect(io, b, broker.port());
    subscribe(io, a, "nl/#", {1, true});   // no local
    subscribe(io, b, "nl/#", {1, false});  // plain
    a.c.publish("nl/from-a", "1", 1);
    b.c.publish("nl/from-b", "2", 1);
    ASSERT_TRUE(run_until(io, [&] { return a.messages.size() == 1 && b.messages.size() == 2; }));
    run_for(io, 200ms);
    ASSERT_EQ(a.messages.size(), 1u);
    EXPECT_EQ(a.messages[0].topic, "nl/from-b");  // its own "nl/from-a" never came back
    EXPECT_EQ(b.messages.size(), 2u);             // b gets both, its own too
}

TEST(client_mqtt5_features, retain_handling_and_retain_as_published) {
    piogate::test::mosquitto_broker broker;
    asio::io_context io;
    peer pub(io, v5("rh-pub")), s(io, v5("rh-sub"));
    connect(io, pub, broker.port());
    connect(io, s, broker.port());
    pub.c.publish("rh/kept", "r", 1, true);
    ASSERT_TRUE(run_until(io, [&] { return pub.c.idle(); }));
    auto count = [&](const std::string& topic) {
        int n = 0;
        for (const auto& m : s.messages) n += m.topic == topic;
        return n;
    };
    // 0: retained messages on every subscribe; 1: only for a new subscription; 2: never.
    subscribe(io, s, "rh/#", {1, false, false, 0});
    ASSERT_TRUE(run_until(io, [&] { return count("rh/kept") == 1; }));
    subscribe(io, s, "rh/#", {1, false, false, 0});
    ASSERT_TRUE(run_until(io, [&] { return count("rh/kept") == 2; }));
    EXPECT_TRUE(s.messages.back().retain);
    subscribe(io, s, "rh/+", {1, false, false, 1});  // new: sent
    ASSERT_TRUE(run_until(io, [&] { return count("rh/kept") == 3; }));
    subscribe(io, s, "rh/+", {1, false, false, 1});    // exists: not sent
    subscribe(io, s, "+/kept", {1, false, false, 2});  // never
    run_for(io, 300ms);
    EXPECT_EQ(count("rh/kept"), 3);

    // A live message published with retain: retain 0 to a plain subscriber, 1 with
    // retain as published. (Three overlapping subscriptions above: one copy each.)
    peer rap(io, v5("rh-rap")), plain(io, v5("rh-plain"));
    connect(io, rap, broker.port());
    connect(io, plain, broker.port());
    subscribe(io, rap, "live/#", {1, false, true, 2});
    subscribe(io, plain, "live/#", {1, false, false, 2});
    pub.c.publish("live/x", "v", 1, true);
    ASSERT_TRUE(
        run_until(io, [&] { return rap.messages.size() == 1 && plain.messages.size() == 1; }));
    EXPECT_TRUE(rap.messages[0].retain);
    EXPECT_FALSE(plain.messages[0].retain);
}

TEST(client_mqtt5_features, subscription_identifiers_come_with_the_message) {
    piogate::test::mosquitto_broker broker;
    asio::io_context io;
    peer s(io, v5("sid-sub"));
    connect(io, s, broker.port());
    EXPECT_NE(s.connack_props.subscription_identifier_available, std::optional<std::uint8_t>(0));
    mqtt::properties id7, id9;
    id7.subscription_identifiers = {7};
    id9.subscription_identifiers = {9};
    subscribe(io, s, "sid/a/#", {1}, id7);
    subscribe(io, s, "sid/+/x", {1}, id9);
    s.c.publish("sid/a/x", "both", 1);
    s.c.publish("sid/a/y", "seven", 1);
    // mosquitto 2.0 sends a copy per matching subscription, each with its identifier (other
    // brokers send one copy with both): compare the union per payload.
    std::map<std::string, std::set<std::uint32_t>> ids;
    auto collect = [&] {
        ids.clear();
        for (const auto& m : s.messages) {
            EXPECT_FALSE(m.props.subscription_identifiers.empty()) << m.payload;
            ids[m.payload].insert(m.props.subscription_identifiers.begin(),
                                  m.props.subscription_identifiers.end());
        }
        return ids["both"].size() == 2 && ids["seven"].size() == 1;
    };
    ASSERT_TRUE(run_until(io, collect)) << s.messages.size();
    EXPECT_EQ(ids["both"], (std::set<std::uint32_t>{7, 9}));
    EXPECT_EQ(ids["seven"], (std::set<std::uint32_t>{7}));
}

TEST(client_mqtt5_features, shared_subscription_gives_each_message_to_one_member) {
    piogate::test::mosquitto_broker broker;
    asio::io_context io;
    peer a(io, v5("sh-a")), b(io, v5("sh-b")), pub(io, v5("sh-pub"));
    for (auto* p : {&a, &b, &pub}) connect(io, *p, broker.port());
    subscribe(io, a, "$share/g/sh/t", {1});
    subscribe(io, b, "$share/g/sh/t", {1});
    for (int i = 0; i < 40; ++i) pub.c.publish("sh/t", std::to_string(i), 1);
    ASSERT_TRUE(run_until(io, [&] { return a.messages.size() + b.messages.size() >= 40; }));
    run_for(io, 200ms);
    std::multiset<std::string> all;
    for (auto* p : {&a, &b}) {
        for (const auto& m : p->messages) all.insert(m.payload);
    }
    ASSERT_EQ(all.size(), 40u);
    for (int i = 0; i < 40; ++i) EXPECT_EQ(all.count(std::to_string(i)), 1u) << i;
    EXPECT_GT(a.messages.size(), 0u);  // mosquitto deals them out in turn
    EXPECT_GT(b.messages.size(), 0u);
    // no local is refused at the call on a shared subscription
    std::pair<std::string, mqtt::subscribe_options> bad{"$share/g/x", {1, true}};
    EXPECT_THROW(a.c.subscribe(std::span(&bad, 1)), std::invalid_argument);
}

// mosquitto 2.0.11 closes the old connection of a taken-over session without a DISCONNECT
// (seen with mosquitto_sub -d -V 5 and python paho as well): the first client sees a lost
// connection. The DISCONNECT 0x8E other brokers send is tested with a scripted broker below.
TEST(client_mqtt5_features, a_second_client_with_the_same_id_ends_the_first_connection) {
    piogate::test::mosquitto_broker broker;
    asio::io_context io;
    mqtt::client_options o = v5("takeover");
    o.reconnect_min_delay = 5s;  // the first must not come back and take it over in turn
    o.reconnect_max_delay = 5s;
    peer first(io, o), second(io, o);
    connect(io, first, broker.port());
    connect(io, second, broker.port());
    ASSERT_TRUE(run_until(io, [&] { return !first.disconnects.empty(); })) << first.log;
    EXPECT_FALSE(first.disconnects[0].flags.is_disconnect_packet_from_server);
    EXPECT_EQ(first.disconnects[0].flags.cause, mqtt::errc::connection_lost);
    EXPECT_EQ(first.disconnects[0].rc, mqtt::reason_code::unspecified_error);
    first.c.set_auto_reconnect(false);
    EXPECT_TRUE(second.disconnects.empty());
    EXPECT_TRUE(second.c.is_connected());
}

TEST(client_mqtt5_features, session_expiry_keeps_what_was_queued_until_we_return) {
    piogate::test::mosquitto_broker broker;
    asio::io_context io;
    mqtt::client_options o = v5("expiring");
    o.clean_session = false;  // 5.0: Clean Start 0
    o.mqtt5.session_expiry_interval = 60;
    peer pub(io, v5("expiring-pub"));
    connect(io, pub, broker.port());
    {
        peer s(io, o);
        connect(io, s, broker.port());
        EXPECT_FALSE(s.session_present);
        subscribe(io, s, "se/#", {1});
        disconnect(io, s);
    }
    for (int i = 0; i < 5; ++i) pub.c.publish("se/m", std::to_string(i), 1);
    ASSERT_TRUE(run_until(io, [&] { return pub.c.idle(); }));
    peer back(io, o);
    connect(io, back, broker.port());
    EXPECT_TRUE(back.session_present);
    ASSERT_TRUE(run_until(io, [&] { return back.messages.size() == 5; })) << back.messages.size();
    for (int i = 0; i < 5; ++i) EXPECT_EQ(back.messages[i].payload, std::to_string(i));
    disconnect(io, back);

    // Without a session expiry interval (0) the session ends with the connection.
    mqtt::client_options gone = v5("not-kept");
    gone.clean_session = false;
    {
        peer s(io, gone);
        connect(io, s, broker.port());
        subscribe(io, s, "nk/#", {1});
        disconnect(io, s);
    }
    pub.c.publish("nk/m", "lost", 1);
    ASSERT_TRUE(run_until(io, [&] { return pub.c.idle(); }));
    peer again(io, gone);
    connect(io, again, broker.port());
    EXPECT_FALSE(again.session_present);
    run_for(io, 300ms);
    EXPECT_TRUE(again.messages.empty());
}

TEST(client_mqtt5_features, message_expiry_drops_a_retained_message_after_its_interval) {
    piogate::test::mosquitto_broker broker;
    asio::io_context io;
    peer pub(io, v5("me-pub"));
    connect(io, pub, broker.port());
    mqtt::properties short_lived;
    short_lived.message_expiry_interval = 1;
    pub.c.publish("me/short", "s", 1, true, short_lived);
    pub.c.publish("me/long", "l", 1, true);
    ASSERT_TRUE(run_until(io, [&] { return pub.c.idle(); }));
    run_for(io, 2200ms);
    peer s(io, v5("me-sub"));
    connect(io, s, broker.port());
    subscribe(io, s, "me/#", {1});
    run_for(io, 300ms);
    ASSERT_EQ(s.messages.size(), 1u);
    EXPECT_EQ(s.messages[0].topic, "me/long");
}

TEST(client_mqtt5_features, the_brokers_receive_maximum_caps_our_window) {
    piogate::test::mosquitto_broker broker({.extra_config = "max_inflight_messages 2\n"});
    asio::io_context io;
    peer p(io, v5("rm"));
    std::size_t most = 0;
    int acked = 0;
    p.c.on_publish_v5 = [&](int, mqtt::reason_code, const mqtt::properties&) {
        most = std::max(most, p.c.inflight_messages());
        ++acked;
    };
    connect(io, p, broker.port());
    EXPECT_EQ(p.connack_props.receive_maximum, 2);
    for (int i = 0; i < 50; ++i) {
        ASSERT_TRUE(p.c.publish("rm/t", std::to_string(i), 1));
        most = std::max(most, p.c.inflight_messages());
    }
    ASSERT_TRUE(run_until(io, [&] { return acked == 50; }));
    EXPECT_LE(most, 2u);
    EXPECT_GE(most, 1u);
    EXPECT_EQ(p.log.find("Receive Maximum exceeded"), std::string::npos) << p.log;
}

TEST(client_mqtt5_features,
     a_publish_above_the_brokers_maximum_packet_size_is_refused_at_the_call) {
    piogate::test::mosquitto_broker broker({.extra_config = "max_packet_size 1000\n"});
    asio::io_context io;
    peer p(io, v5("mps"));
    connect(io, p, broker.port());
    EXPECT_EQ(p.connack_props.maximum_packet_size, 1000u);
    const auto big = p.c.publish("mps/t", std::string(2000, 'x'), 1);
    EXPECT_EQ(big.rc, mqtt::errc::packet_too_large);
    EXPECT_NE(p.log.find("mps/t"), std::string::npos) << p.log;
    EXPECT_TRUE(p.c.publish("mps/t", std::string(500, 'x'), 1));  // fits: still connected
    ASSERT_TRUE(run_until(io, [&] { return p.c.idle(); }));
    EXPECT_TRUE(p.c.is_connected());
    EXPECT_TRUE(p.disconnects.empty());
}

// The Paho-style face with loop_start(): from the caller's thread, what the CONNACK refuses
// is refused at the call too, with or without properties; what fits goes and is acknowledged.
TEST(client_mqtt5_features, the_loop_start_face_refuses_above_maximum_packet_size_at_the_call) {
    piogate::test::mosquitto_broker broker({.extra_config = "max_packet_size 1000\n"});
    mqtt::client c(v5("mps-paho"));
    std::mutex m;
    std::vector<std::pair<int, mqtt::reason_code>> acks;
    c.on_publish = [&](mqtt::client&, std::any&, int mid, mqtt::reason_code rc,
                       const mqtt::properties&) {
        std::lock_guard lock(m);
        acks.emplace_back(mid, rc);
    };
    c.connect("127.0.0.1", broker.port());
    c.loop_start();
    for (int i = 0; i < 250 && !c.is_connected(); ++i) std::this_thread::sleep_for(20ms);
    ASSERT_TRUE(c.is_connected());
    mqtt::properties props;
    props.content_type = "text/plain";
    const auto big = c.publish("mps/t", std::string(2000, 'x'), 1);
    EXPECT_EQ(big.rc, mqtt::errc::packet_too_large);
    EXPECT_EQ(big.mid, 0);
    const auto big_props = c.publish("mps/t", std::string(2000, 'x'), 1, false, props);
    EXPECT_EQ(big_props.rc, mqtt::errc::packet_too_large);
    const auto fits = c.publish("mps/t", std::string(500, 'x'), 1, false, props);
    ASSERT_TRUE(fits);
    auto acked = [&] {
        std::lock_guard lock(m);
        return acks.size();
    };
    for (int i = 0; i < 250 && acked() == 0; ++i) std::this_thread::sleep_for(20ms);
    c.disconnect();
    c.loop_stop();
    ASSERT_EQ(acks.size(), 1u);
    EXPECT_EQ(acks[0].first, fits.mid);
    EXPECT_LT(static_cast<int>(acks[0].second), 0x80);  // success or no matching subscribers
}

// Publishes with properties handed to the loop thread count against max_queued like plain ones.
TEST(client_mqtt5_features, publishes_with_properties_stay_within_max_queued) {
    mqtt::client_options o = v5("mq-props");
    o.max_queued = 3;
    o.when_full = mqtt::queue_full_policy::reject;
    mqtt::client c(o);
    c.loop_start();  // not connected: everything waits in the hand-over and the session
    mqtt::properties props;
    props.content_type = "text/plain";
    int accepted = 0;
    std::error_code last;
    for (int i = 0; i < 10; ++i) {
        const auto r = c.publish("mq/t", "x", 1, false, props);
        if (r) {
            ++accepted;
        } else {
            last = r.rc;
        }
    }
    c.loop_stop();
    EXPECT_EQ(accepted, 3);
    EXPECT_EQ(last, mqtt::errc::queue_full);
}

TEST(client_mqtt5_features, outbound_topic_aliases_send_fewer_bytes) {
    piogate::test::mosquitto_broker broker;
    asio::io_context io;
    const std::string topic = "alias/" + std::string(100, 't');
    auto measure = [&](std::uint16_t aliases, std::size_t& received) {
        mqtt::client_options o = v5("alias-" + std::to_string(aliases));
        o.mqtt5.outbound_topic_aliases = aliases;
        peer sub(io, v5("alias-sub-" + std::to_string(aliases)));
        connect(io, sub, broker.port());
        subscribe(io, sub, "alias/#", {0});
        peer p(io, o);
        connect(io, p, broker.port());
        const auto before = piogate::test::tcp_bytes_sent(p.c.native_socket());
        for (int i = 0; i < 200; ++i) p.c.publish(topic, "x", 0);
        EXPECT_TRUE(run_until(io, [&] { return p.c.idle(); }));
        const auto after = piogate::test::tcp_bytes_sent(p.c.native_socket());
        EXPECT_TRUE(run_until(io, [&] { return sub.messages.size() == 200; }));
        received = sub.messages.size();
        for (const auto& m : sub.messages) EXPECT_EQ(m.topic, topic);  // the broker resolved it
        return after - before;
    };
    std::size_t got_plain = 0, got_aliased = 0;
    const auto plain = measure(0, got_plain);
    const auto aliased = measure(1, got_aliased);
    EXPECT_EQ(got_plain, 200u);
    EXPECT_EQ(got_aliased, 200u);
    EXPECT_GT(aliased, 200u * 7);  // at least a fixed header, alias and payload each
    // Each repeat saves the topic (106 bytes) for 3 bytes of alias property.
    EXPECT_LT(aliased + 199 * 90, plain) << "plain " << plain << " aliased " << aliased;
}

TEST(client_mqtt5_features, a_refused_connack_is_named_in_words) {
    piogate::test::mosquitto_broker broker({.extra_config = "allow_anonymous false\n"});
    asio::io_context io;
    peer p(io, v5("refused"));
    p.c.set_auto_reconnect(false);
    p.c.connect("127.0.0.1", broker.port());
    ASSERT_TRUE(run_until(io, [&] { return !p.connacks.empty(); })) << p.log;
    EXPECT_EQ(p.connacks[0], mqtt::reason_code::not_authorized);
    EXPECT_NE(p.log.find("Not authorized"), std::string::npos) << p.log;

    mqtt::client paho(v5("refused-paho"));
    try {
        paho.connect("127.0.0.1", broker.port());
        ADD_FAILURE() << "connected";
    } catch (const mqtt::connect_error& e) {
        EXPECT_NE(std::string(e.what()).find("Not authorized"), std::string::npos) << e.what();
    }
}

TEST(client_mqtt5_features, disconnect_with_will_message_makes_the_broker_publish_the_will) {
    piogate::test::mosquitto_broker broker;
    asio::io_context io;
    peer watcher(io, v5("will-watch"));
    connect(io, watcher, broker.port());
    subscribe(io, watcher, "will/#", {1});
    for (const bool with_will : {false, true}) {
        mqtt::client_options o = v5(with_will ? "will-yes" : "will-no");
        o.will = mqtt::will_message{"will/" + o.client_id, "gone", 1, false};
        o.mqtt5.will_properties.content_type = "text/plain";
        peer p(io, o);
        connect(io, p, broker.port());
        mqtt::properties why;
        why.reason_string = "test";
        p.c.disconnect(with_will ? mqtt::reason_code::disconnect_with_will_message
                                 : mqtt::reason_code::normal_disconnection,
                       why);
        ASSERT_TRUE(run_until(io, [&] { return !p.disconnects.empty(); }));
        EXPECT_EQ(p.disconnects[0].rc, mqtt::reason_code::normal_disconnection);
    }
    ASSERT_TRUE(run_until(io, [&] { return !watcher.messages.empty(); }));
    run_for(io, 300ms);
    ASSERT_EQ(watcher.messages.size(), 1u);
    EXPECT_EQ(watcher.messages[0].topic, "will/will-yes");
    EXPECT_EQ(watcher.messages[0].props.content_type, "text/plain");
}
