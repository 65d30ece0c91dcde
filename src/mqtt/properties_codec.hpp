// Encoding and decoding of MQTT 5.0 property lists (OASIS MQTT 5.0, section 2.2.2), with the
// rules of which packet may carry which property (private to the codec).
//
// Pure functions. Encoding throws std::invalid_argument for a property the packet may not
// carry or a value that cannot be encoded; decoding reports through the reader: a property
// unknown or not allowed on the packet is malformed_packet, a repeated one or a value the spec
// forbids (a Topic Alias of 0, Receive Maximum 0, ...) is protocol_error.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <cstdint>

#include "mqtt/wire.hpp"
#include "piogate/mqtt/properties.hpp"

namespace piogate::mqtt {

// Where a property list sits. `ack` is PUBACK, PUBREC, PUBREL and PUBCOMP.
enum class property_context : std::uint8_t {
    connect,
    will,
    connack,
    publish,
    ack,
    subscribe,
    suback,
    unsubscribe,
    unsuback,
    disconnect,
    auth,
};

// Bytes of the property list without its length prefix. Throws as described above.
std::size_t properties_body_size(const properties& p, property_context where);
// Bytes of the property list with its length prefix.
std::size_t properties_size(const properties& p, property_context where);
// Appends the length prefix and the properties in a fixed order (the spec sets none): one-byte,
// two-byte, four-byte and string properties, subscription identifiers, user properties.
void encode_properties(const properties& p, property_context where, byte_buffer& out);
// Reads a length-prefixed property list into `p` (which should be empty).
bool decode_properties(wire::reader& r, property_context where, properties& p);

}  // namespace piogate::mqtt
