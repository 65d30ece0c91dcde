#include "mqtt/publish_limits.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <algorithm>

#include "mqtt/properties_codec.hpp"
#include "mqtt/wire.hpp"
#include "piogate/mqtt/error.hpp"

namespace piogate::mqtt {

publish_limits publish_limits::from_connack(const properties& connack,
                                            std::uint16_t outbound_aliases) {
    publish_limits l;
    l.v5 = true;
    l.maximum_qos = connack.maximum_qos.value_or(2);
    l.retain_available = connack.retain_available.value_or(1) != 0;
    l.maximum_packet_size = connack.maximum_packet_size.value_or(0);
    l.alias_room = std::min(outbound_aliases, connack.topic_alias_maximum.value_or(0)) > 0;
    return l;
}

std::uint64_t publish_limits::pack() const {
    if (!v5) return 0;
    return std::uint64_t{maximum_packet_size} | std::uint64_t{maximum_qos & 3u} << 32 |
           std::uint64_t{retain_available} << 34 | std::uint64_t{alias_room} << 35 |
           std::uint64_t{1} << 36;
}

publish_limits publish_limits::unpack(std::uint64_t word) {
    publish_limits l;
    if ((word >> 36 & 1) == 0) return l;
    l.v5 = true;
    l.maximum_packet_size = static_cast<std::uint32_t>(word);
    l.maximum_qos = static_cast<std::uint8_t>(word >> 32 & 3);
    l.retain_available = (word >> 34 & 1) != 0;
    l.alias_room = (word >> 35 & 1) != 0;
    return l;
}

std::size_t publish_packet_size(bool v5, std::string_view topic, std::size_t payload, int qos,
                                const properties* props, bool alias_room) {
    std::size_t rest = 2 + topic.size() + (qos > 0 ? 2 : 0) + payload;
    if (v5) {
        rest += props ? properties_size(*props, property_context::publish) : 1;
        if (alias_room) rest += 3;  // a topic alias may be added
    }
    return 1 + wire::vbi_size(std::min<std::size_t>(rest, wire::max_vbi)) + rest;
}

std::error_code check_publish(const publish_limits& limits, std::string_view topic,
                              std::size_t payload, int qos, bool retain, const properties* props) {
    if (!limits.v5) return {};
    if (qos > limits.maximum_qos) return std::make_error_code(std::errc::not_supported);
    if (retain && !limits.retain_available) return std::make_error_code(std::errc::not_supported);
    if (limits.maximum_packet_size != 0 &&
        publish_packet_size(true, topic, payload, qos, props, limits.alias_room) >
            limits.maximum_packet_size) {
        return make_error_code(errc::packet_too_large);
    }
    return {};
}

reason_code refusal_reason(const publish_limits& limits, int qos, bool retain, std::error_code ec) {
    if (ec == errc::packet_too_large) return reason_code::packet_too_large;
    if (ec == errc::queue_full) return reason_code::quota_exceeded;
    if (ec == std::errc::not_supported) {
        if (limits.v5 && qos > limits.maximum_qos) return reason_code::qos_not_supported;
        if (retain) return reason_code::retain_not_supported;
        return reason_code::qos_not_supported;
    }
    return reason_code::unspecified_error;
}

}  // namespace piogate::mqtt
