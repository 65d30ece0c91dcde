// The gateway's MQTT client settings from its config, and its log bridge.
// Errors: client_options_of throws std::runtime_error when a password file (the broker's or the
// proxy's) is unreadable.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "config/mqtt_config.hpp"
#include "piogate/mqtt/broker_address.hpp"
#include "piogate/mqtt/client_options.hpp"
#include "piogate/mqtt/properties.hpp"
#include "piogate/mqtt/types.hpp"

namespace piogate::app {

mqtt::client_options client_options_of(const config::mqtt_config& m);
// The broker list to connect to, each with the configured transport.
std::vector<mqtt::broker_address> broker_addresses_of(const config::mqtt_config& m);
void log_mqtt(mqtt::log_level level, std::string_view text);
// "broker HOST:PORT", or "brokers A:1883, B:1884 (in this order)"; IPv6 addresses in brackets;
// WebSocket as "ws://HOST:PORT/path" (wss with TLS), a Unix socket as "unix:/path"; then
// " (TLS)" for TLS over TCP, and " via HTTP proxy HOST:PORT" (or SOCKS5) when there is one.
std::string brokers_text(const config::mqtt_config& m);
std::string endpoint_text(const std::string& host, std::uint16_t port);

// The MQTT 5.0 properties of a reading published on `topic` under `c`: content type
// application/json (readings are JSON objects), and the Message Expiry Interval of the sensor's
// "expiry_s" when the topic is a configured sensor's (PREFIX/sensors/ID) that has one. Empty
// with 3.1/3.1.1. Pure.
mqtt::properties reading_properties(const config::piogate_config& c, std::string_view topic);

}  // namespace piogate::app
