// One broker of a client's broker list: where to connect. A list is tried in order, as Paho
// C's server URI list (see async_client::connect).
//
// Pure value type and pure functions: no sockets, no name lookups; callable from any thread.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <cstdint>
#include <string>
#include <string_view>

#include "piogate/mqtt/types.hpp"

namespace piogate::mqtt {

struct broker_address {
    // A DNS name or an address literal (IPv6 without brackets: "::1"); with transport
    // unix_socket, the path of the broker's Unix-domain socket.
    std::string host;
    std::uint16_t port = 1883;  // ignored for unix_socket
    // tcp means "the client's transport" (client_options::transport, tcp by default), so a
    // plain host:port follows the client; websockets or unix_socket here is this address's own
    // (see effective_transport). TLS is not chosen here: it is per client
    // (client_options::tls) and applies to every address of the list.
    transport_kind transport = transport_kind::tcp;

    friend bool operator==(const broker_address&, const broker_address&) = default;
};

// The transport used for `b` by a client whose client_options::transport is `client_default`.
transport_kind effective_transport(const broker_address& b, transport_kind client_default);

// Throws std::invalid_argument naming the address for an empty host, or port 0 where the
// transport is TCP-based. What connect() checks of each address.
void check_broker_address(const broker_address& b, transport_kind client_default);

// For logs and status lines: "host:port", with brackets around an IPv6 literal ("[::1]:1883");
// "ws://host:port" for websockets; "unix://PATH" for unix_socket.
std::string to_string(const broker_address& b);

// Parses "host", "host:port", "[v6]", "[v6]:port", or a bare IPv6 literal such as "::1" (more
// than one ':' and no brackets: all host, no port), optionally after "tcp://" or "mqtt://";
// after "ws://" the same with transport websockets (no path: that is
// client_options::websocket); "unix://PATH" (or "unix:PATH") is a Unix-domain socket.
// `default_port` is used when the text has none. Throws std::invalid_argument naming the text
// for an empty host or path, a bad or out-of-range port (1..65535), unbalanced brackets or
// another scheme (ssl://, wss://: TLS is client_options::tls).
broker_address parse_broker_address(std::string_view text, std::uint16_t default_port);

}  // namespace piogate::mqtt
