// MQTT 5.0 through both client faces against a real mosquitto 2.0.11, cross-checked with
// mosquitto_pub / mosquitto_sub -V 5 as independent peers: PUBLISH properties both ways.
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "piogate/mqtt/async_client.hpp"
#include "piogate/mqtt/client.hpp"
#include "support/mosquitto_broker.hpp"
#include "support/shell_command.hpp"

namespace mqtt = piogate::mqtt;
using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;
using piogate::test::shell_command;
using piogate::test::tool_path;

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

mqtt::client_options v5(const std::string& id) {
    mqtt::client_options o;
    o.client_id = id;
    o.protocol = mqtt::protocol_version::v5;
    o.reconnect_min_delay = 50ms;
    o.reconnect_max_delay = 200ms;
    return o;
}

// What a message carried, copied out of the callback.
struct received {
    std::string topic;
    std::string payload;
    std::optional<mqtt::properties> props;  // nullopt: message::props was null
};

received copy(const mqtt::message& m) {
    return {std::string(m.topic), std::string(m.payload),
            m.props ? std::optional<mqtt::properties>(*m.props) : std::nullopt};
}

mqtt::properties sample_properties() {
    mqtt::properties p;
    p.content_type = "text/plain";
    p.message_expiry_interval = 60;
    p.payload_format_indicator = 1;
    p.response_topic = "p5/reply";
    p.correlation_data = "req-7";
    p.user_properties = {{"a", "1"}, {"a", "2"}, {"b", "x"}};
    return p;
}

// The broker logs "Sending SUBACK to <id>" once a subscriber (mosquitto_sub) is in place.
void wait_subscribed(piogate::test::mosquitto_broker& broker, const std::string& id) {
    for (int i = 0; i < 500 && broker.log().find("Sending SUBACK to " + id) == std::string::npos;
         ++i) {
        std::this_thread::sleep_for(10ms);
    }
    ASSERT_NE(broker.log().find("Sending SUBACK to " + id), std::string::npos) << broker.log();
}

void expect_sample(const mqtt::properties& got) {
    EXPECT_EQ(got.content_type, "text/plain");
    EXPECT_EQ(got.payload_format_indicator, 1);
    EXPECT_EQ(got.response_topic, "p5/reply");
    EXPECT_EQ(got.correlation_data, "req-7");
    EXPECT_EQ(got.user_properties, (std::vector<std::pair<std::string, std::string>>{
                                       {"a", "1"}, {"a", "2"}, {"b", "x"}}));
    // The broker forwards what is left of the expiry interval.
    ASSERT_TRUE(got.message_expiry_interval.has_value());
    EXPECT_LE(*got.message_expiry_interval, 60u);
    EXPECT_GE(*got.message_expiry_interval, 50u);
}

}  // namespace

// async_client: properties out (seen by our subscriber and by mosquitto_sub -V 5) and in
// (from mosquitto_pub -V 5 -D), message::props null for a 3.1.1 subscriber.
TEST(client_mqtt5, publish_properties_round_trip_async_face) {
    piogate::test::mosquitto_broker broker;
    boost::asio::io_context io;
    mqtt::async_client sub(io, v5("p5-sub"));
    mqtt::async_client pub(io, v5("p5-pub"));
    mqtt::client_options o311 = v5("p5-sub311");
    o311.protocol = mqtt::protocol_version::v311;
    mqtt::async_client sub311(io, o311);
    int connacks = 0, subacks = 0;
    std::vector<received> got, got311;
    for (auto* c : {&sub, &pub, &sub311})
        c->on_connect = [&](int rc, bool) { connacks += rc == 0; };
    sub.on_subscribe = sub311.on_subscribe = [&](int, std::span<const int>) { ++subacks; };
    sub.on_message = [&](const mqtt::message& m) { got.push_back(copy(m)); };
    sub311.on_message = [&](const mqtt::message& m) { got311.push_back(copy(m)); };
    for (auto* c : {&sub, &pub, &sub311}) c->connect("127.0.0.1", broker.port());
    ASSERT_TRUE(run_until(io, [&] { return connacks == 3; })) << broker.log();
    sub.subscribe("p5/#", 1);
    sub311.subscribe("p5/#", 1);
    ASSERT_TRUE(run_until(io, [&] { return subacks == 2; }));

    shell_command peer(tool_path("mosquitto_sub") + " -i p5-peer -V 5 -p " +
                       std::to_string(broker.port()) +
                       " -q 1 -C 1 -W 10 -F '%C|%D|%E|%F|%P|%R|%p' -t p5/out");
    wait_subscribed(broker, "p5-peer");

    const auto r = pub.publish("p5/out", "h\xc3\xa9llo", 1, false, sample_properties());
    ASSERT_TRUE(r) << r.rc.message();
    ASSERT_TRUE(run_until(io, [&] { return got.size() == 1 && got311.size() == 1; }));
    EXPECT_EQ(got[0].topic, "p5/out");
    EXPECT_EQ(got[0].payload, "h\xc3\xa9llo");
    ASSERT_TRUE(got[0].props.has_value());
    expect_sample(*got[0].props);
    EXPECT_FALSE(got311[0].props.has_value());  // 3.1.1: no properties, props null
    EXPECT_EQ(got311[0].payload, "h\xc3\xa9llo");

    std::string line;
    ASSERT_TRUE(peer.line(line));
    EXPECT_EQ(line.substr(0, 16), "text/plain|req-7");
    EXPECT_NE(line.find("|1|a:1 a:2 b:x|p5/reply|h\xc3\xa9llo"), std::string::npos) << line;

    // In: an independent publisher's properties reach message::props.
    const std::string cmd =
        tool_path("mosquitto_pub") + " -V 5 -p " + std::to_string(broker.port()) +
        " -q 1 -t p5/in -m x -D publish content-type application/json"
        " -D publish user-property k v -D publish correlation-data c1"
        " -D publish response-topic p5/back -D publish message-expiry-interval 30";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
    ASSERT_TRUE(run_until(io, [&] { return got.size() == 2; }));
    ASSERT_TRUE(got[1].props.has_value());
    EXPECT_EQ(got[1].props->content_type, "application/json");
    EXPECT_EQ(got[1].props->correlation_data, "c1");
    EXPECT_EQ(got[1].props->response_topic, "p5/back");
    EXPECT_LE(got[1].props->message_expiry_interval.value_or(0), 30u);
    EXPECT_GE(got[1].props->message_expiry_interval.value_or(0), 25u);
    EXPECT_EQ(got[1].props->user_properties,
              (std::vector<std::pair<std::string, std::string>>{{"k", "v"}}));
}

// client (Paho face), with its loop thread: publish with properties, message::props in
// on_message and in a per-filter callback.
TEST(client_mqtt5, publish_properties_round_trip_paho_face) {
    piogate::test::mosquitto_broker broker;
    mqtt::client c(v5("p5-paho"));
    std::mutex m;
    std::vector<received> got;
    c.message_callback_add("p5/filtered", [&](mqtt::client&, std::any&, const mqtt::message& msg) {
        std::lock_guard lock(m);
        got.push_back(copy(msg));
    });
    c.on_message = [&](mqtt::client&, std::any&, const mqtt::message& msg) {
        std::lock_guard lock(m);
        got.push_back(copy(msg));
    };
    std::atomic<int> subacks{0};
    c.on_subscribe = [&](mqtt::client&, std::any&, int, std::span<const mqtt::reason_code>,
                         const mqtt::properties&) { ++subacks; };
    c.connect("127.0.0.1", broker.port());
    c.loop_start();
    c.subscribe("p5/#", 2);
    for (int i = 0; i < 250 && subacks == 0; ++i) std::this_thread::sleep_for(20ms);
    ASSERT_EQ(subacks, 1);
    ASSERT_TRUE(c.publish("p5/plain", "a", 2, false, sample_properties()));
    ASSERT_TRUE(c.publish("p5/filtered", "b", 0, false, sample_properties()));
    ASSERT_TRUE(c.publish("p5/none", "c", 1, false));
    auto count = [&] {
        std::lock_guard lock(m);
        return got.size();
    };
    for (int i = 0; i < 250 && count() < 3; ++i) std::this_thread::sleep_for(20ms);
    c.disconnect();
    c.loop_stop();
    ASSERT_EQ(got.size(), 3u);
    std::map<std::string, received> by_topic;  // QoS 0, 1 and 2 may arrive in any order
    for (auto& r : got) by_topic[r.topic] = r;
    for (const char* t : {"p5/plain", "p5/filtered"}) {
        ASSERT_TRUE(by_topic[t].props.has_value()) << t;
        expect_sample(*by_topic[t].props);
    }
    EXPECT_EQ(by_topic["p5/filtered"].payload, "b");
    ASSERT_TRUE(by_topic["p5/none"].props.has_value());  // 5.0: present when the PUBLISH had none
    EXPECT_TRUE(by_topic["p5/none"].props->empty());
}

// What a publish may not carry is refused at the call, on both faces, naming the property.
TEST(client_mqtt5, bad_publish_properties_are_refused_at_the_call) {
    boost::asio::io_context io;
    mqtt::async_client a5(io, v5("p5-bad"));
    mqtt::client p5(v5("p5-bad-paho"));
    mqtt::client_options o311 = v5("p5-bad311");
    o311.protocol = mqtt::protocol_version::v311;
    mqtt::async_client a311(io, o311);
    mqtt::client p311(o311);

    mqtt::properties alias;
    alias.topic_alias = 3;
    mqtt::properties sub_id;
    sub_id.subscription_identifiers = {7};
    mqtt::properties utf8;
    utf8.payload_format_indicator = 1;
    mqtt::properties session;
    session.session_expiry_interval = 5;
    auto what = [](auto&& f) {
        try {
            f();
        } catch (const std::invalid_argument& e) {
            return std::string(e.what());
        }
        return std::string("no exception");
    };
    for (const auto& [p, text] :
         {std::pair{alias, "Topic Alias"}, std::pair{sub_id, "Subscription Identifier"},
          std::pair{session, "may be only"}}) {
        EXPECT_NE(what([&] { a5.publish("t", "x", 0, false, p); }).find(text), std::string::npos)
            << text;
        EXPECT_NE(what([&] { p5.publish("t", "x", 0, false, p); }).find(text), std::string::npos)
            << text;
    }
    EXPECT_NE(what([&] { a5.publish("t", "\xff", 0, false, utf8); }).find("not UTF-8"),
              std::string::npos);
    EXPECT_NE(what([&] { p5.publish("t", "\xff", 0, false, utf8); }).find("not UTF-8"),
              std::string::npos);
    EXPECT_NO_THROW(a5.publish("t", "ok", 0, false, utf8));
    EXPECT_NE(what([&] { a311.publish("t", "x", 0, false, sample_properties()); }).find("MQTT 5.0"),
              std::string::npos);
    EXPECT_NE(what([&] { p311.publish("t", "x", 0, false, sample_properties()); }).find("MQTT 5.0"),
              std::string::npos);
    EXPECT_NO_THROW(a311.publish("t", "x", 0, false, mqtt::properties{}));  // empty: fine

    mqtt::client_options bad = v5("p5-bad-opts");
    bad.mqtt5.receive_maximum = 0;
    EXPECT_THROW(mqtt::async_client(io, bad), std::invalid_argument);
    bad = v5("p5-bad-will");
    bad.mqtt5.will_properties.content_type = "x";
    EXPECT_THROW(mqtt::async_client(io, bad), std::invalid_argument);  // no will
}

// The Paho face's callbacks carry the broker's codes: PUBACK No matching subscribers (0x10),
// SUBACK granted QoS, UNSUBACK No subscription existed (0x11), the CONNACK's properties; a
// subscription identifier given with subscribe options comes back with the message.
TEST(client_mqtt5, paho_face_callbacks_carry_the_brokers_reason_codes) {
    piogate::test::mosquitto_broker broker;
    mqtt::client c(v5("p5-codes"));
    std::mutex m;
    std::vector<mqtt::reason_code> published, subscribed, unsubscribed;
    std::optional<mqtt::properties> connack;
    std::vector<std::uint32_t> ids;
    c.on_connect = [&](mqtt::client&, std::any&, const mqtt::connect_flags&, mqtt::reason_code,
                       const mqtt::properties& p) {
        std::lock_guard lock(m);
        connack = p;
    };
    c.on_publish = [&](mqtt::client&, std::any&, int, mqtt::reason_code rc,
                       const mqtt::properties&) {
        std::lock_guard lock(m);
        published.push_back(rc);
    };
    c.on_subscribe = [&](mqtt::client&, std::any&, int, std::span<const mqtt::reason_code> rcs,
                         const mqtt::properties&) {
        std::lock_guard lock(m);
        subscribed.insert(subscribed.end(), rcs.begin(), rcs.end());
    };
    c.on_unsubscribe = [&](mqtt::client&, std::any&, int, std::span<const mqtt::reason_code> rcs,
                           const mqtt::properties&) {
        std::lock_guard lock(m);
        unsubscribed.insert(unsubscribed.end(), rcs.begin(), rcs.end());
    };
    c.on_message = [&](mqtt::client&, std::any&, const mqtt::message& msg) {
        std::lock_guard lock(m);
        if (msg.props) ids = msg.props->subscription_identifiers;
    };
    c.connect("127.0.0.1", broker.port());
    c.loop_start();
    auto wait = [&](auto done) {
        for (int i = 0; i < 250; ++i) {
            {
                std::lock_guard lock(m);
                if (done()) return true;
            }
            std::this_thread::sleep_for(20ms);
        }
        return false;
    };
    c.publish("nobody/listens", "x", 1);
    ASSERT_TRUE(wait([&] { return published.size() == 1; }));
    EXPECT_EQ(published[0], mqtt::reason_code::no_matching_subscribers);
    mqtt::properties sid;
    sid.subscription_identifiers = {42};
    const std::vector<std::pair<std::string, mqtt::subscribe_options>> filters = {
        {"codes/a", {2}}, {"codes/b", {1, true}}};
    c.subscribe(filters, sid);
    ASSERT_TRUE(wait([&] { return subscribed.size() == 2; }));
    EXPECT_EQ(subscribed, (std::vector<mqtt::reason_code>{mqtt::reason_code::granted_qos_2,
                                                          mqtt::reason_code::granted_qos_1}));
    c.publish("codes/a", "y", 1);
    ASSERT_TRUE(wait([&] { return !ids.empty(); }));
    EXPECT_EQ(ids, (std::vector<std::uint32_t>{42}));
    c.unsubscribe("never/subscribed");
    ASSERT_TRUE(wait([&] { return unsubscribed.size() == 1; }));
    EXPECT_EQ(unsubscribed[0], mqtt::reason_code::no_subscription_existed);
    c.disconnect();
    c.loop_stop();
    ASSERT_TRUE(connack.has_value());
    EXPECT_TRUE(connack->topic_alias_maximum.has_value());  // mosquitto tells its maximum (10)
}

// The async face's 5.0 callback forms also serve a 3.1.1 client, with mapped codes: an
// UNSUBACK of three filters gives three successes, a SUBACK the granted QoS; the 3.1.1 forms
// are not called once the 5.0 ones are set.
TEST(client_mqtt5, the_v5_callback_forms_work_for_a_311_client) {
    piogate::test::mosquitto_broker broker;
    boost::asio::io_context io;
    mqtt::client_options o = v5("v311-forms");
    o.protocol = mqtt::protocol_version::v311;
    mqtt::async_client c(io, o);
    int old_forms = 0;
    std::optional<mqtt::reason_code> connected;
    std::vector<mqtt::reason_code> subscribed, unsubscribed;
    c.on_connect = [&](int, bool) { ++old_forms; };
    c.on_subscribe = [&](int, std::span<const int>) { ++old_forms; };
    c.on_unsubscribe = [&](int) { ++old_forms; };
    c.on_connect_v5 = [&](const mqtt::connect_flags&, mqtt::reason_code rc,
                          const mqtt::properties& p) {
        EXPECT_TRUE(p.empty());
        connected = rc;
    };
    c.on_subscribe_v5 = [&](int, std::span<const mqtt::reason_code> rcs, const mqtt::properties&) {
        subscribed.assign(rcs.begin(), rcs.end());
    };
    c.on_unsubscribe_v5 = [&](int, std::span<const mqtt::reason_code> rcs,
                              const mqtt::properties&) {
        unsubscribed.assign(rcs.begin(), rcs.end());
    };
    c.connect("127.0.0.1", broker.port());
    ASSERT_TRUE(run_until(io, [&] { return connected.has_value(); }));
    EXPECT_EQ(*connected, mqtt::reason_code::success);
    const std::vector<std::pair<std::string, int>> filters = {{"f/a", 0}, {"f/b", 1}, {"f/c", 2}};
    c.subscribe(filters);
    ASSERT_TRUE(run_until(io, [&] { return subscribed.size() == 3; }));
    EXPECT_EQ(subscribed, (std::vector<mqtt::reason_code>{mqtt::reason_code::granted_qos_0,
                                                          mqtt::reason_code::granted_qos_1,
                                                          mqtt::reason_code::granted_qos_2}));
    const std::vector<std::string> names = {"f/a", "f/b", "f/c"};
    c.unsubscribe(names);
    ASSERT_TRUE(run_until(io, [&] { return !unsubscribed.empty(); }));
    EXPECT_EQ(unsubscribed, std::vector<mqtt::reason_code>(3, mqtt::reason_code::success));
    EXPECT_TRUE(c.idle());
    EXPECT_EQ(old_forms, 0);
    // 5.0 options on a 3.1.1 client are refused at the call.
    const std::pair<std::string, mqtt::subscribe_options> nl{"f/x", {1, true}};
    EXPECT_THROW(c.subscribe(std::span(&nl, 1)), std::invalid_argument);
}
