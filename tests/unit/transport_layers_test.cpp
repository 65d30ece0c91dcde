// The pure helpers of the transport layers: ALPN's wire form, the WebSocket subprotocol per
// MQTT version, the Host header and the URL named in errors.
#include "mqtt/transport_layers.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "mqtt/transport_tls.hpp"

namespace mqtt = piogate::mqtt;

TEST(transport_layers, alpn_wire_format_prefixes_each_name_with_its_length) {
    EXPECT_EQ(mqtt::alpn_wire_format({"x-amzn-mqtt-ca"}), std::string("\x0e") + "x-amzn-mqtt-ca");
    EXPECT_EQ(mqtt::alpn_wire_format({"mqtt", "h2"}), std::string("\x04mqtt\x02h2"));
    EXPECT_EQ(mqtt::alpn_wire_format({}), "");
    EXPECT_EQ(mqtt::alpn_wire_format({std::string(255, 'a')}).size(), 256u);
    EXPECT_THROW(mqtt::alpn_wire_format({""}), std::invalid_argument);
    EXPECT_THROW(mqtt::alpn_wire_format({std::string(256, 'a')}), std::invalid_argument);
}

TEST(transport_layers, websocket_subprotocol_follows_the_mqtt_version) {
    EXPECT_STREQ(mqtt::websocket_subprotocol(mqtt::MQTTv31), "mqttv3.1");
    EXPECT_STREQ(mqtt::websocket_subprotocol(mqtt::MQTTv311), "mqtt");
    EXPECT_STREQ(mqtt::websocket_subprotocol(mqtt::MQTTv5), "mqtt");
}

TEST(transport_layers, authority_and_url) {
    EXPECT_EQ(mqtt::authority({"broker.lan", 8080, mqtt::MQTTv311}), "broker.lan:8080");
    EXPECT_EQ(mqtt::authority({"::1", 443, mqtt::MQTTv311}), "[::1]:443");
    mqtt::layer_config c;
    c.websocket.path = "/ws";
    EXPECT_EQ(mqtt::websocket_url({"h", 80, mqtt::MQTTv311}, c, false), "ws://h:80/ws");
    c.tls.emplace();
    EXPECT_EQ(mqtt::websocket_url({"h", 443, mqtt::MQTTv311}, c, false), "wss://h:443/ws");
    EXPECT_EQ(mqtt::websocket_url({"/run/m.sock", 0, mqtt::MQTTv311}, c, true),
              "wss://unix:/run/m.sock/ws");
}
