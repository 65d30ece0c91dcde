// The layers of a transport (see transport.hpp) and stream_transport, which runs a stack of
// them. A stack is an Asio stream type built by nesting: tcp::socket, ssl::stream<tcp::socket>,
// websocket::stream<ssl::stream<tcp::socket>>, ... layer<S> says how S shakes hands (after the
// layer below it has), writes and drains; the TLS layer's is in transport_tls_layer.hpp, so
// only the TLS translation unit sees OpenSSL.
//
// Thread: the client's event-loop thread only.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <boost/asio/basic_stream_socket.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include "mqtt/transport.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

namespace piogate::mqtt {

// What the layers of one transport are configured with (copied into it).
struct layer_config {
    std::optional<tls_options> tls;  // set when the stack has a TLS layer
    websocket_options websocket;
};

// The primary template is left undefined: a stream type without a layer is a compile error.
template <class Stream>
struct layer;

// The bottom: a connected stream socket, nothing to shake hands about.
template <class Protocol, class Executor>
struct layer<boost::asio::basic_stream_socket<Protocol, Executor>> {
    using stream_type = boost::asio::basic_stream_socket<Protocol, Executor>;
    static void handshake(stream_type& s, const handshake_target&, const layer_config&,
                          handshake_handler done) {
        boost::asio::post(s.get_executor(),
                          [done = std::move(done)] { done(handshake_failure::none, {}); });
    }
    static void write(stream_type& s, boost::asio::const_buffer b, io_handler done) {
        boost::asio::async_write(s, b, std::move(done));
    }
    static void drain(stream_type& s, boost::asio::mutable_buffer b, io_handler done) {
        s.async_read_some(b, std::move(done));
    }
};

// "ws://host:port/path" (wss with TLS below), for messages.
std::string websocket_url(const handshake_target& t, const layer_config& c, bool local);

// "host:port" ([v6]:port), for messages and the WebSocket Host header.
std::string authority(const handshake_target& t);

// The WebSocket subprotocol for the MQTT version: "mqttv3.1" for 3.1, "mqtt" otherwise.
const char* websocket_subprotocol(protocol_version v);

// WebSocket over the layer below: the HTTP upgrade, then binary messages. Reads hand on the
// bytes of each message as they come (a packet may span messages, a message may carry several
// packets); each write is one binary message in one frame.
template <class Next>
struct layer<boost::beast::websocket::stream<Next>> {
    using stream_type = boost::beast::websocket::stream<Next>;
    static constexpr bool local =
        std::is_same_v<boost::beast::lowest_layer_type<Next>, unix_socket>;

    static void handshake(stream_type& ws, const handshake_target& t, const layer_config& c,
                          handshake_handler done) {
        layer<Next>::handshake(ws.next_layer(), t, c,
                               [&ws, t, &c, done = std::move(done)](handshake_failure f,
                                                                    std::string detail) mutable {
                                   if (f != handshake_failure::none) return done(f, std::move(detail));
                                   upgrade(ws, t, c, std::move(done));
                               });
    }

    static void upgrade(stream_type& ws, const handshake_target& t, const layer_config& c,
                        handshake_handler done) {
        namespace websocket = boost::beast::websocket;
        ws.binary(true);
        ws.auto_fragment(false);
        ws.read_message_max(0);  // the session bounds packets (max_packet_size), not messages
        ws.set_option(websocket::stream_base::decorator(
            [&c, proto = websocket_subprotocol(t.protocol)](websocket::request_type& req) {
                req.set(boost::beast::http::field::sec_websocket_protocol, proto);
                for (const auto& [name, value] : c.websocket.headers) req.set(name, value);
            }));
        auto response = std::make_shared<websocket::response_type>();
        ws.async_handshake(
            *response, local ? std::string("localhost") : authority(t), c.websocket.path,
            [response, url = websocket_url(t, c, local),
             done = std::move(done)](const boost::system::error_code& ec) {
                if (!ec) return done(handshake_failure::none, {});
                if (ec == websocket::error::upgrade_declined) {
                    return done(handshake_failure::websocket,
                                "WebSocket upgrade to " + url + " refused: " +
                                    std::to_string(response->result_int()) + " " +
                                    std::string(response->reason()));
                }
                done(handshake_failure::websocket,
                     "WebSocket upgrade to " + url + " failed: " + ec.message());
            });
    }
    static void write(stream_type& ws, boost::asio::const_buffer b, io_handler done) {
        ws.async_write(b, std::move(done));
    }
    static void drain(stream_type& ws, boost::asio::mutable_buffer b, io_handler done) {
        layer<Next>::drain(ws.next_layer(), b, std::move(done));
    }
};

// A transport made of the stack `Stream`.
template <class Stream>
class stream_transport final : public transport {
public:
    using lowest_type = boost::beast::lowest_layer_type<Stream>;

    template <class... Args>
    stream_transport(layer_config config, const char* layers, Args&&... args)
        : config_(std::move(config)), layers_(layers), stream_(std::forward<Args>(args)...) {}

    boost::asio::ip::tcp::socket* tcp_socket() override {
        if constexpr (std::is_same_v<lowest_type, boost::asio::ip::tcp::socket>) return &lowest();
        return nullptr;
    }
    unix_socket* local_socket() override {
        if constexpr (std::is_same_v<lowest_type, unix_socket>) return &lowest();
        return nullptr;
    }
    void async_handshake(const handshake_target& target, handshake_handler done) override {
        layer<Stream>::handshake(stream_, target, config_, std::move(done));
    }
    void async_read_some(boost::asio::mutable_buffer b, io_handler done) override {
        stream_.async_read_some(b, std::move(done));
    }
    void async_write(boost::asio::const_buffer b, io_handler done) override {
        layer<Stream>::write(stream_, b, std::move(done));
    }
    void async_drain_some(boost::asio::mutable_buffer b, io_handler done) override {
        layer<Stream>::drain(stream_, b, std::move(done));
    }
    void cancel() noexcept override {
        boost::system::error_code ignored;
        lowest().cancel(ignored);
    }
    void close() noexcept override {
        boost::system::error_code ignored;
        lowest().shutdown(lowest_type::shutdown_both, ignored);
        lowest().close(ignored);
    }
    void shutdown_send() noexcept override {
        boost::system::error_code ignored;
        lowest().shutdown(lowest_type::shutdown_send, ignored);
    }
    void quick_ack() noexcept override {
#ifdef TCP_QUICKACK
        if constexpr (std::is_same_v<lowest_type, boost::asio::ip::tcp::socket>) {
            const int one = 1;
            ::setsockopt(lowest().native_handle(), IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
        }
#endif
    }
    const char* layers() const noexcept override { return layers_; }

private:
    lowest_type& lowest() { return boost::beast::get_lowest_layer(stream_); }

    layer_config config_;  // before stream_: the layers' handlers refer to it
    const char* layers_;
    Stream stream_;
};

}  // namespace piogate::mqtt
