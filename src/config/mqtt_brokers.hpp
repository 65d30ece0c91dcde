// "mqtt.hosts": the brokers to try in order ("host", "host:port", "[v6addr]:port", or
// {"host": ..., "port": ...}), the first being the primary.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/json_reader.hpp"

namespace piogate::config {

struct mqtt_broker {
    std::string host;
    std::uint16_t port = 1883;
    bool operator==(const mqtt_broker&) const = default;
};

// "host", "host:port", "[::1]:port" (a bare IPv6 address has no port). `default_port` for
// entries without one. Returns the reason on failure.
struct broker_parse {
    std::optional<mqtt_broker> broker;
    std::string error;
};
broker_parse parse_broker(std::string_view text, std::uint16_t default_port);

// Reads the "hosts" array of `r` (each element a string or an object); throws config_error at
// the element's path. Empty result when the key is absent.
std::vector<mqtt_broker> read_brokers(object_reader& r, std::uint16_t default_port);

}  // namespace piogate::config
