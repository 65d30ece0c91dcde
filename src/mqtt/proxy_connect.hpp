// Opens a tunnel through an HTTP CONNECT or SOCKS5 proxy (client_options::proxy) over a TCP
// socket already connected to the proxy. The handshakes themselves are pure code
// (proxy_codec.hpp); this only moves their bytes.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <boost/asio/ip/tcp.hpp>
#include <boost/system/error_code.hpp>
#include <cstdint>
#include <functional>
#include <string>

#include "piogate/mqtt/client_options.hpp"

namespace piogate::mqtt {

// Asks the proxy `proxy` (socket connected to it) for a tunnel to host:port (the broker; a
// name is resolved by the proxy, an IPv4/IPv6 literal is sent as an address) and calls
// `done` once, on the socket's executor:
// - success (empty error_code): the socket is a byte stream to host:port. Not one byte after
//   the proxy's reply has been read: HTTP replies are peeked (MSG_PEEK) and consumed exactly
//   up to the empty line that ends the headers; SOCKS5 replies are read to their exact length.
//   The next layer (TLS, WebSocket, MQTT) starts on the raw socket.
// - failure: an error_code in the generic (POSIX) category as proxy_error::code documents
//   (permission_denied for authentication, connection_refused, host_unreachable, ...,
//   protocol_error for a malformed reply), or the socket's own error (eof when the proxy
//   closed early, operation_aborted when the socket was closed meanwhile), and `detail`, one
//   line naming the proxy, the target and the reason: "HTTP proxy 127.0.0.1:8888 refused
//   CONNECT broker:1883: 403 Forbidden". The caller closes the socket.
// No timeout of its own: the client's connect timeout covers it (closing the socket ends the
// operation with operation_aborted). Thread: call on the socket's executor; the socket must
// stay alive until `done` runs. Throws nothing (std::bad_alloc aside).
void async_proxy_connect(
    boost::asio::ip::tcp::socket& socket, const proxy_options& proxy, const std::string& host,
    std::uint16_t port,
    std::function<void(const boost::system::error_code&, std::string detail)> done);

// "HTTP proxy 127.0.0.1:8080" / "SOCKS5 proxy [::1]:1080", for logs and error texts.
std::string describe_proxy(const proxy_options& proxy);

}  // namespace piogate::mqtt
