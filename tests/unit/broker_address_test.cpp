// Broker addresses as the tools' -h and a broker list spell them.
#include "piogate/mqtt/broker_address.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace mqtt = piogate::mqtt;
using mqtt::broker_address;
using mqtt::parse_broker_address;

TEST(broker_address, host_alone_takes_the_default_port) {
    EXPECT_EQ(parse_broker_address("broker.lan", 8883), (broker_address{"broker.lan", 8883}));
    EXPECT_EQ(parse_broker_address("127.0.0.1", 1883), (broker_address{"127.0.0.1", 1883}));
}

TEST(broker_address, host_and_port) {
    EXPECT_EQ(parse_broker_address("broker.lan:1884", 1883), (broker_address{"broker.lan", 1884}));
    EXPECT_EQ(parse_broker_address("127.0.0.1:65535", 1883), (broker_address{"127.0.0.1", 65535}));
    EXPECT_EQ(parse_broker_address("tcp://a:1", 1883), (broker_address{"a", 1}));
    EXPECT_EQ(parse_broker_address("mqtt://a", 1885), (broker_address{"a", 1885}));
}

TEST(broker_address, ipv6_in_brackets_or_bare) {
    EXPECT_EQ(parse_broker_address("[::1]:1884", 1883), (broker_address{"::1", 1884}));
    EXPECT_EQ(parse_broker_address("[fe80::1%eth0]", 1883), (broker_address{"fe80::1%eth0", 1883}));
    // More than one ':' without brackets: all of it is the address, the port is the default.
    EXPECT_EQ(parse_broker_address("::1", 1883), (broker_address{"::1", 1883}));
    EXPECT_EQ(parse_broker_address("2001:db8::5", 1884), (broker_address{"2001:db8::5", 1884}));
}

TEST(broker_address, bad_spellings_are_refused_naming_the_text) {
    for (const char* text :
         {"", ":1883", "host:", "host:0", "host:65536", "host:12x", "host:-1", "[::1", "[]:1883",
          "[::1]1883", "[::1]:", "ws://host/mqtt", "wss://host", "ssl://host:8883", "a b", "tcp://",
          "ws://", "unix://", "unix:"}) {
        try {
            parse_broker_address(text, 1883);
            ADD_FAILURE() << "accepted '" << text << "'";
        } catch (const std::invalid_argument& e) {
            EXPECT_NE(std::string(e.what()).find("'" + std::string(text) + "'"), std::string::npos)
                << e.what();
        }
    }
}

TEST(broker_address, to_string_brackets_ipv6) {
    EXPECT_EQ(to_string(broker_address{"broker.lan", 1883}), "broker.lan:1883");
    EXPECT_EQ(to_string(broker_address{"::1", 1884}), "[::1]:1884");
    // What to_string writes, parse reads back.
    for (const broker_address& b :
         {broker_address{"h", 1}, broker_address{"::1", 1884}, broker_address{"10.0.0.1", 65535}}) {
        EXPECT_EQ(parse_broker_address(to_string(b), 1883), b);
    }
}

TEST(broker_address, websocket_and_unix_socket_forms) {
    const auto ws = mqtt::transport_kind::websockets;
    const auto unix_socket = mqtt::transport_kind::unix_socket;
    EXPECT_EQ(parse_broker_address("ws://broker.lan:8080", 1883),
              (broker_address{"broker.lan", 8080, ws}));
    EXPECT_EQ(parse_broker_address("ws://[::1]", 80), (broker_address{"::1", 80, ws}));
    EXPECT_EQ(parse_broker_address("unix:///run/mosquitto.sock", 1883),
              (broker_address{"/run/mosquitto.sock", 1883, unix_socket}));
    EXPECT_EQ(parse_broker_address("unix:relative.sock", 1883),
              (broker_address{"relative.sock", 1883, unix_socket}));
    EXPECT_EQ(to_string(broker_address{"h", 80, ws}), "ws://h:80");
    EXPECT_EQ(to_string(broker_address{"/run/m.sock", 1883, unix_socket}), "unix:///run/m.sock");
    for (const broker_address& b : {broker_address{"h", 9001, ws}, broker_address{"::1", 80, ws},
                                    broker_address{"/tmp/s", 1883, unix_socket}}) {
        EXPECT_EQ(parse_broker_address(to_string(b), 1883), b);
    }
}

TEST(broker_address, the_address_transport_overrides_the_client_default) {
    using mqtt::transport_kind;
    const broker_address plain{"h", 1883};
    EXPECT_EQ(effective_transport(plain, transport_kind::tcp), transport_kind::tcp);
    EXPECT_EQ(effective_transport(plain, transport_kind::websockets), transport_kind::websockets);
    const broker_address sock{"/s", 0, transport_kind::unix_socket};
    EXPECT_EQ(effective_transport(sock, transport_kind::websockets), transport_kind::unix_socket);
    EXPECT_NO_THROW(check_broker_address(sock, transport_kind::tcp));  // port unused
    EXPECT_NO_THROW(check_broker_address(broker_address{"/s", 0}, transport_kind::unix_socket));
    EXPECT_THROW(check_broker_address(broker_address{"h", 0}, transport_kind::tcp),
                 std::invalid_argument);
    EXPECT_THROW(check_broker_address(broker_address{"", 1}, transport_kind::tcp),
                 std::invalid_argument);
}
