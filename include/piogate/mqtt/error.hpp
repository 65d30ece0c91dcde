// Error codes of the piogate MQTT client.
//
// Run-time failures are reported as std::error_code in the `piogate::mqtt::errc` category;
// invalid arguments (a topic with wildcards, QoS 3) throw std::invalid_argument, as a
// programming error, the way Paho raises ValueError.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <cstdint>
#include <string>
#include <system_error>

namespace piogate::mqtt {

enum class errc {
    success = 0,
    no_connection = 1,        // not connected and the call cannot be queued
    connection_lost,          // transport failed or the peer closed it
    connection_refused,       // CONNACK with a non-zero return code (see connack_string)
    connect_timeout,          // no CONNACK in time
    keepalive_timeout,        // no PINGRESP within the keepalive period
    malformed_packet,         // inbound bytes violate the MQTT wire format
    protocol_error,           // well-formed packet that is not allowed here
    packet_too_large,         // inbound packet larger than the configured limit
    queue_full,               // offline/window queue full and the policy is `reject`
    message_dropped,          // dropped from a full queue by the `drop_oldest` policy
    disconnected_by_user,     // disconnect() was called
    session_lost,             // broker did not keep the session; QoS 2 after PUBREC may be lost
    tls_error,
    dns_failure,
    not_authorized,
};

const std::error_category& mqtt_category() noexcept;

inline std::error_code make_error_code(errc e) noexcept {
    return {static_cast<int>(e), mqtt_category()};
}

// Thrown by the blocking client::connect(): code() says why (connection_refused, dns_failure,
// connect_timeout, tls_error, connection_lost), what() says it in words.
class connect_error : public std::system_error {
public:
    using std::system_error::system_error;
};

// CONNACK return codes of MQTT 3.1 / 3.1.1 (section 3.2.2.3), spelled out.
std::string connack_string(int return_code);

}  // namespace piogate::mqtt

template <>
struct std::is_error_code_enum<piogate::mqtt::errc> : std::true_type {};
