// One broker of a client's broker list: where to connect. A list is tried in order, as Paho
// C's server URI list (see async_client::connect).
//
// Pure value type and pure functions: no sockets, no name lookups; callable from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "piogate/mqtt/types.hpp"

namespace piogate::mqtt {

struct broker_address {
    std::string host;  // a DNS name or an address literal (IPv6 without brackets: "::1")
    std::uint16_t port = 1883;
    // Only tcp is supported today (connect() refuses websockets with std::invalid_argument).
    // TLS is not chosen here: it is per client (client_options::tls) and applies to every
    // address of the list.
    transport_kind transport = transport_kind::tcp;

    friend bool operator==(const broker_address&, const broker_address&) = default;
};

// "host:port", with brackets around an IPv6 literal: "[::1]:1883". For logs and status lines.
std::string to_string(const broker_address& b);

// Parses "host", "host:port", "[v6]", "[v6]:port", or a bare IPv6 literal such as "::1" (more
// than one ':' and no brackets: all host, no port), optionally after "tcp://" or "mqtt://".
// `default_port` is used when the text has none. Throws std::invalid_argument naming the text
// for an empty host, a bad or out-of-range port (1..65535), unbalanced brackets or another
// scheme (ws://, ssl://: TLS is client_options::tls).
broker_address parse_broker_address(std::string_view text, std::uint16_t default_port);

}  // namespace piogate::mqtt
