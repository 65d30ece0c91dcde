// Decoders for every MQTT control packet (3.1, 3.1.1 and 5.0; the 5.0 bodies that differ are
// in decode_v5.cpp). Every rule the standard states for the wire format is checked here, so
// the session above only sees well-formed packets.
#include <string>
// SPDX-License-Identifier: Apache-2.0
#include "mqtt/decode_v5.hpp"
#include "mqtt/properties_codec.hpp"
#include "mqtt/wire.hpp"
#include "piogate/mqtt/codec.hpp"
#include "piogate/mqtt/topic.hpp"

namespace piogate::mqtt {
namespace {

using wire::reader;

bool decode_connect(reader& r, connect_packet& p) {
    std::string_view name;
    std::uint8_t level = 0;
    std::uint8_t flags = 0;
    if (!r.string(name, true, "protocol name") || !r.u8(level) || !r.u8(flags) ||
        !r.u16(p.keepalive)) {
        return false;
    }
    if (name == "MQTT" && level == 4) {
        p.version = protocol_version::v311;
    } else if (name == "MQTT" && level == 5) {
        p.version = protocol_version::v5;
    } else if (name == "MQIsdp" && level == 3) {
        p.version = protocol_version::v31;
    } else {
        return r.fail("unsupported protocol name/level " + std::string(name) + "/" +
                      std::to_string(level));
    }
    if (flags & 0x01) return r.fail("CONNECT reserved flag is set");
    p.clean_session = flags & 0x02;
    const bool will = flags & 0x04;
    const int will_qos = (flags >> 3) & 3;
    const bool will_retain = flags & 0x20;
    if (!will && (will_qos != 0 || will_retain)) return r.fail("will QoS/retain set without will");
    if (will_qos == 3) return r.fail("will QoS 3");
    if ((flags & 0x40) && !(flags & 0x80) && p.version == protocol_version::v311) {
        return r.fail("password flag without user name flag");
    }
    const bool v5 = p.version == protocol_version::v5;
    if (v5 && !decode_properties(r, property_context::connect, p.props)) return false;
    if (v5 && p.props.authentication_data && !p.props.authentication_method) {
        return r.protocol_error("Authentication Data without Authentication Method");
    }
    std::string_view s;
    if (!r.string(s, true, "client identifier")) return false;
    p.client_id = s;
    if (will) {
        if (v5 && !decode_properties(r, property_context::will, p.will_props)) return false;
        std::string_view topic;
        std::string_view payload;
        if (!r.string(topic, true, "will topic") || !r.string(payload, false, "will payload")) {
            return false;
        }
        if (!is_valid_topic_name(topic)) return r.fail("invalid will topic");
        if (p.will_props.payload_format_indicator == 1 && !is_valid_utf8(payload)) {
            return r.fail("will payload is not UTF-8 as its format indicator says",
                          reason_code::payload_format_invalid);
        }
        p.will = will_message{std::string(topic), std::string(payload), will_qos, will_retain};
    }
    if (flags & 0x80) {
        if (!r.string(s, true, "user name")) return false;
        p.username = std::string(s);
    }
    if (flags & 0x40) {
        if (!r.string(s, false, "password")) return false;
        p.password = std::string(s);
    }
    return true;
}

bool decode_publish(reader& r, std::uint8_t first, publish_packet& p, protocol_version v) {
    p.qos = (first >> 1) & 3;
    p.dup = first & 0x08;
    p.retain = first & 0x01;
    if (p.qos == 3) return r.fail("PUBLISH with QoS 3");
    if (p.qos == 0 && p.dup) return r.fail("PUBLISH QoS 0 with DUP set");
    if (!r.string(p.topic, true, "topic name")) return false;
    const bool v5 = v == protocol_version::v5;
    // 5.0: an empty topic name stands for the one the topic alias names.
    if (!(v5 && p.topic.empty()) && !is_valid_topic_name(p.topic)) {
        return r.fail("invalid topic name in PUBLISH", reason_code::topic_name_invalid);
    }
    if (p.qos > 0) {
        if (!r.u16(p.packet_id)) return false;
        if (p.packet_id == 0) return r.fail("PUBLISH with packet identifier 0");
    }
    if (v5) {
        if (!decode_properties(r, property_context::publish, p.props)) return false;
        if (p.topic.empty() && !p.props.topic_alias) {
            return r.protocol_error("PUBLISH with an empty topic name and no topic alias");
        }
    }
    p.payload = r.rest();
    if (p.props.payload_format_indicator == 1 && !is_valid_utf8(p.payload)) {
        return r.fail("PUBLISH payload is not UTF-8 as its format indicator says",
                      reason_code::payload_format_invalid);
    }
    return true;
}

bool decode_packet_id(reader& r, std::uint16_t& id) {
    if (!r.u16(id)) return false;
    if (id == 0) return r.fail("packet identifier 0");
    return true;
}

bool decode_subscribe(reader& r, subscribe_packet& p, protocol_version v) {
    if (!decode_packet_id(r, p.packet_id)) return false;
    const bool v5 = v == protocol_version::v5;
    if (v5 && !decode_properties(r, property_context::subscribe, p.props)) return false;
    if (r.left() == 0) return r.fail("SUBSCRIBE without topic filters");
    while (r.left() > 0) {
        std::string_view filter;
        std::uint8_t qos = 0;
        if (!r.string(filter, true, "topic filter") || !r.u8(qos)) return false;
        if (!is_valid_topic_filter(filter)) return r.fail("invalid topic filter in SUBSCRIBE");
        if (v5) {
            if (!v5::check_subscribe_options(r, qos, filter)) return false;
        } else if (qos > 2) {
            return r.fail("SUBSCRIBE requested QoS above 2");
        }
        p.filters.emplace_back(std::string(filter), qos);
    }
    return true;
}

bool decode_suback(reader& r, suback_packet& p) {
    if (!decode_packet_id(r, p.packet_id)) return false;
    if (r.left() == 0) return r.fail("SUBACK without return codes");
    while (r.left() > 0) {
        std::uint8_t code = 0;
        if (!r.u8(code)) return false;
        if (code > 2 && code != 0x80) {
            return r.fail("SUBACK return code " + std::to_string(code) + " is not allowed");
        }
        p.return_codes.push_back(code);
    }
    return true;
}

bool decode_unsubscribe(reader& r, unsubscribe_packet& p, protocol_version v) {
    if (!decode_packet_id(r, p.packet_id)) return false;
    if (v == protocol_version::v5 &&
        !decode_properties(r, property_context::unsubscribe, p.props)) {
        return false;
    }
    if (r.left() == 0) return r.fail("UNSUBSCRIBE without topic filters");
    while (r.left() > 0) {
        std::string_view filter;
        if (!r.string(filter, true, "topic filter")) return false;
        if (!is_valid_topic_filter(filter)) return r.fail("invalid topic filter in UNSUBSCRIBE");
        p.filters.emplace_back(filter);
    }
    return true;
}

// The flags nibble each type must carry (3.1.1 section 2.2.2); PUBLISH is checked apart.
std::uint8_t required_flags(packet_type t) {
    switch (t) {
        case packet_type::pubrel:
        case packet_type::subscribe:
        case packet_type::unsubscribe: return 0x02;
        default: return 0x00;
    }
}

}  // namespace

header_result decode_header(std::span<const std::uint8_t> in) noexcept {
    header_result r;
    if (in.empty()) return r;
    std::uint32_t value = 0;
    std::uint32_t multiplier = 1;
    for (std::size_t i = 1; i <= 4; ++i) {
        if (i >= in.size()) return r;  // incomplete
        std::uint8_t b = in[i];
        value += (b & 0x7F) * multiplier;
        if ((b & 0x80) == 0) {
            if (b == 0 && i > 1) {
                r.status = decode_status::malformed;
                r.error = "remaining length not in its shortest form";
                return r;
            }
            r.status = decode_status::ok;
            r.header = {in[0], value, static_cast<std::uint8_t>(i + 1)};
            return r;
        }
        multiplier *= 128;
    }
    r.status = decode_status::malformed;
    r.error = "remaining length longer than four bytes";
    return r;
}

decode_result decode_packet(std::span<const std::uint8_t> in, protocol_version version) {
    decode_result result;
    header_result h = decode_header(in);
    if (h.status != decode_status::ok) {
        result.status = h.status;
        if (h.error) result.error = h.error;
        if (h.status == decode_status::malformed) result.reason = reason_code::malformed_packet;
        return result;
    }
    if (in.size() < h.header.total_size()) return result;  // incomplete

    const std::uint8_t first = h.header.first_byte;
    const auto type_value = static_cast<std::uint8_t>(first >> 4);
    const std::uint8_t flags = first & 0x0F;
    reader r(in.subspan(h.header.header_size, h.header.remaining_length));
    bool ok = false;
    auto fixed = [&](std::size_t length) {
        if (h.header.remaining_length != length) {
            return r.fail("remaining length " + std::to_string(h.header.remaining_length) +
                          " where " + std::to_string(length) + " is required");
        }
        return true;
    };
    const bool v5 = version == protocol_version::v5;
    if (type_value == 0 || (type_value == 15 && !v5)) {
        r.fail("reserved packet type " + std::to_string(type_value));
    } else {
        const auto type = static_cast<packet_type>(type_value);
        if (type != packet_type::publish && flags != required_flags(type)) {
            r.fail(std::string("invalid fixed header flags for ") + to_string(type));
        } else {
            switch (type) {
                case packet_type::connect: {
                    connect_packet p;
                    ok = decode_connect(r, p);
                    result.pkt = std::move(p);
                    break;
                }
                case packet_type::connack: {
                    connack_packet p;
                    if (v5) {
                        ok = v5::decode_connack(r, p);
                        result.pkt = std::move(p);
                        break;
                    }
                    std::uint8_t ack_flags = 0;
                    ok = fixed(2) && r.u8(ack_flags) && r.u8(p.return_code);
                    if (ok && version != protocol_version::v31 && (ack_flags & 0xFE)) {
                        ok = r.fail("CONNACK reserved flags set");
                    }
                    p.session_present = version != protocol_version::v31 && (ack_flags & 1);
                    if (ok && p.session_present && p.return_code != 0) {
                        ok = r.fail("CONNACK refusal with session present set");
                    }
                    result.pkt = p;
                    break;
                }
                case packet_type::publish: {
                    publish_packet p;
                    ok = decode_publish(r, first, p, version);
                    result.pkt = std::move(p);
                    break;
                }
                case packet_type::puback:
                case packet_type::pubrec:
                case packet_type::pubrel:
                case packet_type::pubcomp:
                case packet_type::unsuback: {
                    ack_packet p;
                    p.type = type;
                    ok = v5 ? v5::decode_ack(r, p) : fixed(2) && decode_packet_id(r, p.packet_id);
                    result.pkt = std::move(p);
                    break;
                }
                case packet_type::subscribe: {
                    subscribe_packet p;
                    ok = decode_subscribe(r, p, version);
                    result.pkt = std::move(p);
                    break;
                }
                case packet_type::suback: {
                    suback_packet p;
                    ok = v5 ? v5::decode_suback(r, p) : decode_suback(r, p);
                    result.pkt = std::move(p);
                    break;
                }
                case packet_type::unsubscribe: {
                    unsubscribe_packet p;
                    ok = decode_unsubscribe(r, p, version);
                    result.pkt = std::move(p);
                    break;
                }
                case packet_type::disconnect:
                    if (v5) {
                        empty_packet p;
                        p.type = type;
                        ok = v5::decode_disconnect(r, p);
                        result.pkt = std::move(p);
                        break;
                    }
                    [[fallthrough]];
                case packet_type::pingreq:
                case packet_type::pingresp: {
                    ok = fixed(0);
                    empty_packet p;
                    p.type = type;
                    result.pkt = std::move(p);
                    break;
                }
                case packet_type::auth: {
                    auth_packet p;
                    ok = v5::decode_auth(r, p);
                    result.pkt = std::move(p);
                    break;
                }
            }
        }
    }
    if (ok && r.left() != 0) ok = r.fail("trailing bytes after the packet");
    if (!ok) {
        result.status = decode_status::malformed;
        result.error = r.error().empty() ? "malformed packet" : r.error();
        result.reason = r.reason();
        return result;
    }
    result.status = decode_status::ok;
    result.consumed = h.header.total_size();
    return result;
}

const char* to_string(packet_type t) noexcept {
    switch (t) {
        case packet_type::connect: return "CONNECT";
        case packet_type::connack: return "CONNACK";
        case packet_type::publish: return "PUBLISH";
        case packet_type::puback: return "PUBACK";
        case packet_type::pubrec: return "PUBREC";
        case packet_type::pubrel: return "PUBREL";
        case packet_type::pubcomp: return "PUBCOMP";
        case packet_type::subscribe: return "SUBSCRIBE";
        case packet_type::suback: return "SUBACK";
        case packet_type::unsubscribe: return "UNSUBSCRIBE";
        case packet_type::unsuback: return "UNSUBACK";
        case packet_type::pingreq: return "PINGREQ";
        case packet_type::pingresp: return "PINGRESP";
        case packet_type::disconnect: return "DISCONNECT";
        case packet_type::auth: return "AUTH";
    }
    return "UNKNOWN";
}

packet_type type_of(const packet& p) noexcept {
    return std::visit(
        [](const auto& pkt) -> packet_type {
            using T = std::decay_t<decltype(pkt)>;
            if constexpr (std::is_same_v<T, connect_packet>) return packet_type::connect;
            else if constexpr (std::is_same_v<T, connack_packet>) return packet_type::connack;
            else if constexpr (std::is_same_v<T, publish_packet>) return packet_type::publish;
            else if constexpr (std::is_same_v<T, subscribe_packet>) return packet_type::subscribe;
            else if constexpr (std::is_same_v<T, suback_packet>) return packet_type::suback;
            else if constexpr (std::is_same_v<T, unsubscribe_packet>)
                return packet_type::unsubscribe;
            else if constexpr (std::is_same_v<T, auth_packet>) return packet_type::auth;
            else return pkt.type;
        },
        p);
}

}  // namespace piogate::mqtt
