// Sessions, reconnects, offline queueing and keepalive against a real mosquitto that the
// tests stop, restart and freeze.
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include <boost/asio/io_context.hpp>
#include <string>
#include <vector>

#include "piogate/mqtt/async_client.hpp"
#include "piogate/mqtt/client.hpp"
#include "support/mosquitto_broker.hpp"

namespace mqtt = piogate::mqtt;
using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

namespace {

template <class Pred>
bool run_until(boost::asio::io_context& io, Pred done, std::chrono::milliseconds limit = 5s) {
    const auto deadline = steady::now() + limit;
    io.restart();
    while (!done()) {
        if (steady::now() >= deadline) return false;
        io.run_one_for(20ms);
    }
    return true;
}

mqtt::client_options named(const std::string& id, bool clean = true) {
    mqtt::client_options o;
    o.client_id = id;
    o.clean_session = clean;
    o.reconnect_min_delay = 50ms;
    o.reconnect_max_delay = 200ms;
    return o;
}

}  // namespace

TEST(client_session, persistent_session_receives_what_was_sent_while_away) {
    piogate::test::mosquitto_broker broker;
    boost::asio::io_context io;
    std::vector<std::string> got;
    bool present = false;
    int connacks = 0;
    {
        mqtt::async_client sub(io, named("persist-sub", false));
        sub.on_connect = [&](int, bool) { ++connacks; };
        sub.connect("127.0.0.1", broker.port());
        ASSERT_TRUE(run_until(io, [&] { return connacks == 1; }));
        int granted = -1;
        sub.on_subscribe = [&](int, std::span<const int> g) { granted = g[0]; };
        sub.subscribe("away/#", 1);
        ASSERT_TRUE(run_until(io, [&] { return granted == 1; }));
        bool gone = false;
        sub.on_disconnect = [&](std::error_code) { gone = true; };
        sub.disconnect();
        ASSERT_TRUE(run_until(io, [&] { return gone; }));
    }
    {
        mqtt::client pub("persist-pub");
        pub.connect("127.0.0.1", broker.port());
        for (int i = 0; i < 10; ++i) pub.publish("away/m", std::to_string(i), 1);
        pub.disconnect();
        pub.loop_forever();
    }
    mqtt::async_client sub(io, named("persist-sub", false));
    sub.on_connect = [&](int rc, bool session_present) { present = rc == 0 && session_present; };
    sub.on_message = [&](const mqtt::message& m) { got.emplace_back(m.payload); };
    sub.connect("127.0.0.1", broker.port());
    ASSERT_TRUE(run_until(io, [&] { return got.size() == 10; })) << got.size();
    EXPECT_TRUE(present);
    for (int i = 0; i < 10; ++i) EXPECT_EQ(got[i], std::to_string(i));
}

TEST(client_session, publishes_made_while_disconnected_go_out_in_order_after_reconnect) {
    piogate::test::mosquitto_broker broker;
    boost::asio::io_context io;
    mqtt::async_client pub(io, named("offline-pub"));
    pub.set_auto_reconnect(false);
    int ups = 0;
    bool down = false;
    pub.on_connect = [&](int rc, bool) { ups += rc == 0; };
    pub.on_disconnect = [&](std::error_code) { down = true; };
    pub.connect("127.0.0.1", broker.port());
    ASSERT_TRUE(run_until(io, [&] { return ups == 1; }));
    broker.stop();
    ASSERT_TRUE(run_until(io, [&] { return down; }));
    for (int i = 0; i < 50; ++i) ASSERT_TRUE(pub.publish("offline/m", std::to_string(i), i % 3));
    EXPECT_EQ(pub.queued_messages(), 50u);
    broker.start();

    mqtt::client sub("offline-sub");
    std::vector<std::string> got;
    sub.on_message = [&](mqtt::client&, std::any&, const mqtt::message& m) { got.emplace_back(m.payload); };
    sub.connect("127.0.0.1", broker.port());
    sub.subscribe("offline/m", 2);
    for (int i = 0; i < 20; ++i) sub.loop(10ms);
    pub.reconnect();
    ASSERT_TRUE(run_until(io, [&] { return ups == 2 && pub.idle(); }));
    for (int i = 0; i < 200 && got.size() < 50; ++i) sub.loop(10ms);
    ASSERT_EQ(got.size(), 50u);
    // Order is kept within each QoS level (MQTT 3.1.1 section 4.6).
    for (int q = 0; q < 3; ++q) {
        int last = -1;
        for (const auto& p : got) {
            int v = std::stoi(p);
            if (v % 3 != q) continue;
            EXPECT_GT(v, last);
            last = v;
        }
    }
}

TEST(client_session, subscriptions_are_made_again_after_the_broker_restarts) {
    piogate::test::mosquitto_broker broker;
    boost::asio::io_context io;
    mqtt::async_client sub(io, named("resub"));
    int ups = 0;
    std::vector<std::string> got;
    sub.on_connect = [&](int rc, bool) { ups += rc == 0; };
    sub.on_message = [&](const mqtt::message& m) { got.emplace_back(m.payload); };
    sub.connect("127.0.0.1", broker.port());
    sub.subscribe("resub/t", 1);
    ASSERT_TRUE(run_until(io, [&] { return ups == 1; }));
    broker.kill();
    broker.start();
    ASSERT_TRUE(run_until(io, [&] { return ups == 2; }));
    run_until(io, [] { return false; }, 200ms);  // let the SUBSCRIBE reach the broker
    mqtt::client pub("resub-pub");
    pub.connect("127.0.0.1", broker.port());
    pub.publish("resub/t", "after restart", 1);
    pub.disconnect();
    pub.loop_forever();
    ASSERT_TRUE(run_until(io, [&] { return !got.empty(); }));
    EXPECT_EQ(got[0], "after restart");
}

TEST(client_session, a_frozen_broker_is_detected_by_keepalive) {
    piogate::test::mosquitto_broker broker;
    boost::asio::io_context io;
    mqtt::async_client c(io, named("ka"));
    int ups = 0;
    std::error_code why;
    c.on_connect = [&](int rc, bool) { ups += rc == 0; };
    c.on_disconnect = [&](std::error_code ec) { why = ec; };
    c.connect("127.0.0.1", broker.port(), 1);
    ASSERT_TRUE(run_until(io, [&] { return ups == 1; }));
    broker.pause();
    const auto frozen = steady::now();
    ASSERT_TRUE(run_until(io, [&] { return bool(why); }, 5s));
    EXPECT_EQ(why, mqtt::errc::keepalive_timeout);
    EXPECT_LT(steady::now() - frozen, 3s);  // one period to PINGREQ, one for PINGRESP
    broker.resume();
    ASSERT_TRUE(run_until(io, [&] { return ups == 2; }, 10s));
}

// reconnect() on a live connection once left the keepalive timer armed for the old one: the
// new connection then never sent PINGREQ, so a frozen broker went unnoticed.
TEST(client_session, keepalive_works_on_the_connection_made_by_reconnect) {
    piogate::test::mosquitto_broker broker;
    boost::asio::io_context io;
    mqtt::async_client c(io, named("ka-again"));
    int ups = 0;
    std::error_code why;
    c.on_connect = [&](int rc, bool) { ups += rc == 0; };
    c.on_disconnect = [&](std::error_code ec) { why = ec; };
    c.connect("127.0.0.1", broker.port(), 1);
    ASSERT_TRUE(run_until(io, [&] { return ups == 1; }));
    c.reconnect();
    ASSERT_TRUE(run_until(io, [&] { return ups == 2; }));
    EXPECT_FALSE(why);  // reconnect() reports no on_disconnect
    broker.pause();
    const auto frozen = steady::now();
    ASSERT_TRUE(run_until(io, [&] { return bool(why); }, 5s));
    EXPECT_EQ(why, mqtt::errc::keepalive_timeout);
    EXPECT_LT(steady::now() - frozen, 3s);
    broker.resume();
}

TEST(client_session, reconnect_backs_off_between_min_and_max) {
    piogate::test::mosquitto_broker broker;
    boost::asio::io_context io;
    auto opts = named("backoff");
    opts.reconnect_min_delay = 100ms;
    opts.reconnect_max_delay = 400ms;
    mqtt::async_client c(io, opts);
    int ups = 0;
    std::vector<steady::time_point> failures;
    c.on_connect = [&](int rc, bool) { ups += rc == 0; };
    c.on_connect_fail = [&](std::error_code, std::string_view) { failures.push_back(steady::now()); };
    c.connect("127.0.0.1", broker.port());
    ASSERT_TRUE(run_until(io, [&] { return ups == 1; }));
    broker.stop();
    run_until(io, [] { return false; }, 3s);
    ASSERT_GE(failures.size(), 4u);
    EXPECT_LE(failures.size(), 20u);  // no storm: at least 100 ms apart, mostly 200..400
    for (std::size_t i = 1; i < failures.size(); ++i) {
        auto gap = failures[i] - failures[i - 1];
        EXPECT_GE(gap, 95ms);
        EXPECT_LE(gap, 600ms);
    }
    broker.start();
    ASSERT_TRUE(run_until(io, [&] { return ups == 2; }, 3s));
}

TEST(client_session, bind_address) {
    piogate::test::mosquitto_broker broker;
    {
        mqtt::client c("bind-ok");
        c.connect("127.0.0.1", broker.port(), 60, "127.0.0.1");
        EXPECT_TRUE(c.is_connected());
    }
    mqtt::client c("bind-bad");
    try {
        c.connect("127.0.0.1", broker.port(), 60, "192.0.2.1");
        FAIL() << "bound to an address this host does not have";
    } catch (const mqtt::connect_error& e) {
        EXPECT_NE(std::string(e.what()).find("192.0.2.1"), std::string::npos) << e.what();
    }
}
