// Byte-stream transports under the MQTT session, built as layers over a stream socket:
//
//     tcp socket | unix socket   →   TLS (optional)   →   WebSocket (optional)
//
// Each layer has its own handshake, run bottom-up after the socket is connected
// (transport_layers.hpp); a combination (wss = tcp → TLS → WebSocket) is a composition of
// layers, not a class of its own. The client connects the lowest layer itself (resolving,
// failover, bind_address, a proxy), then calls async_handshake() and moves bytes.
//
// Thread: the client's event-loop thread only. Lifetime: keep the transport alive (the
// client's handlers hold its shared_ptr) until every operation started on it has completed.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <system_error>

#include "piogate/mqtt/client_options.hpp"

namespace piogate::mqtt {

using io_handler = std::function<void(const boost::system::error_code&, std::size_t)>;
using unix_socket = boost::asio::local::stream_protocol::socket;

// What the layers above the socket need to know of the broker.
struct handshake_target {
    std::string host;  // DNS name, address literal or (unix) socket path: SNI, certificate
                       // check, WebSocket Host header
    std::uint16_t port = 0;
    protocol_version protocol = protocol_version::v311;  // picks the WebSocket subprotocol
};

// Which layer's handshake failed, if any. (Not an error_code: the TLS layers live in a module
// of their own, libpiogate_tls.so, with their own copy of every error category.)
enum class handshake_failure : std::uint8_t { none, tls, websocket };
// detail: one line naming the layer, the peer and the cause, for logs and connect_error.
using handshake_handler = std::function<void(handshake_failure failed, std::string detail)>;

class transport {
public:
    virtual ~transport() = default;
    // The lowest layer, for the client to open, bind and connect: exactly one is non-null.
    virtual boost::asio::ip::tcp::socket* tcp_socket() = 0;
    virtual unix_socket* local_socket() = 0;
    // After the socket is connected: the handshake of each layer above it, bottom-up.
    virtual void async_handshake(const handshake_target& target, handshake_handler done) = 0;
    // The byte stream: WebSocket frame and message boundaries are not visible here.
    virtual void async_read_some(boost::asio::mutable_buffer buffer, io_handler done) = 0;
    // Writes all of `buffer` (over WebSocket: one binary message).
    virtual void async_write(boost::asio::const_buffer buffer, io_handler done) = 0;
    // Reads bytes to be thrown away after shutdown_send(), below the WebSocket layer (a
    // cancelled WebSocket read leaves that layer unusable; the bytes are not looked at).
    virtual void async_drain_some(boost::asio::mutable_buffer buffer, io_handler done) = 0;
    virtual void cancel() noexcept = 0;  // pending operations complete with operation_aborted
    virtual void close() noexcept = 0;   // no closing handshake: MQTT's DISCONNECT ended it
    // Half-close after DISCONNECT: stop sending, keep reading until the broker closes, so
    // bytes still in flight from it cannot make the kernel reset the connection (a reset
    // makes the broker publish the will).
    virtual void shutdown_send() noexcept = 0;
    // TCP only (no-op otherwise): acknowledge the bytes received so far at once rather than
    // on the delayed-ACK timer (Linux TCP_QUICKACK, per read). For when nothing we send is
    // about to carry the ACK: a broker with Nagle on (mosquitto's default) holds its next
    // small packet to us until that ACK, ~40 ms.
    virtual void quick_ack() noexcept = 0;
    // "TLS, WebSocket" and the like, for logs; empty for plain TCP.
    virtual const char* layers() const noexcept = 0;
};

// Makes a fresh transport per connection attempt; holds the TLS context, loaded once.
class transport_factory {
public:
    // Throws std::runtime_error naming the file when a CA, certificate or key cannot be
    // loaded, and std::invalid_argument for a bad ALPN protocol name or WebSocket path.
    transport_factory(boost::asio::io_context& io, const client_options& options);
    ~transport_factory();
    // kind: the transport of the address being tried (effective_transport()).
    std::unique_ptr<transport> create(transport_kind kind);
    bool uses_tls() const;

private:
    struct state;
    std::unique_ptr<state> state_;
};

}  // namespace piogate::mqtt
