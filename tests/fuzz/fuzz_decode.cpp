// libFuzzer target: arbitrary bytes into decode_header / decode_packet for MQTT 3.1, 3.1.1
// and 5.0.
//
// Beyond "no crash, no sanitizer report" it checks the codec's contract:
//  - the header and packet decoders agree on incomplete / malformed / the frame size;
//  - a malformed result carries a reason, an ok result consumes exactly the frame;
//  - one byte less than a judged frame is always incomplete (a reader can wait safely);
//  - every ok packet re-encodes without throwing to the very same bytes (the codec accepts only
//    canonical encodings), and decodes again to a structurally equal packet. 5.0 has no single
//    canonical form (properties in any order, an empty property list may be left out), so there
//    the re-encoding must decode to an equal packet and encode again to the same bytes;
//  - a malformed result names a 5.0 reason code.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <span>
// SPDX-License-Identifier: Apache-2.0
#include "fuzz/packet_equal.hpp"
#include "piogate/mqtt/codec.hpp"

using namespace piogate::mqtt;

namespace {

void require(bool ok, const char* what, const packet* p = nullptr) {
    if (ok) return;
    std::fprintf(stderr, "fuzz_decode: %s%s%s\n", what, p ? ": " : "",
                 p ? testing::describe(*p).c_str() : "");
    std::abort();
}

void check_round_trip(std::span<const std::uint8_t> frame, const packet& p, protocol_version v) {
    byte_buffer wire;
    try {
        encode(p, wire, v);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "fuzz_decode: encode threw: %s\n", e.what());
        require(false, "a decoded packet must encode", &p);
    }
    // CONNECT names its own protocol level, whatever the stream's version: a 5.0 CONNECT met
    // while decoding a 3.1.1 stream is judged by the 5.0 rules (found by this fuzzer).
    if (const auto* c = std::get_if<connect_packet>(&p)) v = c->version;
    // 3.1 has no session present flag; its CONNACK ignores that byte, so it may not come back.
    const bool lossy = (v == protocol_version::v31 && std::holds_alternative<connack_packet>(p)) ||
                       v == protocol_version::v5;
    if (!lossy) {
        require(wire.size() == frame.size() && std::equal(wire.begin(), wire.end(), frame.begin()),
                "re-encoding differs from the input", &p);
    }
    decode_result again = decode_packet(wire, v);
    require(again.status == decode_status::ok, "re-encoded packet does not decode", &p);
    require(again.consumed == wire.size(), "re-encoded packet not consumed whole", &p);
    require(testing::packets_equal(again.pkt, p), "round trip changed the packet", &p);
    if (v == protocol_version::v5) {
        byte_buffer twice;
        encode(again.pkt, twice, v);
        require(twice == wire, "5.0 re-encoding is not a fixed point", &p);
        require(wire.size() <= frame.size(), "5.0 re-encoding grew", &p);
    }
}

// Checks the decoders on `in`; returns the bytes of the ok packet at its start, else 0.
std::size_t check_one(std::span<const std::uint8_t> in, protocol_version v) {
    const header_result h = decode_header(in);
    const decode_result r = decode_packet(in, v);
    switch (h.status) {
        case decode_status::incomplete:
            require(r.status == decode_status::incomplete, "header incomplete, packet not");
            require(h.error == nullptr, "incomplete header with an error");
            return 0;
        case decode_status::malformed:
            require(r.status == decode_status::malformed, "header malformed, packet not");
            require(h.error != nullptr && *h.error != '\0', "malformed header without a reason");
            return 0;
        case decode_status::ok:
            break;
    }
    require(h.header.header_size >= 2 && h.header.header_size <= 5, "header size out of 2..5");
    require(h.header.header_size <= in.size(), "header longer than the input");
    require(h.header.remaining_length <= max_remaining_length, "remaining length over the limit");
    require(h.header.first_byte == in[0], "first byte not the input's");
    const std::size_t total = h.header.total_size();
    if (in.size() < total) {
        require(r.status == decode_status::incomplete, "partial frame not incomplete");
        return 0;
    }
    // Whatever the verdict on the whole frame, one byte less must be "wait for more".
    const decode_result shorter = decode_packet(in.first(total - 1), v);
    require(shorter.status == decode_status::incomplete, "a frame prefix is not incomplete");
    if (r.status == decode_status::malformed) {
        require(!r.error.empty(), "malformed without a reason");
        require(is_error(r.reason), "malformed without an error reason code");
        require(r.consumed == 0, "malformed consumed bytes");
        return 0;
    }
    require(r.status == decode_status::ok, "complete frame reported incomplete");
    require(r.error.empty(), "ok with an error");
    require(r.consumed == total, "ok did not consume exactly the frame");
    require(static_cast<std::uint8_t>(type_of(r.pkt)) == (in[0] >> 4), "type differs from byte 0");
    // The same frame alone, with nothing after it, decodes the same way.
    const decode_result alone = decode_packet(in.first(total), v);
    require(alone.status == decode_status::ok && testing::packets_equal(alone.pkt, r.pkt),
            "trailing input changed the packet");
    check_round_trip(in.first(total), r.pkt, v);
    return total;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::span<const std::uint8_t> in(data, size);
    for (auto v : {protocol_version::v31, protocol_version::v311, protocol_version::v5}) {
        // Walk the input as a stream of packets, the way a receiver does.
        std::span<const std::uint8_t> rest = in;
        for (int n = 0; n < 64; ++n) {
            const std::size_t used = check_one(rest, v);
            if (used == 0) break;
            rest = rest.subspan(used);
        }
    }
    return 0;
}
