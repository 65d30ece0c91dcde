// The callbacks both client faces offer, named as in Paho. Each may be left empty.
// They run on the thread that runs the client's event loop, one at a time; they may call
// back into the client (publish from on_message, subscribe from on_connect, ...).
//
// Two forms: the 3.1.1-shaped ones (on_connect, on_disconnect, on_publish, on_subscribe,
// on_unsubscribe) and, for MQTT 5.0, the on_*_v5 ones with reason codes and properties. When a
// _v5 form is set it is called INSTEAD of its 3.1.1 form, for every protocol version, so a
// program written against the _v5 forms does not change between 3.1.1 and 5.0: for 3.1 /
// 3.1.1 their properties are empty and their codes are mapped (the CONNACK return code by
// from_connack_v311, the SUBACK return codes as they are (granted QoS 0..2, 0x80 failure),
// success for a publish and one success per unsubscribed filter, the nearest code for what
// ended a connection). Programs that set only the 3.1.1 forms work as before with 5.0 too.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <functional>
#include <span>
#include <string_view>
#include <system_error>

#include "piogate/mqtt/callback_flags.hpp"
#include "piogate/mqtt/properties.hpp"
#include "piogate/mqtt/reason_code.hpp"
#include "piogate/mqtt/types.hpp"

namespace piogate::mqtt {

struct client_callbacks {
    // CONNACK arrived: return_code 0 = accepted, else the refusal (see connack_string; for
    // 5.0 the CONNACK's reason code, to_string(reason_code) names it).
    std::function<void(int return_code, bool session_present)> on_connect;
    // A connection attempt failed before CONNACK (DNS, TCP, TLS, timeout).
    std::function<void(std::error_code reason, std::string_view detail)> on_connect_fail;
    // An established connection ended; errc::disconnected_by_user after disconnect(),
    // errc::connection_lost when a 5.0 broker sent DISCONNECT (on_disconnect_v5 has its code).
    std::function<void(std::error_code reason)> on_disconnect;
    // A message no per-filter callback (message_callback_add) matched. For 5.0,
    // message::props points to the PUBLISH's properties.
    std::function<void(const message& msg)> on_message;
    // QoS 0: written to the socket; QoS 1: PUBACK; QoS 2: PUBCOMP (or a 5.0 PUBREC with an
    // error code, which ends the exchange).
    std::function<void(int mid)> on_publish;
    std::function<void(int mid, std::span<const int> granted_qos)> on_subscribe;
    std::function<void(int mid)> on_unsubscribe;
    std::function<void(log_level level, std::string_view text)> on_log;

    // --- the 5.0 forms (optional; each replaces its 3.1.1 form when set) ---
    // CONNACK: rc success or the refusal; props the CONNACK's (receive maximum, maximum
    // packet size, assigned client identifier, server keep alive, reason string, ...).
    std::function<void(const connect_flags& flags, reason_code rc, const properties& props)>
        on_connect_v5;
    // An established connection ended. flags.cause as on_disconnect's reason. When a 5.0
    // broker sent DISCONNECT (flags.is_disconnect_packet_from_server), rc and props are its
    // reason code (session_taken_over, server_shutting_down, ...) and properties (reason
    // string, server reference); else rc is normal_disconnection after disconnect() or the
    // nearest code for the cause (keep_alive_timeout, ..., unspecified_error for a lost link).
    std::function<void(const disconnect_flags& flags, reason_code rc, const properties& props)>
        on_disconnect_v5;
    // rc: the PUBACK / PUBREC / PUBCOMP reason code (success, no_matching_subscribers, or the
    // broker's refusal >= 0x80; packet_too_large for a queued message the broker's Maximum
    // Packet Size refuses), success for QoS 0; props the ack's (reason string).
    std::function<void(int mid, reason_code rc, const properties& props)> on_publish_v5;
    // One code per filter, in the order subscribed: the granted QoS or the refusal.
    std::function<void(int mid, std::span<const reason_code> rcs, const properties& props)>
        on_subscribe_v5;
    // One code per filter: success, no_subscription_existed, or the refusal.
    std::function<void(int mid, std::span<const reason_code> rcs, const properties& props)>
        on_unsubscribe_v5;
};

}  // namespace piogate::mqtt
