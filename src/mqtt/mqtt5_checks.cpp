// The MQTT 5.0 argument checks of the client faces (mqtt5_checks.hpp).
#include "mqtt/mqtt5_checks.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <stdexcept>

#include "piogate/mqtt/topic.hpp"

namespace piogate::mqtt {
namespace {

[[noreturn]] void refuse(const std::string& what) {
    throw std::invalid_argument(what);
}

bool is_shared(std::string_view filter) {
    return filter.starts_with("$share/");
}

// What a PUBLISH and a will have in common (section 3.3.2.3).
void check_message_properties(std::string_view payload, const properties& p, const char* where) {
    const std::string in = std::string(" in ") + where;
    if (p.topic_alias) refuse("property Topic Alias" + in + ": the client assigns topic aliases");
    if (!p.subscription_identifiers.empty()) {
        refuse("property Subscription Identifier" + in + ": only a broker sends it in PUBLISH");
    }
    if (p.payload_format_indicator && *p.payload_format_indicator > 1) {
        refuse("property Payload Format Indicator" + in + " must be 0 or 1");
    }
    if (p.payload_format_indicator == 1 && !is_valid_utf8(payload)) {
        refuse("property Payload Format Indicator 1 (UTF-8)" + in +
               " with a payload that is not UTF-8");
    }
    if (p.content_type && !is_valid_utf8(*p.content_type)) {
        refuse("property Content Type" + in + " must be UTF-8");
    }
    if (p.response_topic && !is_valid_topic_name(*p.response_topic)) {
        refuse("property Response Topic" + in + " is not a valid topic name: '" +
               *p.response_topic + "'");
    }
    for (const auto& [k, v] : p.user_properties) {
        if (!is_valid_utf8(k) || !is_valid_utf8(v))
            refuse("a User Property" + in + " is not UTF-8");
    }
}

// Properties a PUBLISH or will never carries (CONNECT, CONNACK, ... ones).
void check_only_message_properties(const properties& p, const char* where) {
    properties rest = p;
    rest.payload_format_indicator.reset();
    rest.message_expiry_interval.reset();
    rest.content_type.reset();
    rest.response_topic.reset();
    rest.correlation_data.reset();
    rest.user_properties.clear();
    rest.topic_alias.reset();
    rest.subscription_identifiers.clear();
    rest.will_delay_interval.reset();
    if (!rest.empty()) {
        refuse(std::string("properties") + " in " + where +
               " may be only Payload Format Indicator, Message Expiry Interval, Content Type, "
               "Response Topic, Correlation Data and User Property");
    }
}

}  // namespace

void check_publish_properties(protocol_version version, std::string_view payload,
                              const properties& props) {
    if (props.empty()) return;
    if (version != protocol_version::v5) {
        refuse("publish properties need MQTT 5.0 (client_options::protocol v5)");
    }
    check_message_properties(payload, props, "publish");
    check_only_message_properties(props, "publish");
    if (props.will_delay_interval) refuse("property Will Delay Interval is for the will only");
}

void check_subscribe_request(protocol_version version,
                             std::span<const std::pair<std::string, subscribe_options>> filters,
                             const properties& props) {
    if (filters.empty()) refuse("subscribe needs at least one filter");
    const bool v5 = version == protocol_version::v5;
    for (const auto& [filter, o] : filters) {
        if (!is_valid_topic_filter(filter)) refuse("invalid topic filter: '" + filter + "'");
        if (o.qos > 2) refuse("QoS must be 0, 1 or 2 (filter '" + filter + "')");
        if (o.retain_handling > 2) {
            refuse("retain handling must be 0, 1 or 2 (filter '" + filter + "')");
        }
        const bool options = o.no_local || o.retain_as_published || o.retain_handling != 0;
        if (options && !v5) {
            refuse(
                "subscription options (no local, retain as published, retain handling) need "
                "MQTT 5.0 (filter '" +
                filter + "')");
        }
        if (o.no_local && is_shared(filter)) {
            refuse("no local on a shared subscription is a protocol error (filter '" + filter +
                   "')");
        }
    }
    if (props.empty()) return;
    if (!v5) refuse("subscribe properties need MQTT 5.0 (client_options::protocol v5)");
    properties rest = props;
    rest.user_properties.clear();
    rest.subscription_identifiers.clear();
    if (!rest.empty()) {
        refuse(
            "properties in subscribe may be only one Subscription Identifier and User "
            "Property");
    }
    if (props.subscription_identifiers.size() > 1) {
        refuse("subscribe takes at most one Subscription Identifier");
    }
    for (const auto id : props.subscription_identifiers) {
        if (id < 1 || id > 268435455) {
            refuse("property Subscription Identifier must be 1..268435455, not " +
                   std::to_string(id));
        }
    }
}

void check_connect_properties(const client_options& o) {
    if (o.protocol != protocol_version::v5) return;
    const connect_properties& c = o.mqtt5;
    if (c.receive_maximum == 0) refuse("mqtt5.receive_maximum must be 1..65535 (absent: 65535)");
    if (c.authentication_data && !c.authentication_method) {
        refuse("mqtt5.authentication_data needs mqtt5.authentication_method");
    }
    if (!c.will_properties.empty()) {
        if (!o.will) refuse("mqtt5.will_properties without a will");
        check_message_properties(o.will->payload, c.will_properties, "the will");
        check_only_message_properties(c.will_properties, "the will");
    }
    for (const auto& [k, v] : c.user_properties) {
        if (!is_valid_utf8(k) || !is_valid_utf8(v)) {
            refuse("a User Property in mqtt5.user_properties is not UTF-8");
        }
    }
}

}  // namespace piogate::mqtt
