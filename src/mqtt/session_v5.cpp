// MQTT 5.0 in the session: CONNECT properties, what the CONNACK tells (Receive Maximum,
// Maximum Packet Size, Topic Alias Maximum, availability flags, assigned client identifier,
// server keep alive), topic aliases both ways, the broker's DISCONNECT, AUTH exchanges and
// DISCONNECT with a reason before we close for a protocol violation.
#include <algorithm>
#include <string>
// SPDX-License-Identifier: Apache-2.0
#include "mqtt/properties_codec.hpp"
#include "mqtt/session.hpp"

namespace piogate::mqtt {

connect_packet session::make_connect() const {
    connect_packet c;
    c.version = config_.version;
    c.client_id = config_.client_id;
    c.clean_session = config_.clean_session;
    c.keepalive = config_.keepalive;
    c.will = config_.will;
    c.username = config_.username;
    c.password = config_.password;
    if (!v5()) return c;
    const connect_properties& o = config_.mqtt5;
    c.props.session_expiry_interval = o.session_expiry_interval;
    c.props.receive_maximum = o.receive_maximum;
    c.props.maximum_packet_size = config_.max_packet_size;
    if (o.topic_alias_maximum > 0) c.props.topic_alias_maximum = o.topic_alias_maximum;
    if (o.request_response_information) {
        c.props.request_response_information = *o.request_response_information ? 1 : 0;
    }
    if (o.request_problem_information) {
        c.props.request_problem_information = *o.request_problem_information ? 1 : 0;
    }
    c.props.user_properties = o.user_properties;
    c.props.authentication_method = o.authentication_method;
    c.props.authentication_data = o.authentication_data;
    if (c.will) c.will_props = o.will_properties;
    return c;
}

void session::apply_connack(const connack_packet& p) {
    connack_props_ = p.props;
    const properties& b = connack_props_;
    send_window_ = config_.max_inflight;
    if (b.receive_maximum) send_window_ = std::min(send_window_, *b.receive_maximum);
    limits_ = v5() ? publish_limits::from_connack(b, config_.mqtt5.outbound_topic_aliases)
                   : publish_limits{};
    alias_out_max_ =
        std::min(config_.mqtt5.outbound_topic_aliases, b.topic_alias_maximum.value_or(0));
    if (b.assigned_client_identifier) {
        log(log_level::info, "broker assigned client id '" + *b.assigned_client_identifier + "'");
        config_.client_id = *b.assigned_client_identifier;
    }
    if (b.server_keep_alive && *b.server_keep_alive != config_.keepalive) {
        log(log_level::info, "broker sets keepalive to " + std::to_string(*b.server_keep_alive) +
                                 " s (asked for " + std::to_string(config_.keepalive) + " s)");
        config_.keepalive = *b.server_keep_alive;
    }
    if (b.authentication_data && config_.mqtt5.on_auth) config_.mqtt5.on_auth(b);
}

std::size_t session::publish_size(std::string_view topic, std::size_t payload, int qos,
                                  const properties* props) const {
    return publish_packet_size(v5(), topic, payload, qos, props, alias_out_max_ > 0);
}

std::error_code session::check_publish(std::string_view topic, std::size_t payload, int qos,
                                       bool retain, const properties* props) const {
    if (state_ != session_state::connected) return {};
    return mqtt::check_publish(limits_, topic, payload, qos, retain, props);
}

void session::fail(errc reason, reason_code code, std::string detail) {
    if (v5() && (state_ == session_state::connected || state_ == session_state::connecting)) {
        empty_packet d;
        d.type = packet_type::disconnect;
        d.reason_code = static_cast<std::uint8_t>(code);
        encode_empty(d, out_, config_.version);
        mark_sent();
        detail += std::string(" (DISCONNECT ") + to_string(code) + ")";
    }
    fail(reason, std::move(detail));
}

bool session::resolve_alias(const publish_packet& p, std::string_view& topic) {
    topic = p.topic;
    if (!p.props.topic_alias) return true;
    const std::uint16_t alias = *p.props.topic_alias;
    if (alias >= aliases_in_.size()) {
        fail(errc::protocol_error, reason_code::topic_alias_invalid,
             "topic alias " + std::to_string(alias) + " above our Topic Alias Maximum " +
                 std::to_string(config_.mqtt5.topic_alias_maximum));
        return false;
    }
    if (!p.topic.empty()) {
        aliases_in_[alias] = std::string(p.topic);
        return true;
    }
    if (aliases_in_[alias].empty()) {
        fail(errc::protocol_error, reason_code::topic_alias_invalid,
             "PUBLISH with unknown topic alias " + std::to_string(alias));
        return false;
    }
    topic = aliases_in_[alias];
    return true;
}

void session::handle_server_disconnect(const empty_packet& p) {
    const auto rc = static_cast<reason_code>(p.reason_code);
    std::string detail = std::string("broker sent DISCONNECT: ") + to_string(rc);
    if (p.props.reason_string) detail += " (" + *p.props.reason_string + ")";
    if (p.props.server_reference) detail += ", use server " + *p.props.server_reference;
    handler_.on_server_disconnect(rc, p.props);
    fail(errc::connection_lost, std::move(detail));
}

void session::handle_auth(const auth_packet& p) {
    const auto rc = static_cast<reason_code>(p.reason_code);
    if (config_.log_packets)
        log(log_level::debug, std::string("Received AUTH (") + to_string(rc) + ")");
    const auto& method = config_.mqtt5.authentication_method;
    if (!method || p.props.authentication_method != method) {
        fail(errc::protocol_error, reason_code::protocol_error,
             "AUTH without our authentication method");
        return;
    }
    if (rc == reason_code::success) return;  // re-authentication done
    if (rc != reason_code::continue_authentication) {
        fail(errc::protocol_error, reason_code::protocol_error,
             std::string("AUTH from the broker with ") + to_string(rc));
        return;
    }
    std::optional<std::string> data;
    if (config_.mqtt5.on_auth) data = config_.mqtt5.on_auth(p.props);
    if (!data) {
        fail(errc::not_authorized, reason_code::not_authorized, "enhanced authentication gave up");
        return;
    }
    auth_packet reply;
    reply.reason_code = static_cast<std::uint8_t>(reason_code::continue_authentication);
    reply.props.authentication_method = method;
    reply.props.authentication_data = std::move(data);
    encode_auth(reply, out_, config_.version);
    mark_sent();
}

}  // namespace piogate::mqtt
