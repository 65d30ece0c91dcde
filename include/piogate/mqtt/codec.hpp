// The MQTT wire codec: bytes in, packets or a precise error out; packets in, bytes out.
//
// Pure functions: no socket, no timer, no global state; safe from any thread.
// Encoders append to a caller-owned buffer (so many packets batch into one write) and throw
// std::invalid_argument when a field cannot be encoded (a string over 65,535 bytes, a packet
// over 268,435,455 bytes, a 5.0 property the packet may not carry). Decoders never throw:
// malformed input is a `decode_status::malformed` result with the reason in words and as the
// 5.0 reason code a receiver reports (malformed_packet, protocol_error, ...).
//
// Versions: encoders take the protocol version (CONNECT carries its own); the 5.0 fields of a
// packet (reason codes, properties) are written only for v5 and ignored otherwise, so 3.1.1
// output is byte for byte what it was. decode_packet takes the version negotiated (CONNECT is
// decoded by its own protocol level).
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "piogate/mqtt/packet.hpp"
#include "piogate/mqtt/reason_code.hpp"

namespace piogate::mqtt {

using byte_buffer = std::vector<std::uint8_t>;

inline constexpr std::uint32_t max_remaining_length = 268'435'455;

enum class decode_status : std::uint8_t { ok, incomplete, malformed };

// The fixed header: first byte and remaining length.
struct frame_header {
    std::uint8_t first_byte = 0;
    std::uint32_t remaining_length = 0;
    std::uint8_t header_size = 0;  // 2..5 bytes
    std::size_t total_size() const { return header_size + std::size_t{remaining_length}; }
};

struct header_result {
    decode_status status = decode_status::incomplete;
    frame_header header;
    const char* error = nullptr;  // static text when malformed
};

// Reads the fixed header at the start of `in`. Incomplete when `in` ends inside it; malformed
// when the remaining length has a fifth byte or is not in its shortest form.
header_result decode_header(std::span<const std::uint8_t> in) noexcept;

struct decode_result {
    decode_status status = decode_status::incomplete;
    std::size_t consumed = 0;  // bytes of `in` used by the packet when ok
    packet pkt;
    std::string error;                          // the reason when malformed
    reason_code reason = reason_code::success;  // when malformed: what a 5.0 receiver reports
};

// Decodes one whole packet at the start of `in`, validating reserved flags, lengths, UTF-8
// strings and topic rules for `version`. Views in the result point into `in`.
decode_result decode_packet(std::span<const std::uint8_t> in, protocol_version version);

// Encoders (append to `out`).
void encode_remaining_length(std::uint32_t length, byte_buffer& out);
void encode_connect(const connect_packet& p, byte_buffer& out);  // p.version
void encode_connack(const connack_packet& p, byte_buffer& out,
                    protocol_version v = protocol_version::v311);
void encode_publish(const publish_packet& p, byte_buffer& out,
                    protocol_version v = protocol_version::v311);
// 5.0: the short forms when they say it all (no properties: no property length; success and
// no properties: packet identifier only; UNSUBACK writes `reason_codes`).
void encode_ack(const ack_packet& p, byte_buffer& out, protocol_version v = protocol_version::v311);
void encode_subscribe(const subscribe_packet& p, byte_buffer& out,
                      protocol_version v = protocol_version::v311);
void encode_suback(const suback_packet& p, byte_buffer& out,
                   protocol_version v = protocol_version::v311);
void encode_unsubscribe(const unsubscribe_packet& p, byte_buffer& out,
                        protocol_version v = protocol_version::v311);
// 5.0 DISCONNECT: remaining length 0 for a normal disconnection without properties.
void encode_empty(const empty_packet& p, byte_buffer& out,
                  protocol_version v = protocol_version::v311);
// 5.0 only (throws std::invalid_argument for another version).
void encode_auth(const auth_packet& p, byte_buffer& out, protocol_version v = protocol_version::v5);
void encode(const packet& p, byte_buffer& out, protocol_version v = protocol_version::v311);

}  // namespace piogate::mqtt
