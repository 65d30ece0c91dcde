// Structural equality and a readable dump of MQTT packets, for the codec tests and fuzzers.
// Header-only and free of gtest so the libFuzzer targets can use it too.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <string>
#include <type_traits>
#include <variant>

#include "piogate/mqtt/packet.hpp"

namespace piogate::mqtt::testing {

inline bool same_will(const std::optional<will_message>& a, const std::optional<will_message>& b) {
    if (a.has_value() != b.has_value()) return false;
    if (!a) return true;
    return a->topic == b->topic && a->payload == b->payload && a->qos == b->qos &&
           a->retain == b->retain;
}

// Field-by-field equality; views compare by content, not by address.
inline bool packets_equal(const packet& a, const packet& b) {
    if (a.index() != b.index()) return false;
    return std::visit(
        [&b](const auto& x) -> bool {
            using T = std::decay_t<decltype(x)>;
            const T& y = std::get<T>(b);
            if constexpr (std::is_same_v<T, connect_packet>) {
                return x.version == y.version && x.client_id == y.client_id &&
                       x.clean_session == y.clean_session && x.keepalive == y.keepalive &&
                       same_will(x.will, y.will) && x.username == y.username &&
                       x.password == y.password && x.props == y.props &&
                       x.will_props == y.will_props;
            } else if constexpr (std::is_same_v<T, connack_packet>) {
                return x.session_present == y.session_present && x.return_code == y.return_code &&
                       x.props == y.props;
            } else if constexpr (std::is_same_v<T, publish_packet>) {
                return x.topic == y.topic && x.payload == y.payload && x.qos == y.qos &&
                       x.retain == y.retain && x.dup == y.dup && x.packet_id == y.packet_id &&
                       x.props == y.props;
            } else if constexpr (std::is_same_v<T, ack_packet>) {
                return x.type == y.type && x.packet_id == y.packet_id &&
                       x.reason_code == y.reason_code && x.props == y.props &&
                       x.reason_codes == y.reason_codes;
            } else if constexpr (std::is_same_v<T, subscribe_packet>) {
                return x.packet_id == y.packet_id && x.filters == y.filters && x.props == y.props;
            } else if constexpr (std::is_same_v<T, suback_packet>) {
                return x.packet_id == y.packet_id && x.return_codes == y.return_codes &&
                       x.props == y.props;
            } else if constexpr (std::is_same_v<T, unsubscribe_packet>) {
                return x.packet_id == y.packet_id && x.filters == y.filters && x.props == y.props;
            } else if constexpr (std::is_same_v<T, auth_packet>) {
                return x.reason_code == y.reason_code && x.props == y.props;
            } else {
                return x.type == y.type && x.reason_code == y.reason_code && x.props == y.props;
            }
        },
        a);
}

// One line naming the type and the fields that matter, for assertion messages.
inline std::string describe(const packet& p) {
    std::string s = to_string(type_of(p));
    std::visit(
        [&s](const auto& x) {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, connect_packet>) {
                s += " v" + std::to_string(static_cast<int>(x.version)) + " id='" + x.client_id +
                     "' clean=" + std::to_string(x.clean_session) +
                     " ka=" + std::to_string(x.keepalive) + " will=" + std::to_string(!!x.will) +
                     " user=" + std::to_string(!!x.username) +
                     " pass=" + std::to_string(!!x.password);
            } else if constexpr (std::is_same_v<T, connack_packet>) {
                s += " sp=" + std::to_string(x.session_present) +
                     " rc=" + std::to_string(x.return_code);
            } else if constexpr (std::is_same_v<T, publish_packet>) {
                s += " q" + std::to_string(x.qos) + " d" + std::to_string(x.dup) + " r" +
                     std::to_string(x.retain) + " id=" + std::to_string(x.packet_id) + " '" +
                     std::string(x.topic) + "' " + std::to_string(x.payload.size()) + " bytes";
            } else if constexpr (std::is_same_v<T, ack_packet>) {
                s += " id=" + std::to_string(x.packet_id);
            } else if constexpr (std::is_same_v<T, subscribe_packet> ||
                                 std::is_same_v<T, suback_packet> ||
                                 std::is_same_v<T, unsubscribe_packet>) {
                s += " id=" + std::to_string(x.packet_id);
            }
        },
        p);
    return s;
}

}  // namespace piogate::mqtt::testing
