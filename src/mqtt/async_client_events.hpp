// How async_client reports what its session tells: the client_callbacks calls in their 5.0
// form (on_*_v5) when set, else their 3.1.1 form, with the codes a 3.1 / 3.1.1 session lacks
// filled in (from_connack_v311, granted QoS, success per publish and per unsubscribed
// filter, the nearest code for what ended a connection).
//
// Thread: the client's event-loop thread, like every callback. Holds no pointer to the
// client: each call takes the callbacks (null once the owner is gone: nothing is called).
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "piogate/mqtt/callbacks.hpp"
#include "piogate/mqtt/properties.hpp"
#include "piogate/mqtt/reason_code.hpp"

namespace piogate::mqtt {

// 3.1 / 3.1.1 have no reason code for what ended a connection: the nearest 5.0 code for the
// cause (normal_disconnection after disconnect(), keep_alive_timeout, malformed_packet,
// protocol_error, packet_too_large; unspecified_error otherwise).
reason_code disconnect_reason(std::error_code cause) noexcept;

// A CONNACK code in words: to_string(reason_code) for 5.0, connack_string for 3.1 / 3.1.1.
std::string connack_text(bool v5, int code);
// The same for a CONNACK code already mapped to a reason code (for 3.1 / 3.1.1 by
// from_connack_v311: the words of the return code it came from).
std::string refusal_text(bool v5, reason_code rc);

class client_events {
public:
    explicit client_events(bool v5) : v5_(v5) {}

    void connected(client_callbacks* cb, int code, bool session_present, const properties& props);
    void published(client_callbacks* cb, int mid, reason_code rc, const properties& props);
    void subscribed(client_callbacks* cb, int mid, std::span<const int> codes,
                    const properties& props);
    // `codes` empty (3.1 / 3.1.1): one success per filter of the request.
    void unsubscribed(client_callbacks* cb, int mid, std::span<const std::uint8_t> codes,
                      std::size_t filters, const properties& props);
    // A 5.0 broker sent DISCONNECT: kept for the disconnected() that follows.
    void server_disconnect(reason_code rc, const properties& props);
    // An established connection ended for `cause`.
    void disconnected(client_callbacks* cb, std::error_code cause);
    // A new connection attempt: forget a DISCONNECT of the previous connection.
    void reset() { server_disconnect_.reset(); }

private:
    bool v5_;
    std::optional<std::pair<reason_code, properties>> server_disconnect_;
    std::vector<reason_code> codes_;  // scratch for the 5.0 forms
};

}  // namespace piogate::mqtt
