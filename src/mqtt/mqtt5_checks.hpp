// Argument checks for the MQTT 5.0 parts of the client faces' calls, made on the caller's
// thread so that both faces refuse the same things with the same words.
//
// Pure functions; safe from any thread. Each throws std::invalid_argument naming the property
// or option at fault, and returns normally when the arguments are acceptable.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "piogate/mqtt/client_options.hpp"
#include "piogate/mqtt/packet.hpp"
#include "piogate/mqtt/properties.hpp"

namespace piogate::mqtt {

// PUBLISH properties: none on 3.1 / 3.1.1; no Topic Alias (the client manages aliases) or
// Subscription Identifier (broker to client only); Payload Format Indicator 0 or 1, and 1 only
// with a UTF-8 payload; a Message Expiry Interval, Content Type and Response Topic as the
// standard wants them (the response topic a valid topic name).
void check_publish_properties(protocol_version version, std::string_view payload,
                              const properties& props);

// SUBSCRIBE with options: at least one filter, each a valid filter, QoS 0..2, retain handling
// 0..2, no_local not on a shared subscription ($share/...); properties at most one
// Subscription Identifier (1..268,435,455) and user properties. Options beyond a plain QoS and
// any property need 5.0.
void check_subscribe_request(protocol_version version,
                             std::span<const std::pair<std::string, subscribe_options>> filters,
                             const properties& props);

// client_options::mqtt5 for a 5.0 client: Receive Maximum not 0, the will's properties fit a
// will (payload format 1 with a UTF-8 will payload, no alias or subscription identifier).
void check_connect_properties(const client_options& options);

}  // namespace piogate::mqtt
