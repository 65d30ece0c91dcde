// The callbacks both client faces offer, named as in Paho. Each may be left empty.
// They run on the thread that runs the client's event loop, one at a time; they may call
// back into the client (publish from on_message, subscribe from on_connect, ...).
#pragma once

#include <functional>
#include <span>
#include <string_view>
#include <system_error>

#include "piogate/mqtt/types.hpp"

namespace piogate::mqtt {

struct client_callbacks {
    // CONNACK arrived: return_code 0 = accepted, else the refusal (see connack_string).
    std::function<void(int return_code, bool session_present)> on_connect;
    // A connection attempt failed before CONNACK (DNS, TCP, TLS, timeout).
    std::function<void(std::error_code reason, std::string_view detail)> on_connect_fail;
    // An established connection ended; errc::disconnected_by_user after disconnect().
    std::function<void(std::error_code reason)> on_disconnect;
    // A message no per-filter callback (message_callback_add) matched.
    std::function<void(const message& msg)> on_message;
    // QoS 0: written to the socket; QoS 1: PUBACK; QoS 2: PUBCOMP.
    std::function<void(int mid)> on_publish;
    std::function<void(int mid, std::span<const int> granted_qos)> on_subscribe;
    std::function<void(int mid)> on_unsubscribe;
    std::function<void(log_level level, std::string_view text)> on_log;
};

}  // namespace piogate::mqtt
