// Decoders of the MQTT 5.0 packet bodies whose layout differs from 3.1.1 (private to the
// codec; decode.cpp calls them when the version is 5.0).
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include "mqtt/wire.hpp"
#include "piogate/mqtt/packet.hpp"

namespace piogate::mqtt::v5 {

bool decode_connack(wire::reader& r, connack_packet& p);
// PUBACK, PUBREC, PUBREL, PUBCOMP (short forms included) and UNSUBACK.
bool decode_ack(wire::reader& r, ack_packet& p);
bool decode_suback(wire::reader& r, suback_packet& p);
// DISCONNECT and AUTH: remaining length 0 means reason code 0 without properties.
bool decode_disconnect(wire::reader& r, empty_packet& p);
bool decode_auth(wire::reader& r, auth_packet& p);
// Subscription options byte: reserved bits and QoS 3 are malformed, retain handling 3 a
// protocol error.
bool check_subscribe_options(wire::reader& r, std::uint8_t options, std::string_view filter);

}  // namespace piogate::mqtt::v5
