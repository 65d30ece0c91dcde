// MQTT control packets as plain values (MQTT 3.1 / 3.1.1 / 5.0, OASIS standards section 3).
//
// One model for every version: the 5.0 fields (reason codes, properties) are left at their
// defaults for 3.1 / 3.1.1, where the codec neither writes nor reads them.
// Decoded packets that carry a payload (PUBLISH) hold views into the input buffer: they are
// valid only as long as that buffer is. Properties are owned (std::string).
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "piogate/mqtt/properties.hpp"
#include "piogate/mqtt/types.hpp"

namespace piogate::mqtt {

enum class packet_type : std::uint8_t {
    connect = 1,
    connack = 2,
    publish = 3,
    puback = 4,
    pubrec = 5,
    pubrel = 6,
    pubcomp = 7,
    subscribe = 8,
    suback = 9,
    unsubscribe = 10,
    unsuback = 11,
    pingreq = 12,
    pingresp = 13,
    disconnect = 14,
    auth = 15,  // 5.0 only
};

const char* to_string(packet_type t) noexcept;

struct connect_packet {
    protocol_version version = protocol_version::v311;
    std::string client_id;
    bool clean_session = true;
    std::uint16_t keepalive = 60;  // seconds
    std::optional<will_message> will;
    std::optional<std::string> username;
    std::optional<std::string> password;
    properties props{};       // 5.0
    properties will_props{};  // 5.0, with `will`
};

struct connack_packet {
    bool session_present = false;
    std::uint8_t return_code = 0;  // 3.1.1 return code; the reason code (reason_code.hpp) in 5.0
    properties props{};            // 5.0
};

struct publish_packet {
    std::string_view topic;
    std::string_view payload;
    std::uint8_t qos = 0;
    bool retain = false;
    bool dup = false;
    std::uint16_t packet_id = 0;  // 0 for QoS 0
    properties props{};           // 5.0; a topic alias may come with an empty topic
};

// PUBACK, PUBREC, PUBREL, PUBCOMP and UNSUBACK: a type and a packet identifier; in 5.0 also
// a reason code and properties (UNSUBACK: one reason code per filter in `reason_codes`).
struct ack_packet {
    packet_type type = packet_type::puback;
    std::uint16_t packet_id = 0;
    std::uint8_t reason_code = 0;              // 5.0 PUBACK..PUBCOMP
    properties props{};                        // 5.0
    std::vector<std::uint8_t> reason_codes{};  // 5.0 UNSUBACK
};

// The subscription options byte of 5.0 SUBSCRIBE (section 3.8.3.1); 3.1.1 uses only the QoS.
struct subscribe_options {
    std::uint8_t qos = 0;
    bool no_local = false;
    bool retain_as_published = false;
    std::uint8_t retain_handling = 0;  // 0 send retained, 1 only for new subscriptions, 2 never

    std::uint8_t to_byte() const {
        return static_cast<std::uint8_t>((qos & 3) | (no_local ? 0x04 : 0) |
                                         (retain_as_published ? 0x08 : 0) |
                                         ((retain_handling & 3) << 4));
    }
    static subscribe_options from_byte(std::uint8_t b) {
        return {static_cast<std::uint8_t>(b & 3), (b & 0x04) != 0, (b & 0x08) != 0,
                static_cast<std::uint8_t>((b >> 4) & 3)};
    }
    friend bool operator==(const subscribe_options&, const subscribe_options&) = default;
};

struct subscribe_packet {
    std::uint16_t packet_id = 0;
    // filter, requested QoS (3.1.1) or the whole options byte (5.0: subscribe_options::to_byte)
    std::vector<std::pair<std::string, std::uint8_t>> filters;
    properties props{};  // 5.0: subscription identifier, user properties
};

struct suback_packet {
    std::uint16_t packet_id = 0;
    // 0, 1, 2 granted QoS; 0x80 failure (3.1.1); reason codes (5.0)
    std::vector<std::uint8_t> return_codes;
    properties props{};  // 5.0
};

struct unsubscribe_packet {
    std::uint16_t packet_id = 0;
    std::vector<std::string> filters;
    properties props{};  // 5.0: user properties
};

// PINGREQ, PINGRESP and DISCONNECT carry nothing but their type, except a 5.0 DISCONNECT:
// a reason code and properties.
struct empty_packet {
    packet_type type = packet_type::pingreq;
    std::uint8_t reason_code = 0;  // 5.0 DISCONNECT
    properties props{};            // 5.0 DISCONNECT
};

// 5.0 AUTH (section 3.15): a reason code (success, continue authentication, re-authenticate)
// and properties (authentication method and data, reason string, user properties).
struct auth_packet {
    std::uint8_t reason_code = 0;
    properties props{};
};

using packet =
    std::variant<connect_packet, connack_packet, publish_packet, ack_packet, subscribe_packet,
                 suback_packet, unsubscribe_packet, empty_packet, auth_packet>;

packet_type type_of(const packet& p) noexcept;

}  // namespace piogate::mqtt
