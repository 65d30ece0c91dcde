// libFuzzer target: the WebSocket transport layer (src/mqtt/transport_layers.hpp) facing a
// hostile broker, over a local socket pair on one io_context run to completion.
//
// The transport is the one the client makes for ws:// (stream_transport over
// websocket::stream), here over a unix socket. A scripted server in the same io_context
// answers the HTTP upgrade with a valid 101, then sends the fuzzer's bytes in chunks (a few
// turns of the event loop apart, so frames arrive split) and shuts down its sending side. The
// client reads through transport::async_read_some, into a small buffer, until an error, and
// feeds what it reads to a session the way async_client does (so MQTT packets spanning frames
// are covered); what the session writes goes out through transport::async_write, one write at
// a time, while the server drains it.
//
// The first input byte picks the read size, the server's chunk size, the MQTT version and the
// mode: raw (the rest is sent verbatim: split, masked, control, fragmented, oversized or invalid
// frames) or structured (the rest describes valid frames that this target encodes itself:
// binary, text and continuation data frames, pings and pongs between them, a close at the end).
//
// Checked besides "no crash, no sanitizer report, no exception": the handshake succeeds,
// reading ends (a bounded number of reads, then an error; libFuzzer's -timeout catches a hang),
// no read reports more than its buffer, and in structured mode the bytes read equal the
// concatenated data payloads and a close frame ends the reading with websocket::error::closed.
#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/local/connect_pair.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/websocket/detail/hybi13.hpp>
#include <boost/beast/websocket/error.hpp>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <span>
#include <string>
#include <vector>
// SPDX-License-Identifier: Apache-2.0
#include "mqtt/session.hpp"
#include "mqtt/transport_layers.hpp"

using namespace piogate::mqtt;
namespace asio = boost::asio;
namespace websocket = boost::beast::websocket;

namespace {

void require(bool ok, const char* what) {
    if (ok) return;
    std::fprintf(stderr, "fuzz_websocket: %s\n", what);
    std::abort();
}

// The fuzzer's bytes, read from the front; zeros once they run out.
class script {
public:
    script(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
    bool done() const { return pos_ >= size_; }
    std::uint8_t u8() { return pos_ < size_ ? data_[pos_++] : 0; }
    std::span<const std::uint8_t> take(std::size_t n) {
        n = std::min(n, size_ - std::min(pos_, size_));
        std::span<const std::uint8_t> s(data_ + pos_, n);
        pos_ += n;
        return s;
    }

private:
    const std::uint8_t* data_;
    std::size_t size_;
    std::size_t pos_ = 0;
};

using byte_vector = std::vector<std::uint8_t>;

// One unmasked server frame (RFC 6455 §5.2), length in the shortest form.
void encode_frame(byte_vector& out, bool fin, std::uint8_t opcode,
                  std::span<const std::uint8_t> payload) {
    out.push_back(static_cast<std::uint8_t>((fin ? 0x80 : 0) | opcode));
    const std::size_t n = payload.size();
    if (n < 126) {
        out.push_back(static_cast<std::uint8_t>(n));
    } else {
        out.push_back(126);  // the input is far below 64 KiB: 16-bit length
        out.push_back(static_cast<std::uint8_t>(n >> 8));
        out.push_back(static_cast<std::uint8_t>(n));
    }
    out.insert(out.end(), payload.begin(), payload.end());
}

// What the server sends after the 101, and what the client must read of it.
struct server_script {
    byte_vector bytes;
    bool structured = false;
    bool ends_with_close = false;
    byte_vector expected;  // structured: the data payloads, concatenated
};

void build_structured(script& in, server_script& s) {
    s.structured = true;
    bool in_message = false;
    bool text = false;  // the message being sent is text: its continuations too
    for (int frames = 0; frames < 512 && !in.done(); ++frames) {
        const std::uint8_t h = in.u8();
        switch (h % 8) {
            case 0:
            case 1:
            case 2:
            case 3:
            case 4: {  // data: binary (or text) first, continuation after a frame without FIN
                std::size_t len = in.u8();
                if (h & 0x10) len |= std::size_t{in.u8()} << 8;
                const auto payload = in.take(len);
                const bool fin = (h & 0x20) != 0;
                if (!in_message) text = (h % 8) == 4;
                const std::uint8_t opcode = in_message ? 0x0 : text ? 0x1 : 0x2;
                if (text) {
                    // Text must be valid UTF-8: ASCII will do.
                    byte_vector ascii(payload.begin(), payload.end());
                    for (auto& c : ascii) c &= 0x7F;
                    encode_frame(s.bytes, fin, opcode, ascii);
                    s.expected.insert(s.expected.end(), ascii.begin(), ascii.end());
                } else {
                    encode_frame(s.bytes, fin, opcode, payload);
                    s.expected.insert(s.expected.end(), payload.begin(), payload.end());
                }
                in_message = !fin;
                break;
            }
            case 5:
                encode_frame(s.bytes, true, 0x9, in.take(in.u8() % 126));  // ping
                break;
            case 6:
                encode_frame(s.bytes, true, 0xA, in.take(in.u8() % 126));  // pong
                break;
            default: {  // close, normal closure or none, then nothing more
                static constexpr std::uint8_t normal[] = {0x03, 0xE8};
                encode_frame(s.bytes, true, 0x8,
                             h & 0x10 ? std::span<const std::uint8_t>() : std::span(normal));
                s.ends_with_close = true;
                return;
            }
        }
    }
}

// The broker end: reads the upgrade request, answers 101, sends the script in chunks, shuts
// down its sending side, and throws away whatever the client writes.
class fake_server {
public:
    fake_server(asio::io_context& io, const server_script& s, std::size_t chunk)
        : sock_(io), script_(s), chunk_(chunk) {}

    unix_socket& socket() { return sock_; }

    void start() {
        asio::async_read_until(sock_, asio::dynamic_buffer(request_), "\r\n\r\n",
                               [this](const boost::system::error_code& ec, std::size_t n) {
                                   require(!ec, "server: no upgrade request");
                                   require(n == request_.size(), "bytes after the request");
                                   answer();
                               });
    }

private:
    void answer() {
        const std::string field = "Sec-WebSocket-Key: ";
        const std::size_t at = request_.find(field);
        require(at != std::string::npos, "server: request without Sec-WebSocket-Key");
        const std::size_t from = at + field.size();
        const std::string key = request_.substr(from, request_.find("\r\n", from) - from);
        websocket::detail::sec_ws_accept_type accept;
        websocket::detail::make_sec_ws_accept(accept, key);
        response_ =
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Protocol: mqtt\r\nSec-WebSocket-Accept: " +
            std::string(accept.data(), accept.size()) + "\r\n\r\n";
        asio::async_write(sock_, asio::buffer(response_),
                          [this](const boost::system::error_code& ec, std::size_t) {
                              if (!ec) send_next();
                          });
        drain();
    }

    void send_next() {
        if (sent_ == script_.bytes.size()) {
            boost::system::error_code ignored;
            sock_.shutdown(unix_socket::shutdown_send, ignored);
            return;
        }
        const std::size_t n = std::min(chunk_, script_.bytes.size() - sent_);
        asio::async_write(sock_, asio::buffer(script_.bytes.data() + sent_, n),
                          [this, n](const boost::system::error_code& ec, std::size_t) {
                              if (ec) return;  // the client closed first
                              sent_ += n;
                              // Two turns of the loop: the client's read completes in between.
                              asio::post(sock_.get_executor(), [this] {
                                  asio::post(sock_.get_executor(), [this] { send_next(); });
                              });
                          });
    }

    void drain() {
        sock_.async_read_some(asio::buffer(sink_),
                              [this](const boost::system::error_code& ec, std::size_t) {
                                  if (!ec) drain();
                              });
    }

    unix_socket sock_;
    const server_script& script_;
    std::size_t chunk_;
    std::size_t sent_ = 0;
    std::string request_;
    std::string response_;
    char sink_[4096];
};

using ws_transport = stream_transport<websocket::stream<unix_socket>>;

// The client end: the transport and a session fed the way async_client feeds it.
class fake_client final : public session_handler {
public:
    fake_client(asio::io_context& io, session_config config, std::size_t read_size,
                std::size_t max_reads)
        : transport_(layer_config{}, "WebSocket", io),
          version_(config.version),
          sess_(std::move(config), *this),
          read_size_(read_size),
          max_reads_(max_reads) {}

    unix_socket& socket() { return *transport_.local_socket(); }

    void start() {
        transport_.async_handshake({"fuzz.sock", 0, version_},
                                   [this](handshake_failure f, std::string detail) {
                                       if (f != handshake_failure::none) {
                                           std::fprintf(stderr, "%s\n", detail.c_str());
                                           require(false, "WebSocket handshake failed");
                                       }
                                       handshake_done_ = true;
                                       sess_.on_transport_open(now_);
                                       flush();
                                       read();
                                   });
    }

    bool handshake_done() const { return handshake_done_; }
    const byte_vector& delivered() const { return delivered_; }
    const boost::system::error_code& end() const { return end_; }

private:
    void read() {
        require(++reads_ <= max_reads_, "reading does not end");
        // As async_client: the buffer grows to what the packet being read needs (bounded by
        // max_packet_size while the session is live; a closed one is not asked).
        const std::size_t want = session_closed_ ? 0 : sess_.bytes_wanted({rx_.data(), rx_len_});
        require(want <= 64 * 1024, "bytes_wanted above max_packet_size on a live session");
        if (rx_.size() < std::max(want, rx_len_ + read_size_)) {
            rx_.resize(std::max(want, rx_len_ + read_size_));
        }
        transport_.async_read_some(
            asio::buffer(rx_.data() + rx_len_, read_size_),
            [this](const boost::system::error_code& ec, std::size_t n) { on_read(ec, n); });
    }

    void on_read(const boost::system::error_code& ec, std::size_t n) {
        require(n <= read_size_, "read more than the buffer");
        delivered_.insert(delivered_.end(), rx_.begin() + static_cast<std::ptrdiff_t>(rx_len_),
                          rx_.begin() + static_cast<std::ptrdiff_t>(rx_len_ + n));
        if (ec) {
            end_ = ec;
            transport_.close();
            return;
        }
        // Once the session asked to close, the client would close the transport; the bytes
        // are still read here so that the rest of the script exercises the WebSocket layer.
        if (!session_closed_) {
            rx_len_ += n;
            const std::size_t used = sess_.on_data({rx_.data(), rx_len_}, now_);
            require(used <= rx_len_, "on_data consumed more than it was given");
            std::memmove(rx_.data(), rx_.data() + used, rx_len_ - used);
            rx_len_ -= used;
            flush();
        }
        read();
    }

    void flush() {
        if (writing_ || session_closed_ || !sess_.has_output()) return;
        sess_.take_output(tx_, tx_mids_);
        writing_ = true;
        transport_.async_write(asio::buffer(tx_),
                               [this](const boost::system::error_code& ec, std::size_t) {
                                   writing_ = false;
                                   if (!ec) flush();
                               });
    }

    // ---- session_handler: the session's reactions are not what this target checks ----
    void on_connack(bool, int) override {}
    void on_message(const message&) override {}
    void on_published(int) override {}
    void on_subscribed(int, std::span<const int>) override {}
    void on_unsubscribed(int) override {}
    void on_close(std::error_code, std::string_view) override { session_closed_ = true; }
    void on_log(log_level, std::string_view) override {}

    ws_transport transport_;
    protocol_version version_;
    session sess_;
    session::time_point now_ = session::time_point{} + std::chrono::hours(1);
    std::size_t read_size_;
    std::size_t max_reads_;
    std::size_t reads_ = 0;
    byte_vector rx_;
    std::size_t rx_len_ = 0;
    byte_buffer tx_;
    std::vector<int> tx_mids_;
    bool writing_ = false;
    bool session_closed_ = false;
    bool handshake_done_ = false;
    byte_vector delivered_;
    boost::system::error_code end_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    script in(data, size);
    const std::uint8_t how = in.u8();
    static constexpr std::size_t read_sizes[] = {1, 7, 64, 16 * 1024};
    static constexpr std::size_t chunk_sizes[] = {1, 3, 64, 64 * 1024};
    server_script s;
    if (how & 1) {
        build_structured(in, s);
    } else {
        const auto rest = in.take(size);
        s.bytes.assign(rest.begin(), rest.end());
    }

    session_config cfg;
    cfg.version = how & 0x20 ? protocol_version::v5 : protocol_version::v311;
    cfg.client_id = "fuzz";
    cfg.max_packet_size = 64 * 1024;

    asio::io_context io;
    fake_server server(io, s, chunk_sizes[(how >> 3) & 3]);
    // Every read that completes without an error took at least a frame header off the wire.
    fake_client client(io, cfg, read_sizes[(how >> 1) & 3], 16 + 2 * s.bytes.size());
    asio::local::connect_pair(client.socket(), server.socket());
    server.start();
    client.start();
    io.run();

    require(client.handshake_done(), "the handshake did not complete");
    require(client.end().failed(), "reading stopped without an error");
    if (s.structured) {
        require(client.delivered() == s.expected, "bytes read differ from the frames' payloads");
        if (s.ends_with_close) {
            require(client.end() == websocket::error::closed, "a close frame did not end it");
        }
    }
    return 0;
}
