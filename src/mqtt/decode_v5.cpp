// MQTT 5.0 packet bodies: reason codes (each packet has its own allowed set, section 2.4)
// and property lists.
#include "mqtt/decode_v5.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <initializer_list>
#include <string>

#include "mqtt/properties_codec.hpp"

namespace piogate::mqtt::v5 {
namespace {

bool one_of(std::uint8_t code, std::initializer_list<int> allowed) {
    return std::find(allowed.begin(), allowed.end(), code) != allowed.end();
}

bool allowed_reason(packet_type t, std::uint8_t c) {
    switch (t) {
        case packet_type::connack:
            return one_of(c, {0x00, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
                              0x8A, 0x8C, 0x90, 0x95, 0x97, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9F});
        case packet_type::puback:
        case packet_type::pubrec:
            return one_of(c, {0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99});
        case packet_type::pubrel:
        case packet_type::pubcomp:
            return one_of(c, {0x00, 0x92});
        case packet_type::suback:
            return one_of(c,
                          {0x00, 0x01, 0x02, 0x80, 0x83, 0x87, 0x8F, 0x91, 0x97, 0x9E, 0xA1, 0xA2});
        case packet_type::unsuback:
            return one_of(c, {0x00, 0x11, 0x80, 0x83, 0x87, 0x8F, 0x91});
        case packet_type::disconnect:
            return one_of(c, {0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8B, 0x8D,
                              0x8E, 0x8F, 0x90, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99,
                              0x9A, 0x9B, 0x9C, 0x9D, 0x9E, 0x9F, 0xA0, 0xA1, 0xA2});
        case packet_type::auth:
            return one_of(c, {0x00, 0x18, 0x19});
        default:
            return false;
    }
}

bool reason(wire::reader& r, packet_type t, std::uint8_t& code) {
    if (!r.u8(code)) return false;
    if (!allowed_reason(t, code)) {
        return r.fail("reason code " + std::to_string(code) + " is not allowed in " + to_string(t));
    }
    return true;
}

bool packet_id(wire::reader& r, std::uint16_t& id) {
    if (!r.u16(id)) return false;
    if (id == 0) return r.fail("packet identifier 0");
    return true;
}

}  // namespace

bool decode_connack(wire::reader& r, connack_packet& p) {
    std::uint8_t flags = 0;
    if (!r.u8(flags) || !reason(r, packet_type::connack, p.return_code)) return false;
    if (flags & 0xFE) return r.fail("CONNACK reserved flags set");
    p.session_present = flags & 1;
    if (p.session_present && p.return_code != 0) {
        return r.fail("CONNACK refusal with session present set");
    }
    return decode_properties(r, property_context::connack, p.props);
}

bool decode_ack(wire::reader& r, ack_packet& p) {
    if (!packet_id(r, p.packet_id)) return false;
    if (p.type == packet_type::unsuback) {
        if (!decode_properties(r, property_context::unsuback, p.props)) return false;
        if (r.left() == 0) return r.fail("UNSUBACK without reason codes");
        while (r.left() > 0) {
            std::uint8_t code = 0;
            if (!reason(r, packet_type::unsuback, code)) return false;
            p.reason_codes.push_back(code);
        }
        return true;
    }
    if (r.left() == 0) return true;  // success, no properties
    if (!reason(r, p.type, p.reason_code)) return false;
    if (r.left() == 0) return true;
    return decode_properties(r, property_context::ack, p.props);
}

bool decode_suback(wire::reader& r, suback_packet& p) {
    if (!packet_id(r, p.packet_id)) return false;
    if (!decode_properties(r, property_context::suback, p.props)) return false;
    if (r.left() == 0) return r.fail("SUBACK without reason codes");
    while (r.left() > 0) {
        std::uint8_t code = 0;
        if (!reason(r, packet_type::suback, code)) return false;
        p.return_codes.push_back(code);
    }
    return true;
}

bool decode_disconnect(wire::reader& r, empty_packet& p) {
    if (r.left() == 0) return true;
    if (!reason(r, packet_type::disconnect, p.reason_code)) return false;
    if (r.left() == 0) return true;
    return decode_properties(r, property_context::disconnect, p.props);
}

bool decode_auth(wire::reader& r, auth_packet& p) {
    if (r.left() == 0) return true;
    if (!reason(r, packet_type::auth, p.reason_code)) return false;
    if (r.left() == 0) return true;
    if (!decode_properties(r, property_context::auth, p.props)) return false;
    if (!p.props.authentication_method)
        return r.protocol_error("AUTH without authentication method");
    return true;
}

bool check_subscribe_options(wire::reader& r, std::uint8_t options, std::string_view filter) {
    if (options & 0xC0) return r.fail("SUBSCRIBE options reserved bits set");
    if ((options & 3) == 3) return r.fail("SUBSCRIBE requested QoS 3");
    if (((options >> 4) & 3) == 3) return r.protocol_error("SUBSCRIBE retain handling 3");
    if ((options & 0x04) && filter.starts_with("$share/")) {
        return r.protocol_error("no local on a shared subscription");
    }
    return true;
}

}  // namespace piogate::mqtt::v5
