// The flags the Paho-style client's on_connect and on_disconnect receive (client.hpp), as
// paho-mqtt 2.x's ConnectFlags and DisconnectFlags.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <system_error>

namespace piogate::mqtt {

struct connect_flags {
    bool session_present = false;  // the broker kept the session of a previous connection
};

struct disconnect_flags {
    // MQTT 5.0: the broker ended the connection with a DISCONNECT packet (its reason code
    // and properties are those on_disconnect receives). Always false for 3.1 / 3.1.1.
    bool is_disconnect_packet_from_server = false;
    // What ended the connection on our side: errc::disconnected_by_user after disconnect(),
    // else the transport or protocol error (connection_lost, keepalive_timeout, ...).
    std::error_code cause;
};

}  // namespace piogate::mqtt
