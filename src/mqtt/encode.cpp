// Encoders for every MQTT control packet (OASIS MQTT 3.1.1 and 5.0, section 3). The 5.0
// fields are written only when the version is 5.0.
#include <stdexcept>
#include <string>
// SPDX-License-Identifier: Apache-2.0
#include "mqtt/properties_codec.hpp"
#include "mqtt/wire.hpp"
#include "piogate/mqtt/codec.hpp"

namespace piogate::mqtt {

using wire::put_header;
using wire::put_string;
using wire::put_u16;
using wire::string_size;

void encode_remaining_length(std::uint32_t length, byte_buffer& out) {
    if (length > max_remaining_length) {
        throw std::invalid_argument("remaining length " + std::to_string(length) +
                                    " exceeds the 268435455 byte limit");
    }
    do {
        std::uint8_t b = length % 128;
        length /= 128;
        if (length > 0) b |= 0x80;
        out.push_back(b);
    } while (length > 0);
}

void encode_connect(const connect_packet& p, byte_buffer& out) {
    const bool v31 = p.version == protocol_version::v31;
    const bool v5 = p.version == protocol_version::v5;
    const std::string_view name = v31 ? "MQIsdp" : "MQTT";
    std::size_t len = string_size(name) + 1 + 1 + 2 + string_size(p.client_id);
    if (v5) len += properties_size(p.props, property_context::connect);
    std::uint8_t flags = p.clean_session ? 0x02 : 0x00;
    if (p.will) {
        len += string_size(p.will->topic) + string_size(p.will->payload);
        if (v5) len += properties_size(p.will_props, property_context::will);
        flags |= 0x04 | static_cast<std::uint8_t>((p.will->qos & 3) << 3);
        if (p.will->retain) flags |= 0x20;
    }
    if (p.username) {
        len += string_size(*p.username);
        flags |= 0x80;
    }
    if (p.password) {
        len += string_size(*p.password);
        flags |= 0x40;
    }
    put_header(0x10, len, out);
    put_string(name, out);
    out.push_back(static_cast<std::uint8_t>(p.version));
    out.push_back(flags);
    put_u16(p.keepalive, out);
    if (v5) encode_properties(p.props, property_context::connect, out);
    put_string(p.client_id, out);
    if (p.will) {
        if (v5) encode_properties(p.will_props, property_context::will, out);
        put_string(p.will->topic, out);
        put_string(p.will->payload, out);
    }
    if (p.username) put_string(*p.username, out);
    if (p.password) put_string(*p.password, out);
}

void encode_connack(const connack_packet& p, byte_buffer& out, protocol_version v) {
    if (v == protocol_version::v5) {
        put_header(0x20, 2 + properties_size(p.props, property_context::connack), out);
        out.push_back(p.session_present ? 1 : 0);
        out.push_back(p.return_code);
        encode_properties(p.props, property_context::connack, out);
        return;
    }
    put_header(0x20, 2, out);
    out.push_back(p.session_present ? 1 : 0);
    out.push_back(p.return_code);
}

void encode_publish(const publish_packet& p, byte_buffer& out, protocol_version v) {
    const bool v5 = v == protocol_version::v5;
    std::uint8_t first = 0x30 | static_cast<std::uint8_t>((p.qos & 3) << 1);
    if (p.dup) first |= 0x08;
    if (p.retain) first |= 0x01;
    std::size_t len = string_size(p.topic) + (p.qos > 0 ? 2 : 0) + p.payload.size();
    if (v5) len += properties_size(p.props, property_context::publish);
    put_header(first, len, out);
    put_string(p.topic, out);
    if (p.qos > 0) put_u16(p.packet_id, out);
    if (v5) encode_properties(p.props, property_context::publish, out);
    wire::put_bytes(p.payload, out);
}

void encode_ack(const ack_packet& p, byte_buffer& out, protocol_version v) {
    std::uint8_t first = static_cast<std::uint8_t>(static_cast<std::uint8_t>(p.type) << 4);
    if (p.type == packet_type::pubrel) first |= 0x02;
    if (v == protocol_version::v5 && p.type == packet_type::unsuback) {
        const std::size_t props = properties_size(p.props, property_context::unsuback);
        put_header(first, 2 + props + p.reason_codes.size(), out);
        put_u16(p.packet_id, out);
        encode_properties(p.props, property_context::unsuback, out);
        out.insert(out.end(), p.reason_codes.begin(), p.reason_codes.end());
        return;
    }
    if (v == protocol_version::v5 && (p.reason_code != 0 || !p.props.empty())) {
        const bool with_props = !p.props.empty();
        const std::size_t props = with_props ? properties_size(p.props, property_context::ack) : 0;
        put_header(first, 3 + props, out);
        put_u16(p.packet_id, out);
        out.push_back(p.reason_code);
        if (with_props) encode_properties(p.props, property_context::ack, out);
        return;
    }
    out.push_back(first);
    out.push_back(2);
    put_u16(p.packet_id, out);
}

void encode_subscribe(const subscribe_packet& p, byte_buffer& out, protocol_version v) {
    const bool v5 = v == protocol_version::v5;
    std::size_t len = 2;
    if (v5) len += properties_size(p.props, property_context::subscribe);
    for (const auto& [filter, options] : p.filters) len += string_size(filter) + 1;
    put_header(0x82, len, out);
    put_u16(p.packet_id, out);
    if (v5) encode_properties(p.props, property_context::subscribe, out);
    for (const auto& [filter, options] : p.filters) {
        put_string(filter, out);
        out.push_back(options);
    }
}

void encode_suback(const suback_packet& p, byte_buffer& out, protocol_version v) {
    const bool v5 = v == protocol_version::v5;
    const std::size_t props = v5 ? properties_size(p.props, property_context::suback) : 0;
    put_header(0x90, 2 + props + p.return_codes.size(), out);
    put_u16(p.packet_id, out);
    if (v5) encode_properties(p.props, property_context::suback, out);
    out.insert(out.end(), p.return_codes.begin(), p.return_codes.end());
}

void encode_unsubscribe(const unsubscribe_packet& p, byte_buffer& out, protocol_version v) {
    const bool v5 = v == protocol_version::v5;
    std::size_t len = 2;
    if (v5) len += properties_size(p.props, property_context::unsubscribe);
    for (const auto& filter : p.filters) len += string_size(filter);
    put_header(0xA2, len, out);
    put_u16(p.packet_id, out);
    if (v5) encode_properties(p.props, property_context::unsubscribe, out);
    for (const auto& filter : p.filters) put_string(filter, out);
}

namespace {
// DISCONNECT and AUTH of 5.0: nothing for success without properties, else the reason code
// and, when there are any, the properties.
void encode_reason_and_properties(std::uint8_t first, std::uint8_t reason, const properties& props,
                                  property_context where, byte_buffer& out) {
    if (reason == 0 && props.empty()) {
        put_header(first, 0, out);
        return;
    }
    const std::size_t len = props.empty() ? 0 : properties_size(props, where);
    put_header(first, 1 + len, out);
    out.push_back(reason);
    if (!props.empty()) encode_properties(props, where, out);
}
}  // namespace

void encode_empty(const empty_packet& p, byte_buffer& out, protocol_version v) {
    const auto first = static_cast<std::uint8_t>(static_cast<std::uint8_t>(p.type) << 4);
    if (v == protocol_version::v5 && p.type == packet_type::disconnect) {
        encode_reason_and_properties(first, p.reason_code, p.props, property_context::disconnect,
                                     out);
        return;
    }
    out.push_back(first);
    out.push_back(0);
}

void encode_auth(const auth_packet& p, byte_buffer& out, protocol_version v) {
    if (v != protocol_version::v5) throw std::invalid_argument("AUTH exists only in MQTT 5.0");
    encode_reason_and_properties(0xF0, p.reason_code, p.props, property_context::auth, out);
}

void encode(const packet& p, byte_buffer& out, protocol_version v) {
    std::visit(
        [&out, v](const auto& pkt) {
            using T = std::decay_t<decltype(pkt)>;
            if constexpr (std::is_same_v<T, connect_packet>) encode_connect(pkt, out);
            else if constexpr (std::is_same_v<T, connack_packet>) encode_connack(pkt, out, v);
            else if constexpr (std::is_same_v<T, publish_packet>) encode_publish(pkt, out, v);
            else if constexpr (std::is_same_v<T, ack_packet>) encode_ack(pkt, out, v);
            else if constexpr (std::is_same_v<T, subscribe_packet>) encode_subscribe(pkt, out, v);
            else if constexpr (std::is_same_v<T, suback_packet>) encode_suback(pkt, out, v);
            else if constexpr (std::is_same_v<T, unsubscribe_packet>)
                encode_unsubscribe(pkt, out, v);
            else if constexpr (std::is_same_v<T, auth_packet>) encode_auth(pkt, out, v);
            else encode_empty(pkt, out, v);
        },
        p);
}

}  // namespace piogate::mqtt
