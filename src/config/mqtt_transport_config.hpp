// The transport keys of the "mqtt" section: "transport" (tcp, websockets, unix), "ws_path",
// "ws_headers", "unix_socket" and "proxy". TLS ("tls") stays in mqtt_config.
//
// Errors: read_mqtt_transport throws config_error at the JSON pointer of the offending key.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "config/json_reader.hpp"

namespace piogate::config {

enum class mqtt_transport_kind : std::uint8_t { tcp, websockets, unix_socket };

// "proxy": {"type": "http" | "socks5", "host", "port", "username", "password_file"}.
struct mqtt_proxy_config {
    bool socks5 = false;  // false: HTTP CONNECT
    std::string host;
    std::uint16_t port = 8080;  // default 8080 (http) or 1080 (socks5)
    std::string username;       // empty: no authentication
    std::string password_file;  // read like mqtt.password_file; needs a username

    bool operator==(const mqtt_proxy_config&) const = default;
};

struct mqtt_transport_config {
    mqtt_transport_kind kind = mqtt_transport_kind::tcp;
    std::string ws_path = "/mqtt";                                 // websockets only
    std::vector<std::pair<std::string, std::string>> ws_headers;  // websockets only, in order
    std::string unix_socket;                                       // unix only: the socket path
    std::optional<mqtt_proxy_config> proxy;                        // tcp and websockets

    bool operator==(const mqtt_transport_config&) const = default;
};

// Reads the transport keys of the "mqtt" object `r` (marks them used). `uses_tls`: whether
// "tls" is enabled (TLS over a Unix socket is refused).
mqtt_transport_config read_mqtt_transport(object_reader& r, bool uses_tls);

const char* to_string(mqtt_transport_kind kind) noexcept;

}  // namespace piogate::config
