// Byte-building helpers for the codec tests: MQTT fields and frames written out by hand, so
// expected bytes do not come from the encoder under test (except the Remaining Length in
// frame(), which has its own boundary tests).
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <cstdint>
#include <initializer_list>
#include <string_view>

#include "piogate/mqtt/codec.hpp"

namespace piogate::mqtt::testing {

inline byte_buffer bytes(std::initializer_list<int> list) {
    byte_buffer b;
    for (int v : list) b.push_back(static_cast<std::uint8_t>(v));
    return b;
}

inline byte_buffer cat(byte_buffer a, const byte_buffer& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

// A UTF-8 string or binary field (section 1.5.3): length MSB, LSB, then the bytes.
inline byte_buffer field(std::string_view s) {
    byte_buffer b;
    b.push_back(static_cast<std::uint8_t>(s.size() >> 8));
    b.push_back(static_cast<std::uint8_t>(s.size() & 0xFF));
    for (char c : s)
        b.push_back(static_cast<std::uint8_t>(c));  // insert() trips GCC 12's -Warray-bounds
    return b;
}

// A whole packet from its first byte and body; the Remaining Length is computed.
inline byte_buffer frame(std::uint8_t first, const byte_buffer& body) {
    byte_buffer out{first};
    encode_remaining_length(static_cast<std::uint32_t>(body.size()), out);
    return cat(out, body);
}

// A CONNECT variable header (name, level, flags, keepalive 60) with the given flags.
inline byte_buffer connect_head(int flags, std::string_view name = "MQTT", int level = 4) {
    return cat(field(name), bytes({level, flags, 0x00, 0x3C}));
}

}  // namespace piogate::mqtt::testing
