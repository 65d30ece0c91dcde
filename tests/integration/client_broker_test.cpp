// The client against a real mosquitto: QoS 0/1/2 round trips, callbacks, refusals.
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

namespace {

struct received {
    std::string topic;
    std::string payload;
    int qos;
    bool retain;
};

// Runs `io` until `done()` or the deadline; false on timeout.
template <class Pred>
bool run_until(boost::asio::io_context& io, Pred done, std::chrono::milliseconds limit = 5s) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    io.restart();
    while (!done()) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        io.run_one_for(20ms);
    }
    return true;
}

}  // namespace

TEST(client_broker, async_client_round_trip_at_every_qos) {
    piogate::test::mosquitto_broker broker;
    boost::asio::io_context io;
    mqtt::client_options opts;
    opts.client_id = "rt-async";
    mqtt::async_client c(io, opts);
    bool connected = false;
    std::vector<received> got;
    std::vector<int> published;
    std::vector<int> granted;
    c.on_connect = [&](int rc, bool) { connected = rc == 0; };
    c.on_message = [&](const mqtt::message& m) {
        got.push_back({std::string(m.topic), std::string(m.payload), m.qos, m.retain});
    };
    c.on_publish = [&](int mid) { published.push_back(mid); };
    c.on_subscribe = [&](int, std::span<const int> g) { granted.assign(g.begin(), g.end()); };
    c.connect("127.0.0.1", broker.port());
    ASSERT_TRUE(run_until(io, [&] { return connected; }));
    c.subscribe("rt/#", 2);
    ASSERT_TRUE(run_until(io, [&] { return !granted.empty(); }));
    EXPECT_EQ(granted, std::vector<int>{2});
    std::vector<int> mids;
    for (int q = 0; q <= 2; ++q) {
        mids.push_back(c.publish("rt/q" + std::to_string(q), "payload " + std::to_string(q), q).mid);
    }
    ASSERT_TRUE(run_until(io, [&] { return got.size() == 3 && published.size() == 3; }));
    for (int q = 0; q <= 2; ++q) {
        EXPECT_EQ(got[q].topic, "rt/q" + std::to_string(q));
        EXPECT_EQ(got[q].payload, "payload " + std::to_string(q));
        EXPECT_EQ(got[q].qos, q);
    }
    std::sort(published.begin(), published.end());
    EXPECT_EQ(published, mids);
    bool gone = false;
    c.on_disconnect = [&](std::error_code ec) { gone = ec == mqtt::errc::disconnected_by_user; };
    c.disconnect();
    ASSERT_TRUE(run_until(io, [&] { return gone; }));
}

TEST(client_broker, paho_style_blocking_connect_and_loop) {
    piogate::test::mosquitto_broker broker;
    mqtt::client c("paho-style");
    std::vector<std::string> got;
    c.on_message = [&](mqtt::client&, std::any&, const mqtt::message& m) {
        got.emplace_back(m.payload);
    };
    c.connect("localhost", broker.port(), 30);
    EXPECT_TRUE(c.is_connected());
    c.subscribe("ps/t", 1);
    c.publish("ps/t", "hello", 1);
    for (int i = 0; i < 100 && got.empty(); ++i) c.loop(50ms);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0], "hello");
    c.disconnect();
    c.loop_forever();  // returns once the DISCONNECT is out
    EXPECT_FALSE(c.is_connected());
}

TEST(client_broker, loop_start_publishes_from_another_thread) {
    piogate::test::mosquitto_broker broker;
    mqtt::client sub("ls-sub");
    std::atomic<int> count{0};
    sub.on_message = [&](mqtt::client&, std::any&, const mqtt::message&) { ++count; };
    sub.connect("127.0.0.1", broker.port());
    sub.subscribe("ls/#", 1);
    sub.loop_start();
    mqtt::client pub("ls-pub");
    pub.loop_start();
    pub.connect("127.0.0.1", broker.port());
    for (int i = 0; i < 200; ++i) pub.publish("ls/x", std::to_string(i), 1);
    EXPECT_TRUE(pub.wait_idle(5s));
    for (int i = 0; i < 250 && count < 200; ++i) std::this_thread::sleep_for(20ms);
    EXPECT_EQ(count.load(), 200);
    pub.loop_stop();
    sub.loop_stop();
}

TEST(client_broker, connect_errors_are_spelled_out) {
    piogate::test::mosquitto_broker broker;
    const auto closed_port = piogate::test::free_loopback_port();
    {
        mqtt::client c;
        try {
            c.connect("127.0.0.1", closed_port);
            FAIL() << "connect to a closed port succeeded";
        } catch (const mqtt::connect_error& e) {
            EXPECT_EQ(e.code(), mqtt::errc::connection_lost);
            EXPECT_NE(std::string(e.what()).find("refused"), std::string::npos) << e.what();
        }
    }
    {
        mqtt::client c;
        try {
            c.connect("no-such-host.invalid", broker.port());
            FAIL() << "connect to an unknown host succeeded";
        } catch (const mqtt::connect_error& e) {
            EXPECT_EQ(e.code(), mqtt::errc::dns_failure);
            EXPECT_NE(std::string(e.what()).find("no-such-host.invalid"), std::string::npos);
        }
    }
    EXPECT_THROW(mqtt::client("", false), std::invalid_argument);
}

TEST(client_broker, connack_refusal_names_the_code) {
    piogate::test::broker_options bo;
    bo.extra_config = "allow_anonymous false\npassword_file /dev/null\n";
    piogate::test::mosquitto_broker broker(bo);
    mqtt::client c("refused");
    c.username_pw_set("nobody", "wrong");
    mqtt::reason_code rc = mqtt::reason_code::success;
    c.on_connect = [&](mqtt::client&, std::any&, const mqtt::connect_flags&, mqtt::reason_code code,
                       const mqtt::properties& props) {
        rc = code;
        EXPECT_TRUE(props.empty());
    };
    try {
        c.connect("127.0.0.1", broker.port());
        FAIL() << "connect succeeded";
    } catch (const mqtt::connect_error& e) {
        EXPECT_EQ(e.code(), mqtt::errc::connection_refused);
        // 3.1.1 CONNACK 4 / 5 read as their 5.0 codes.
        EXPECT_TRUE(rc == mqtt::reason_code::bad_user_name_or_password ||
                    rc == mqtt::reason_code::not_authorized)
            << mqtt::to_string(rc);
        EXPECT_NE(std::string(e.what()).find("connection refused"), std::string::npos) << e.what();
    }
}
