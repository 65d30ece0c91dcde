// Byte-stream transports under the MQTT session: plain TCP and TLS (WebSocket later).
//
// The client resolves and connects the TCP socket (lowest_layer()); the transport then runs
// its own handshake (TLS) and moves bytes. Thread: the client's event-loop thread only.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <system_error>

#include "piogate/mqtt/client_options.hpp"

namespace piogate::mqtt {

using io_handler = std::function<void(const boost::system::error_code&, std::size_t)>;

class transport {
public:
    virtual ~transport() = default;
    virtual boost::asio::ip::tcp::socket& socket() = 0;
    // After TCP connect: TLS handshake (with SNI and certificate checks for `host`), or nothing.
    virtual void async_handshake(const std::string& host,
                                 std::function<void(const boost::system::error_code&)> done) = 0;
    virtual void async_read_some(boost::asio::mutable_buffer buffer, io_handler done) = 0;
    virtual void async_write(boost::asio::const_buffer buffer, io_handler done) = 0;
    virtual void close() noexcept = 0;
    // Half-close after DISCONNECT: stop sending, keep reading until the broker closes, so
    // bytes still in flight from it cannot make the kernel reset the connection (a reset
    // makes the broker publish the will).
    void shutdown_send() noexcept {
        boost::system::error_code ignored;
        socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ignored);
    }
    // Acknowledge the bytes received so far at once rather than on the delayed-ACK timer
    // (Linux TCP_QUICKACK; the kernel falls back to delaying, so this is per read). For when
    // nothing we send is about to carry the ACK: a broker with Nagle on (mosquitto's default,
    // set_tcp_nodelay false) holds its next small packet to us until that ACK, ~40 ms.
    void quick_ack() noexcept;
};

// Makes a fresh transport per connection attempt; holds the TLS context, loaded once.
class transport_factory {
public:
    // Throws std::runtime_error naming the file when a CA, certificate or key cannot be loaded.
    transport_factory(boost::asio::io_context& io, const client_options& options);
    ~transport_factory();
    std::unique_ptr<transport> create();
    bool uses_tls() const;

private:
    struct state;
    std::unique_ptr<state> state_;
};

}  // namespace piogate::mqtt
