// The "mqtt" section: the broker connection and every client option, plus the topic prefix.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/json_reader.hpp"
#include "config/mqtt_brokers.hpp"
#include "config/mqtt_transport_config.hpp"

namespace piogate::config {

struct mqtt_tls_config {
    bool enabled = false;
    std::string ca_file;  // empty: the system store
    std::string cert_file;
    std::string key_file;
    bool insecure = false;  // skip the host name check only
    std::vector<std::string> alpn;  // ALPN protocols offered, in order; empty = none

    bool operator==(const mqtt_tls_config&) const = default;
};

struct mqtt_config {
    // The primary broker: "host"/"port", or the first of "hosts"; with transport unix the
    // socket path and port 0.
    std::string host = "localhost";
    std::uint16_t port = 1883;  // 8883 by default with TLS
    // Every broker in the order tried ("hosts"; else just host:port). Never empty.
    std::vector<mqtt_broker> brokers{{"localhost", 1883}};
    std::string client_id;      // default "piogate-<hostname>"
    bool clean_session = true;
    std::string protocol = "3.1.1";  // "3.1", "3.1.1" or "5" (also spelled "5.0" in the file)
    // MQTT 5.0 only ("session_expiry_s"): seconds the broker keeps the session after the
    // connection ends; 0xFFFFFFFF never expires. Absent: never with "clean_session": false (a
    // persistent session, as 3.1.1 has it), else 0 (the session ends with the connection).
    std::uint32_t session_expiry_s = 0;
    std::uint16_t keepalive = 60;
    std::string bind_address;
    mqtt_transport_config transport;  // tcp, websockets or unix; proxy
    mqtt_tls_config tls;
    std::string username;
    std::string password_file;  // the password is read from this file, never logged
    std::chrono::milliseconds reconnect_min{1000};
    std::chrono::milliseconds reconnect_max{120000};
    // The first reconnect after a lost connection waits a random time in [0, spread], so a
    // fleet that loses its broker at once does not come back in one burst. 0: off.
    std::chrono::milliseconds reconnect_spread{0};
    std::size_t max_queued = 10000;
    bool drop_oldest = true;    // "queue_full": "drop_oldest" or "reject"
    std::string topic_prefix;   // default "piogate/<hostname>"

    bool operator==(const mqtt_config&) const = default;
};

mqtt_config read_mqtt_config(object_reader& parent);
std::string host_name();

}  // namespace piogate::config
