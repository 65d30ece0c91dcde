// What async_client makes of its client_options: the checked options (a random client id for
// an empty one) and the session's configuration.
//
// Pure functions; safe from any thread.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include "mqtt/session.hpp"
#include "piogate/mqtt/client_options.hpp"

namespace piogate::mqtt {

// Throws std::invalid_argument for bad options (an empty client id without clean_session, a
// client id over 65535 bytes or not UTF-8, a bad will topic or QoS, a password without a user
// name in 3.1.1, bad MQTT 5.0 options: check_connect_properties).
client_options validated(client_options o);

// The session's configuration from the options (client_options::mqtt5 for 5.0 only).
session_config to_session_config(const client_options& o);

}  // namespace piogate::mqtt
