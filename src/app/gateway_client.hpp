// The gateway's MQTT client settings from its config, and its log bridge.
// Errors: client_options_of throws std::runtime_error when the password file is unreadable.
#pragma once

#include <string_view>

#include "config/mqtt_config.hpp"
#include "piogate/mqtt/client_options.hpp"
#include "piogate/mqtt/types.hpp"

namespace piogate::app {

mqtt::client_options client_options_of(const config::mqtt_config& m);
void log_mqtt(mqtt::log_level level, std::string_view text);
// "broker HOST:PORT", or "brokers A:1883, B:1884 (in this order)"; IPv6 addresses in brackets.
std::string brokers_text(const config::mqtt_config& m);
std::string endpoint_text(const std::string& host, std::uint16_t port);

}  // namespace piogate::app
