#include "config/mqtt_brokers.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "config/config.hpp"
#include "config/config_error.hpp"

using namespace piogate::config;

namespace {

mqtt_broker ok(std::string_view text, std::uint16_t default_port = 1883) {
    auto r = parse_broker(text, default_port);
    EXPECT_TRUE(r.broker) << text << ": " << r.error;
    return r.broker.value_or(mqtt_broker{});
}

std::string error_of(std::string_view text) {
    auto r = parse_broker(text, 1883);
    EXPECT_FALSE(r.broker) << text;
    return r.error;
}

}  // namespace

TEST(mqtt_brokers, host_port_and_ipv6_forms) {
    EXPECT_EQ(ok("broker.lan"), (mqtt_broker{"broker.lan", 1883}));
    EXPECT_EQ(ok("broker.lan", 8883), (mqtt_broker{"broker.lan", 8883}));
    EXPECT_EQ(ok("broker.lan:1884"), (mqtt_broker{"broker.lan", 1884}));
    EXPECT_EQ(ok("127.0.0.1:65535"), (mqtt_broker{"127.0.0.1", 65535}));
    EXPECT_EQ(ok("[::1]:1885"), (mqtt_broker{"::1", 1885}));
    EXPECT_EQ(ok("[fd00::2]"), (mqtt_broker{"fd00::2", 1883}));
}

TEST(mqtt_brokers, malformed_entries_say_why) {
    EXPECT_EQ(error_of(""), "empty host");
    EXPECT_EQ(error_of(":1883"), "empty host");
    EXPECT_EQ(error_of("a:"), "empty port");
    EXPECT_EQ(error_of("a:0"), "port \"0\" is not 1..65535");
    EXPECT_EQ(error_of("a:65536"), "port \"65536\" is not 1..65535");
    EXPECT_EQ(error_of("a:12x"), "port \"12x\" is not 1..65535");
    EXPECT_EQ(error_of("::1:1883"), "an IPv6 address with a port is written [ADDRESS]:PORT");
    EXPECT_EQ(error_of("[::1"), "\"[\" without \"]\"");
    EXPECT_EQ(error_of("[::1]1883"), "expected \":PORT\" after \"]\"");
    EXPECT_EQ(error_of("[broker]:1"), "brackets are for IPv6 addresses");
    EXPECT_EQ(error_of("bro ker"), "not a host name or address");
    EXPECT_EQ(error_of("mqtt://broker"), "write host[:port] without a scheme (TLS is set in \"tls\")");
}

TEST(mqtt_brokers, the_section_lists_them_in_order_with_the_first_as_host) {
    auto cfg = parse_config(json::parse(R"({"mqtt": {"port": 1884, "hosts": ["a", {"host": "b", "port": 1}, "[::1]"]}})"));
    ASSERT_EQ(cfg.mqtt.brokers.size(), 3u);
    EXPECT_EQ(cfg.mqtt.brokers[0], (mqtt_broker{"a", 1884}));
    EXPECT_EQ(cfg.mqtt.brokers[1], (mqtt_broker{"b", 1}));
    EXPECT_EQ(cfg.mqtt.brokers[2], (mqtt_broker{"::1", 1884}));
    EXPECT_EQ(cfg.mqtt.host, "a");
    EXPECT_EQ(cfg.mqtt.port, 1884);
    auto single = parse_config(json::parse(R"({"mqtt": {"host": "x", "reconnect_spread_s": 2.5}})"));
    EXPECT_EQ(single.mqtt.brokers, (std::vector<mqtt_broker>{{"x", 1883}}));
    EXPECT_EQ(single.mqtt.reconnect_spread, std::chrono::milliseconds(2500));
}

TEST(mqtt_brokers, duplicates_are_refused_at_the_second) {
    try {
        parse_config(json::parse(R"({"mqtt": {"hosts": ["a:1", "b", "a:1"]}})"));
        FAIL() << "no error";
    } catch (const config_error& e) {
        EXPECT_EQ(e.path(), "/mqtt/hosts/2");
        EXPECT_STREQ(e.what(), "/mqtt/hosts/2: a:1 is listed twice (also at /mqtt/hosts/0)");
    }
}
