// Basic value types shared by the codec, the session and the client.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

namespace piogate::mqtt {

struct properties;  // properties.hpp

// The protocol level byte of CONNECT: 3 = MQTT 3.1 ("MQIsdp"), 4 = MQTT 3.1.1 ("MQTT"),
// 5 = MQTT 5.0.
enum class protocol_version : std::uint8_t { v31 = 3, v311 = 4, v5 = 5 };

// Paho-compatible spellings.
inline constexpr protocol_version MQTTv31 = protocol_version::v31;
inline constexpr protocol_version MQTTv311 = protocol_version::v311;
inline constexpr protocol_version MQTTv5 = protocol_version::v5;

// How the client reaches the broker. tcp and websockets may run over TLS
// (client_options::tls; websockets + TLS = "wss") and through a proxy (client_options::proxy);
// unix is a Unix-domain stream socket whose path is the broker address's host.
enum class transport_kind : std::uint8_t { tcp, websockets, unix_socket };

// The will (last will and testament) sent in CONNECT.
struct will_message {
    std::string topic;
    std::string payload;
    int qos = 0;
    bool retain = false;
};

// An inbound application message. The views point into the client's receive buffer and are
// valid only during the callback that receives the message; copy what must outlive it.
struct message {
    std::string_view topic;
    std::string_view payload;
    int qos = 0;
    bool retain = false;
    bool dup = false;
    int mid = 0;  // the packet identifier (0 for QoS 0)
    // MQTT 5.0: the PUBLISH's properties (content type, message expiry, response topic,
    // correlation data, user properties, subscription identifiers; a topic alias is already
    // resolved into `topic`); nullptr for 3.1 / 3.1.1. Valid only during the callback.
    const properties* props = nullptr;
};

}  // namespace piogate::mqtt

namespace piogate::mqtt {

// Log levels, with the bit values Paho uses for MQTT_LOG_*.
enum class log_level : int { info = 1, notice = 2, warning = 4, error = 8, debug = 16 };

// What publish() does when the queue of waiting messages is full.
enum class queue_full_policy : std::uint8_t { reject, drop_oldest };

}  // namespace piogate::mqtt

namespace piogate::mqtt {

// What publish() returns.
struct publish_result {
    int mid = 0;         // the id on_publish reports; valid when rc is success
    std::error_code rc;  // success, or errc::queue_full
    explicit operator bool() const { return !rc; }
};

}  // namespace piogate::mqtt
