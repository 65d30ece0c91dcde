// async_client's callback dispatch (async_client_events.hpp).
#include "mqtt/async_client_events.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <string>

#include "piogate/mqtt/error.hpp"

namespace piogate::mqtt {
namespace {
const properties no_properties{};
}  // namespace

reason_code disconnect_reason(std::error_code cause) noexcept {
    if (cause == errc::disconnected_by_user) return reason_code::normal_disconnection;
    if (cause == errc::keepalive_timeout) return reason_code::keep_alive_timeout;
    if (cause == errc::malformed_packet) return reason_code::malformed_packet;
    if (cause == errc::protocol_error) return reason_code::protocol_error;
    if (cause == errc::packet_too_large) return reason_code::packet_too_large;
    return reason_code::unspecified_error;
}

std::string connack_text(bool v5, int code) {
    if (!v5) return connack_string(code);
    return std::string("connection refused: ") + to_string(static_cast<reason_code>(code)) +
           " (reason code " + std::to_string(code) + ")";
}

std::string refusal_text(bool v5, reason_code rc) {
    if (v5) return connack_text(true, static_cast<int>(rc));
    for (int code = 1; code <= 5; ++code) {
        if (from_connack_v311(static_cast<std::uint8_t>(code)) == rc) return connack_string(code);
    }
    return to_string(rc);
}

void client_events::connected(client_callbacks* cb, int code, bool session_present,
                              const properties& props) {
    if (!cb) return;
    if (cb->on_connect_v5) {
        const reason_code rc = v5_ ? static_cast<reason_code>(code)
                                   : from_connack_v311(static_cast<std::uint8_t>(code));
        cb->on_connect_v5(connect_flags{session_present}, rc, props);
    } else if (cb->on_connect) {
        cb->on_connect(code, session_present);
    }
}

void client_events::published(client_callbacks* cb, int mid, reason_code rc,
                              const properties& props) {
    if (!cb) return;
    if (cb->on_publish_v5) {
        cb->on_publish_v5(mid, rc, props);
    } else if (cb->on_publish) {
        cb->on_publish(mid);
    }
}

void client_events::subscribed(client_callbacks* cb, int mid, std::span<const int> codes,
                               const properties& props) {
    if (!cb) return;
    if (cb->on_subscribe_v5) {
        // 3.1.1's granted QoS 0..2 and failure 0x80 are 5.0's codes of the same value.
        codes_.clear();
        for (const int c : codes) codes_.push_back(static_cast<reason_code>(c));
        cb->on_subscribe_v5(mid, codes_, props);
    } else if (cb->on_subscribe) {
        cb->on_subscribe(mid, codes);
    }
}

void client_events::unsubscribed(client_callbacks* cb, int mid, std::span<const std::uint8_t> codes,
                                 std::size_t filters, const properties& props) {
    if (!cb) return;
    if (cb->on_unsubscribe_v5) {
        codes_.clear();
        if (codes.empty()) {
            codes_.assign(filters, reason_code::success);
        } else {
            for (const auto c : codes) codes_.push_back(static_cast<reason_code>(c));
        }
        cb->on_unsubscribe_v5(mid, codes_, props);
    } else if (cb->on_unsubscribe) {
        cb->on_unsubscribe(mid);
    }
}

void client_events::server_disconnect(reason_code rc, const properties& props) {
    server_disconnect_.emplace(rc, props);
}

void client_events::disconnected(client_callbacks* cb, std::error_code cause) {
    auto from_server = std::exchange(server_disconnect_, std::nullopt);
    if (!cb) return;
    if (cb->on_disconnect_v5) {
        const disconnect_flags flags{from_server.has_value(), cause};
        if (from_server) {
            cb->on_disconnect_v5(flags, from_server->first, from_server->second);
        } else {
            cb->on_disconnect_v5(flags, disconnect_reason(cause), no_properties);
        }
    } else if (cb->on_disconnect) {
        cb->on_disconnect(cause);
    }
}

}  // namespace piogate::mqtt
