// Encoders for every MQTT 3.1 / 3.1.1 control packet (OASIS MQTT 3.1.1, section 3).
#include <stdexcept>
#include <string>

#include "piogate/mqtt/codec.hpp"

namespace piogate::mqtt {
namespace {

void put_u16(std::uint16_t v, byte_buffer& out) {
    out.push_back(static_cast<std::uint8_t>(v >> 8));
    out.push_back(static_cast<std::uint8_t>(v & 0xFF));
}

void put_bytes(std::string_view s, byte_buffer& out) {
    out.insert(out.end(), s.begin(), s.end());
}

// Every encoder sizes all its strings through here before it appends anything, so a string
// that cannot be encoded throws while `out` is still untouched.
std::size_t string_size(std::string_view s) {
    if (s.size() > 65535) {
        throw std::invalid_argument("MQTT string of " + std::to_string(s.size()) +
                                    " bytes exceeds 65535");
    }
    return 2 + s.size();
}

void put_string(std::string_view s, byte_buffer& out) {
    put_u16(static_cast<std::uint16_t>(s.size()), out);
    put_bytes(s, out);
}

void put_header(std::uint8_t first, std::size_t remaining, byte_buffer& out) {
    if (remaining > max_remaining_length) {
        throw std::invalid_argument("MQTT packet of " + std::to_string(remaining) +
                                    " bytes exceeds the 268435455 byte limit");
    }
    out.push_back(first);
    encode_remaining_length(static_cast<std::uint32_t>(remaining), out);
}

}  // namespace

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
    const std::string_view name = v31 ? "MQIsdp" : "MQTT";
    std::size_t len = string_size(name) + 1 + 1 + 2 + string_size(p.client_id);
    std::uint8_t flags = p.clean_session ? 0x02 : 0x00;
    if (p.will) {
        len += string_size(p.will->topic) + string_size(p.will->payload);
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
    put_string(p.client_id, out);
    if (p.will) {
        put_string(p.will->topic, out);
        put_string(p.will->payload, out);
    }
    if (p.username) put_string(*p.username, out);
    if (p.password) put_string(*p.password, out);
}

void encode_connack(const connack_packet& p, byte_buffer& out) {
    put_header(0x20, 2, out);
    out.push_back(p.session_present ? 1 : 0);
    out.push_back(p.return_code);
}

void encode_publish(const publish_packet& p, byte_buffer& out) {
    std::uint8_t first = 0x30 | static_cast<std::uint8_t>((p.qos & 3) << 1);
    if (p.dup) first |= 0x08;
    if (p.retain) first |= 0x01;
    std::size_t len = string_size(p.topic) + (p.qos > 0 ? 2 : 0) + p.payload.size();
    put_header(first, len, out);
    put_string(p.topic, out);
    if (p.qos > 0) put_u16(p.packet_id, out);
    put_bytes(p.payload, out);
}

void encode_ack(const ack_packet& p, byte_buffer& out) {
    std::uint8_t first = static_cast<std::uint8_t>(static_cast<std::uint8_t>(p.type) << 4);
    if (p.type == packet_type::pubrel) first |= 0x02;
    out.push_back(first);
    out.push_back(2);
    put_u16(p.packet_id, out);
}

void encode_subscribe(const subscribe_packet& p, byte_buffer& out) {
    std::size_t len = 2;
    for (const auto& [filter, qos] : p.filters) len += string_size(filter) + 1;
    put_header(0x82, len, out);
    put_u16(p.packet_id, out);
    for (const auto& [filter, qos] : p.filters) {
        put_string(filter, out);
        out.push_back(qos);
    }
}

void encode_suback(const suback_packet& p, byte_buffer& out) {
    put_header(0x90, 2 + p.return_codes.size(), out);
    put_u16(p.packet_id, out);
    out.insert(out.end(), p.return_codes.begin(), p.return_codes.end());
}

void encode_unsubscribe(const unsubscribe_packet& p, byte_buffer& out) {
    std::size_t len = 2;
    for (const auto& filter : p.filters) len += string_size(filter);
    put_header(0xA2, len, out);
    put_u16(p.packet_id, out);
    for (const auto& filter : p.filters) put_string(filter, out);
}

void encode_empty(const empty_packet& p, byte_buffer& out) {
    out.push_back(static_cast<std::uint8_t>(static_cast<std::uint8_t>(p.type) << 4));
    out.push_back(0);
}

void encode(const packet& p, byte_buffer& out) {
    std::visit(
        [&out](const auto& pkt) {
            using T = std::decay_t<decltype(pkt)>;
            if constexpr (std::is_same_v<T, connect_packet>) encode_connect(pkt, out);
            else if constexpr (std::is_same_v<T, connack_packet>) encode_connack(pkt, out);
            else if constexpr (std::is_same_v<T, publish_packet>) encode_publish(pkt, out);
            else if constexpr (std::is_same_v<T, ack_packet>) encode_ack(pkt, out);
            else if constexpr (std::is_same_v<T, subscribe_packet>) encode_subscribe(pkt, out);
            else if constexpr (std::is_same_v<T, suback_packet>) encode_suback(pkt, out);
            else if constexpr (std::is_same_v<T, unsubscribe_packet>) encode_unsubscribe(pkt, out);
            else encode_empty(pkt, out);
        },
        p);
}

}  // namespace piogate::mqtt
