// Field-level reading and writing shared by the encoders and decoders (private to the codec).
//
// Writers append to a byte_buffer; the *_size functions check what they size and throw
// std::invalid_argument for what cannot be encoded, so an encoder sizes everything before it
// appends anything. The reader is bounds-checked and records the first failure with the
// reason code it maps to (malformed_packet unless said otherwise).
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

#include "piogate/mqtt/codec.hpp"
#include "piogate/mqtt/reason_code.hpp"
#include "piogate/mqtt/topic.hpp"

namespace piogate::mqtt::wire {

inline constexpr std::uint32_t max_vbi = 268'435'455;

inline void put_u16(std::uint16_t v, byte_buffer& out) {
    out.push_back(static_cast<std::uint8_t>(v >> 8));
    out.push_back(static_cast<std::uint8_t>(v & 0xFF));
}

inline void put_u32(std::uint32_t v, byte_buffer& out) {
    for (int shift = 24; shift >= 0; shift -= 8)
        out.push_back(static_cast<std::uint8_t>(v >> shift));
}

inline void put_bytes(std::string_view s, byte_buffer& out) {
    out.insert(out.end(), s.begin(), s.end());
}

inline std::size_t string_size(std::string_view s) {
    if (s.size() > 65535) {
        throw std::invalid_argument("MQTT string of " + std::to_string(s.size()) +
                                    " bytes exceeds 65535");
    }
    return 2 + s.size();
}

inline void put_string(std::string_view s, byte_buffer& out) {
    put_u16(static_cast<std::uint16_t>(s.size()), out);
    put_bytes(s, out);
}

// Bytes a Variable Byte Integer takes (section 1.5.5 of 5.0, 2.2.3 of 3.1.1).
inline std::size_t vbi_size(std::size_t v) {
    if (v > max_vbi) {
        throw std::invalid_argument("value " + std::to_string(v) +
                                    " exceeds the variable byte integer limit 268435455");
    }
    return v < 128 ? 1 : v < 16384 ? 2 : v < 2097152 ? 3 : 4;
}

inline void put_vbi(std::uint32_t v, byte_buffer& out) {
    encode_remaining_length(v, out);
}

inline void put_header(std::uint8_t first, std::size_t remaining, byte_buffer& out) {
    if (remaining > max_remaining_length) {
        throw std::invalid_argument("MQTT packet of " + std::to_string(remaining) +
                                    " bytes exceeds the 268435455 byte limit");
    }
    out.push_back(first);
    encode_remaining_length(static_cast<std::uint32_t>(remaining), out);
}

// A bounds-checked reader over one packet's variable header and payload.
class reader {
public:
    explicit reader(std::span<const std::uint8_t> body) : body_(body) {}

    bool u8(std::uint8_t& v) {
        if (left() < 1) return fail("packet ends inside a field");
        v = body_[pos_++];
        return true;
    }
    bool u16(std::uint16_t& v) {
        if (left() < 2) return fail("packet ends inside a field");
        v = static_cast<std::uint16_t>((body_[pos_] << 8) | body_[pos_ + 1]);
        pos_ += 2;
        return true;
    }
    bool u32(std::uint32_t& v) {
        if (left() < 4) return fail("packet ends inside a field");
        v = (std::uint32_t{body_[pos_]} << 24) | (std::uint32_t{body_[pos_ + 1]} << 16) |
            (std::uint32_t{body_[pos_ + 2]} << 8) | body_[pos_ + 3];
        pos_ += 4;
        return true;
    }
    // A Variable Byte Integer in its shortest form, at most four bytes.
    bool vbi(std::uint32_t& v, const char* what) {
        v = 0;
        std::uint32_t multiplier = 1;
        for (int i = 0; i < 4; ++i) {
            std::uint8_t b = 0;
            if (!u8(b)) return false;
            v += (b & 0x7Fu) * multiplier;
            if ((b & 0x80) == 0) {
                if (b == 0 && i > 0) return fail(std::string(what) + " not in its shortest form");
                return true;
            }
            multiplier *= 128;
        }
        return fail(std::string(what) + " longer than four bytes");
    }
    // A length-prefixed string; `utf8` checks it as MQTT UTF-8 (binary data is not checked).
    bool string(std::string_view& v, bool utf8, const char* what) {
        std::uint16_t n = 0;
        if (!u16(n)) return false;
        if (left() < n) return fail(std::string(what) + " runs past the end of the packet");
        v = std::string_view(reinterpret_cast<const char*>(body_.data() + pos_), n);
        pos_ += n;
        if (utf8 && !is_valid_utf8(v)) return fail(std::string(what) + " is not valid UTF-8");
        return true;
    }
    std::string_view rest() {
        auto v = std::string_view(reinterpret_cast<const char*>(body_.data() + pos_), left());
        pos_ = body_.size();
        return v;
    }
    // A reader over the next `n` bytes (a property list); this one skips past them.
    bool sub(std::size_t n, reader& out) {
        if (left() < n) return fail("property length runs past the end of the packet");
        out = reader(body_.subspan(pos_, n));
        pos_ += n;
        return true;
    }
    std::size_t left() const { return body_.size() - pos_; }
    bool fail(std::string why, reason_code rc = reason_code::malformed_packet) {
        if (error_.empty()) {
            error_ = std::move(why);
            reason_ = rc;
        }
        return false;
    }
    bool protocol_error(std::string why) {
        return fail(std::move(why), reason_code::protocol_error);
    }
    // Takes over the failure of a sub-reader.
    bool fail_from(const reader& inner) { return fail(inner.error(), inner.reason()); }
    const std::string& error() const { return error_; }
    reason_code reason() const { return reason_; }

private:
    std::span<const std::uint8_t> body_;
    std::size_t pos_ = 0;
    std::string error_;
    reason_code reason_ = reason_code::malformed_packet;
};

}  // namespace piogate::mqtt::wire
