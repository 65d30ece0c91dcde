// MQTT 5.0 property lists: which packet carries which property (section 2.2.2.2), their wire
// types, and the values the spec forbids.
#include "mqtt/properties_codec.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <string>

namespace piogate::mqtt {
namespace {

using pid = property_id;

constexpr std::uint64_t bit(pid id) {
    return std::uint64_t{1} << static_cast<unsigned>(id);
}

template <typename... Ids>
constexpr std::uint64_t mask(Ids... ids) {
    return (bit(ids) | ... | 0);
}

std::uint64_t allowed(property_context where) {
    switch (where) {
        case property_context::connect:
            return mask(pid::session_expiry_interval, pid::receive_maximum,
                        pid::maximum_packet_size, pid::topic_alias_maximum,
                        pid::request_response_information, pid::request_problem_information,
                        pid::user_property, pid::authentication_method, pid::authentication_data);
        case property_context::will:
            return mask(pid::will_delay_interval, pid::payload_format_indicator,
                        pid::message_expiry_interval, pid::content_type, pid::response_topic,
                        pid::correlation_data, pid::user_property);
        case property_context::connack:
            return mask(pid::session_expiry_interval, pid::receive_maximum, pid::maximum_qos,
                        pid::retain_available, pid::maximum_packet_size,
                        pid::assigned_client_identifier, pid::topic_alias_maximum,
                        pid::reason_string, pid::user_property,
                        pid::wildcard_subscription_available,
                        pid::subscription_identifier_available, pid::shared_subscription_available,
                        pid::server_keep_alive, pid::response_information, pid::server_reference,
                        pid::authentication_method, pid::authentication_data);
        case property_context::publish:
            return mask(pid::payload_format_indicator, pid::message_expiry_interval,
                        pid::topic_alias, pid::response_topic, pid::correlation_data,
                        pid::user_property, pid::subscription_identifier, pid::content_type);
        case property_context::ack:
        case property_context::suback:
        case property_context::unsuback:
            return mask(pid::reason_string, pid::user_property);
        case property_context::subscribe:
            return mask(pid::subscription_identifier, pid::user_property);
        case property_context::unsubscribe:
            return mask(pid::user_property);
        case property_context::disconnect:
            return mask(pid::session_expiry_interval, pid::reason_string, pid::user_property,
                        pid::server_reference);
        case property_context::auth:
            return mask(pid::authentication_method, pid::authentication_data, pid::reason_string,
                        pid::user_property);
    }
    return 0;
}

const char* context_name(property_context where) {
    static const char* const names[] = {"CONNECT",         "will",       "CONNACK", "PUBLISH",
                                        "acknowledgement", "SUBSCRIBE",  "SUBACK",  "UNSUBSCRIBE",
                                        "UNSUBACK",        "DISCONNECT", "AUTH"};
    return names[static_cast<int>(where)];
}

// The fixed-width properties by type; `boolean` ones accept only 0 and 1, `nonzero` ones
// refuse 0 (both protocol errors).
template <typename T>
struct field {
    pid id;
    std::optional<T> properties::*member;
    bool boolean = false;
    bool nonzero = false;
};

const field<std::uint8_t> byte_fields[] = {
    {pid::payload_format_indicator, &properties::payload_format_indicator, true},
    {pid::request_problem_information, &properties::request_problem_information, true},
    {pid::request_response_information, &properties::request_response_information, true},
    {pid::maximum_qos, &properties::maximum_qos, true},
    {pid::retain_available, &properties::retain_available, true},
    {pid::wildcard_subscription_available, &properties::wildcard_subscription_available, true},
    {pid::subscription_identifier_available, &properties::subscription_identifier_available, true},
    {pid::shared_subscription_available, &properties::shared_subscription_available, true},
};
const field<std::uint16_t> u16_fields[] = {
    {pid::server_keep_alive, &properties::server_keep_alive},
    {pid::receive_maximum, &properties::receive_maximum, false, true},
    {pid::topic_alias_maximum, &properties::topic_alias_maximum},
    {pid::topic_alias, &properties::topic_alias, false, true},
};
const field<std::uint32_t> u32_fields[] = {
    {pid::message_expiry_interval, &properties::message_expiry_interval},
    {pid::session_expiry_interval, &properties::session_expiry_interval},
    {pid::will_delay_interval, &properties::will_delay_interval},
    {pid::maximum_packet_size, &properties::maximum_packet_size, false, true},
};
struct string_field {
    pid id;
    std::optional<std::string> properties::*member;
    bool utf8 = true;
};
const string_field string_fields[] = {
    {pid::content_type, &properties::content_type},
    {pid::response_topic, &properties::response_topic},
    {pid::correlation_data, &properties::correlation_data, false},
    {pid::assigned_client_identifier, &properties::assigned_client_identifier},
    {pid::authentication_method, &properties::authentication_method},
    {pid::authentication_data, &properties::authentication_data, false},
    {pid::response_information, &properties::response_information},
    {pid::server_reference, &properties::server_reference},
    {pid::reason_string, &properties::reason_string},
};

void check_allowed(pid id, property_context where) {
    if ((allowed(where) & bit(id)) == 0) {
        throw std::invalid_argument(std::string(to_string(id)) + " is not allowed in " +
                                    context_name(where));
    }
}

// Calls f(id, size, writer) for every property set in `p`, in a stable order.
template <typename F>
void for_each_set(const properties& p, property_context where, F&& f) {
    for (const auto& d : byte_fields) {
        if (const auto& v = p.*d.member)
            f(d.id, 1 + 1, [&](byte_buffer& out) { out.push_back(*v); });
    }
    for (const auto& d : u16_fields) {
        if (const auto& v = p.*d.member) {
            f(d.id, 1 + 2, [&](byte_buffer& out) { wire::put_u16(*v, out); });
        }
    }
    for (const auto& d : u32_fields) {
        if (const auto& v = p.*d.member) {
            f(d.id, 1 + 4, [&](byte_buffer& out) { wire::put_u32(*v, out); });
        }
    }
    for (const auto& d : string_fields) {
        if (const auto& v = p.*d.member) {
            f(d.id, 1 + wire::string_size(*v),
              [&](byte_buffer& out) { wire::put_string(*v, out); });
        }
    }
    if (where != property_context::publish && p.subscription_identifiers.size() > 1) {
        throw std::invalid_argument("only one Subscription Identifier allowed in " +
                                    std::string(context_name(where)));
    }
    for (std::uint32_t id : p.subscription_identifiers) {
        if (id == 0 || id > wire::max_vbi) {
            throw std::invalid_argument("Subscription Identifier " + std::to_string(id) +
                                        " is not in 1..268435455");
        }
        f(pid::subscription_identifier, 1 + wire::vbi_size(id),
          [id](byte_buffer& out) { wire::put_vbi(id, out); });
    }
    for (const auto& kv : p.user_properties) {  // (clang 14 cannot capture a binding)
        f(pid::user_property, 1 + wire::string_size(kv.first) + wire::string_size(kv.second),
          [&kv](byte_buffer& out) {
              wire::put_string(kv.first, out);
              wire::put_string(kv.second, out);
          });
    }
}

}  // namespace

std::size_t properties_body_size(const properties& p, property_context where) {
    std::size_t n = 0;
    for_each_set(p, where, [&](pid id, std::size_t size, const auto&) {
        check_allowed(id, where);
        n += size;
    });
    return n;
}

std::size_t properties_size(const properties& p, property_context where) {
    const std::size_t body = properties_body_size(p, where);
    return wire::vbi_size(body) + body;
}

void encode_properties(const properties& p, property_context where, byte_buffer& out) {
    wire::put_vbi(static_cast<std::uint32_t>(properties_body_size(p, where)), out);
    for_each_set(p, where, [&](pid id, std::size_t, const auto& write) {
        out.push_back(static_cast<std::uint8_t>(id));
        write(out);
    });
}

bool decode_properties(wire::reader& outer, property_context where, properties& p) {
    std::uint32_t length = 0;
    if (!outer.vbi(length, "property length")) return false;
    wire::reader r{{}};
    if (!outer.sub(length, r)) return false;
    std::uint64_t seen = 0;
    while (r.left() > 0) {
        std::uint32_t raw = 0;
        if (!r.vbi(raw, "property identifier")) return outer.fail_from(r);
        const auto id = static_cast<pid>(raw);
        if (raw > 63 || (allowed(where) & bit(id)) == 0) {
            return outer.fail("property " + std::to_string(raw) + " (" +
                              to_string(static_cast<pid>(raw & 0xFF)) + ") is not allowed in " +
                              context_name(where));
        }
        const bool repeatable = id == pid::user_property || (id == pid::subscription_identifier &&
                                                             where == property_context::publish);
        if ((seen & bit(id)) && !repeatable) {
            return outer.protocol_error(std::string(to_string(id)) + " appears twice in " +
                                        context_name(where));
        }
        seen |= bit(id);
        const std::string name = to_string(id);
        auto check = [&](std::uint32_t v, bool boolean, bool nonzero) {
            if (boolean && v > 1)
                return outer.protocol_error(name + " " + std::to_string(v) + " is not 0 or 1");
            if (nonzero && v == 0) return outer.protocol_error(name + " of 0");
            return true;
        };
        bool ok = false;
        bool found = false;
        for (const auto& d : byte_fields) {
            if (d.id != id) continue;
            std::uint8_t v = 0;
            found = true;
            ok = r.u8(v) && check(v, d.boolean, d.nonzero);
            p.*d.member = v;
        }
        for (const auto& d : u16_fields) {
            if (d.id != id) continue;
            std::uint16_t v = 0;
            found = true;
            ok = r.u16(v) && check(v, d.boolean, d.nonzero);
            p.*d.member = v;
        }
        for (const auto& d : u32_fields) {
            if (d.id != id) continue;
            std::uint32_t v = 0;
            found = true;
            ok = r.u32(v) && check(v, d.boolean, d.nonzero);
            p.*d.member = v;
        }
        for (const auto& d : string_fields) {
            if (d.id != id) continue;
            std::string_view v;
            found = true;
            ok = r.string(v, d.utf8, to_string(id));
            p.*d.member = std::string(v);
        }
        if (id == pid::subscription_identifier) {
            std::uint32_t v = 0;
            found = true;
            ok = r.vbi(v, "Subscription Identifier") && check(v, false, true);
            p.subscription_identifiers.push_back(v);
        } else if (id == pid::user_property) {
            std::string_view key;
            std::string_view value;
            found = true;
            ok = r.string(key, true, "user property name") &&
                 r.string(value, true, "user property value");
            p.user_properties.emplace_back(key, value);
        }
        if (!found) return outer.fail("unknown property " + std::to_string(raw));
        if (!ok) return r.error().empty() ? false : outer.fail_from(r);
    }
    if (p.response_topic && !is_valid_topic_name(*p.response_topic)) {
        return outer.protocol_error("Response Topic is not a valid topic name");
    }
    return true;
}

}  // namespace piogate::mqtt
