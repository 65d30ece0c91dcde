// What a client asks for in an MQTT 5.0 CONNECT (OASIS MQTT 5.0, section 3.1.2.11) beyond the
// 3.1.1 options, and the enhanced-authentication hook (section 4.12).
//
// Plain value; ignored for 3.1 / 3.1.1. The hook runs on the client's event-loop thread.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "piogate/mqtt/properties.hpp"

namespace piogate::mqtt {

struct connect_properties {
    // Seconds the broker keeps the session after the connection ends (absent: 0, it ends
    // with the connection; 0xFFFFFFFF: never expires).
    std::optional<std::uint32_t> session_expiry_interval;
    // Inbound QoS 1/2 messages we accept unacknowledged at once (absent: 65535). A broker that
    // sends more is disconnected with Receive Maximum exceeded.
    std::optional<std::uint16_t> receive_maximum;
    // Inbound topic aliases we accept (1..this); 0 accepts none.
    std::uint16_t topic_alias_maximum = 0;
    // Outbound topic aliases we use: at most this many and never more than the broker's Topic
    // Alias Maximum; the first topics published get them, on repeat the topic goes empty.
    std::uint16_t outbound_topic_aliases = 0;
    std::optional<bool> request_response_information;
    std::optional<bool> request_problem_information;
    std::vector<std::pair<std::string, std::string>> user_properties;
    // Enhanced authentication: the method and the first data, sent in CONNECT.
    std::optional<std::string> authentication_method;
    std::optional<std::string> authentication_data;
    // Given the properties of the broker's AUTH (continue authentication) or of a CONNACK that
    // carries authentication data, returns the next authentication data; nullopt gives up
    // (an AUTH exchange then ends with DISCONNECT Not authorized). Unset: AUTH is refused.
    std::function<std::optional<std::string>(const properties& received)> on_auth;
    // The will's properties: delay, message expiry, content type, payload format indicator,
    // response topic, correlation data, user properties.
    properties will_properties;
};

}  // namespace piogate::mqtt
