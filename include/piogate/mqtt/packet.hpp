// MQTT control packets as plain values (MQTT 3.1 / 3.1.1, OASIS standard section 3).
//
// Decoded packets that carry a payload (PUBLISH) hold views into the input buffer: they are
// valid only as long as that buffer is.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

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
};

struct connack_packet {
    bool session_present = false;
    std::uint8_t return_code = 0;
};

struct publish_packet {
    std::string_view topic;
    std::string_view payload;
    std::uint8_t qos = 0;
    bool retain = false;
    bool dup = false;
    std::uint16_t packet_id = 0;  // 0 for QoS 0
};

// PUBACK, PUBREC, PUBREL, PUBCOMP and UNSUBACK: a type and a packet identifier.
struct ack_packet {
    packet_type type = packet_type::puback;
    std::uint16_t packet_id = 0;
};

struct subscribe_packet {
    std::uint16_t packet_id = 0;
    std::vector<std::pair<std::string, std::uint8_t>> filters;  // filter, requested QoS
};

struct suback_packet {
    std::uint16_t packet_id = 0;
    std::vector<std::uint8_t> return_codes;  // 0, 1, 2 granted QoS; 0x80 failure
};

struct unsubscribe_packet {
    std::uint16_t packet_id = 0;
    std::vector<std::string> filters;
};

// PINGREQ, PINGRESP and DISCONNECT carry nothing but their type.
struct empty_packet {
    packet_type type = packet_type::pingreq;
};

using packet = std::variant<connect_packet, connack_packet, publish_packet, ack_packet,
                            subscribe_packet, suback_packet, unsubscribe_packet, empty_packet>;

packet_type type_of(const packet& p) noexcept;

}  // namespace piogate::mqtt
