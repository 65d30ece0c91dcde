// What an MQTT 5.0 broker's CONNACK allows a PUBLISH to be, and the check of one publish
// against it: Maximum QoS, Retain Available, Maximum Packet Size (sized with the room a topic
// alias may take). The session checks with it when a publish is made; the Paho-style face
// keeps a copy packed in one word so that a caller's thread can refuse the same publish at
// the call while loop_start() runs.
//
// Pure functions; safe from any thread.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <system_error>

#include "piogate/mqtt/properties.hpp"
#include "piogate/mqtt/reason_code.hpp"

namespace piogate::mqtt {

struct publish_limits {
    bool v5 = false;  // 3.1 / 3.1.1 brokers tell none of these: nothing is refused
    std::uint8_t maximum_qos = 2;
    bool retain_available = true;
    std::uint32_t maximum_packet_size = 0;  // bytes; 0: no limit told
    bool alias_room = false;                // outbound topic aliases in use: +3 bytes

    // The limits a CONNACK's properties set for a client that offers `outbound_aliases`.
    static publish_limits from_connack(const properties& connack, std::uint16_t outbound_aliases);

    // Packed into one word (and back) for an atomic copy; 0 packs "no limits".
    std::uint64_t pack() const;
    static publish_limits unpack(std::uint64_t word);
};

// Bytes of the PUBLISH packet on the wire (fixed header included) for this protocol.
std::size_t publish_packet_size(bool v5, std::string_view topic, std::size_t payload, int qos,
                                const properties* props, bool alias_room);

// {} when `limits` allow the publish; std::errc::not_supported for a QoS above Maximum QoS or
// retain without Retain Available; errc::packet_too_large above Maximum Packet Size.
std::error_code check_publish(const publish_limits& limits, std::string_view topic,
                              std::size_t payload, int qos, bool retain, const properties* props);

// The reason code for a publish check_publish refused with `ec` under `limits`:
// qos_not_supported or retain_not_supported (both std::errc::not_supported there),
// packet_too_large, quota_exceeded for errc::queue_full, unspecified_error otherwise.
reason_code refusal_reason(const publish_limits& limits, int qos, bool retain, std::error_code ec);

}  // namespace piogate::mqtt
