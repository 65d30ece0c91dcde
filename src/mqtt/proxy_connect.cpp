#include "mqtt/proxy_connect.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <array>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <memory>
#include <utility>

#include "mqtt/proxy_codec.hpp"

namespace piogate::mqtt {
namespace {

namespace asio = boost::asio;
using done_fn = std::function<void(const boost::system::error_code&, std::string)>;

boost::system::error_code to_error_code(std::errc e) {
    return {static_cast<int>(e), boost::system::generic_category()};
}

// State shared by both handshakes: where to, and how to report.
class proxy_op {
public:
    proxy_op(asio::ip::tcp::socket& socket, const proxy_options& proxy, const std::string& host,
             std::uint16_t port, done_fn done)
        : socket_(socket),
          proxy_name_(describe_proxy(proxy)),
          target_(proxy_authority(host, port)),
          done_(std::move(done)) {}

protected:
    void succeed() { finish({}, {}); }

    void fail(const proxy_error& e) {
        std::string detail;
        switch (e.code) {
            case std::errc::protocol_error:
            case std::errc::message_size:
                detail = proxy_name_ + " sent a malformed reply to CONNECT " + target_ + ": ";
                break;
            case std::errc::invalid_argument:
                detail = proxy_name_ + ": cannot ask for " + target_ + ": ";
                break;
            default:
                detail = proxy_name_ + " refused CONNECT " + target_ + ": ";
                break;
        }
        finish(to_error_code(e.code), detail + e.reason);
    }

    void fail_io(boost::system::error_code ec, const std::string& during) {
        // The owner closed the socket (its connect timeout, a stop) between two of our steps:
        // the next step then finds no descriptor. Either way the handshake was aborted.
        if (ec == asio::error::bad_descriptor) ec = asio::error::operation_aborted;
        std::string why = ec == asio::error::eof ? "the proxy closed the connection" : ec.message();
        finish(ec, proxy_name_ + ": CONNECT " + target_ + ": " + why + " " + during);
    }

    asio::ip::tcp::socket& socket_;

private:
    void finish(const boost::system::error_code& ec, std::string detail) {
        if (auto done = std::exchange(done_, nullptr)) done(ec, std::move(detail));
    }

    std::string proxy_name_;
    std::string target_;
    done_fn done_;
};

// HTTP: write the request, then peek at what arrived and consume exactly the reply's bytes.
class http_op : public proxy_op, public std::enable_shared_from_this<http_op> {
public:
    using proxy_op::proxy_op;

    void start(const proxy_options& proxy, const std::string& host, std::uint16_t port) {
        auto request = encode_http_connect(host, port, proxy.username, proxy.password);
        if (request.error) {
            return asio::post(socket_.get_executor(),
                              [self = shared_from_this(), e = *request.error] { self->fail(e); });
        }
        request_ = std::move(request.bytes);
        asio::async_write(
            socket_, asio::buffer(request_),
            [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
                if (ec) return self->fail_io(ec, "while sending the request");
                self->wait_reply();
            });
    }

private:
    void wait_reply() {
        socket_.async_wait(asio::socket_base::wait_read,
                           [self = shared_from_this()](const boost::system::error_code& ec) {
                               if (ec) return self->fail_io(ec, "while waiting for the reply");
                               self->take_reply_bytes();
                           });
    }

    void take_reply_bytes() {
        boost::system::error_code ec;
        const std::size_t n =
            socket_.receive(asio::buffer(peeked_), asio::socket_base::message_peek, ec);
        if (ec) return fail_io(ec, before_reply_complete());
        if (n == 0) return fail_io(asio::error::eof, before_reply_complete());
        const std::size_t used = parser_.feed(std::span(peeked_.data(), n));
        if (used > 0) {
            asio::read(socket_, asio::buffer(peeked_.data(), used), ec);  // already here
            if (ec) return fail_io(ec, before_reply_complete());
        }
        switch (parser_.step()) {
            case proxy_step::done:
                return succeed();
            case proxy_step::failed:
                return fail(parser_.error());
            case proxy_step::need_more:
                return wait_reply();
        }
    }

    std::string before_reply_complete() const {
        return parser_.status_code() == 0 ? "before its reply"
                                          : "before the end of its reply (status " +
                                                std::to_string(parser_.status_code()) + ")";
    }

    std::string request_;
    http_connect_parser parser_;
    std::array<std::uint8_t, 2048> peeked_{};
};

// SOCKS5: write what the handshake asks, read exactly the bytes it wants, repeat.
class socks5_op : public proxy_op, public std::enable_shared_from_this<socks5_op> {
public:
    socks5_op(asio::ip::tcp::socket& socket, const proxy_options& proxy, const std::string& host,
              std::uint16_t port, done_fn done)
        : proxy_op(socket, proxy, host, port, std::move(done)),
          handshake_(host, port, proxy.username, proxy.password) {}

    void start() {
        if (handshake_.step() == proxy_step::failed) {
            return asio::post(socket_.get_executor(), [self = shared_from_this()] {
                self->fail(self->handshake_.error());
            });
        }
        next();
    }

private:
    void next() {
        output_ = handshake_.take_output();
        if (output_.empty()) return read_reply();
        asio::async_write(
            socket_, asio::buffer(output_),
            [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
                if (ec) return self->fail_io(ec, "while sending a request");
                self->read_reply();
            });
    }

    void read_reply() {
        const std::size_t wanted = handshake_.bytes_wanted();
        input_.resize(wanted);
        asio::async_read(socket_, asio::buffer(input_),
                         [self = shared_from_this()](const boost::system::error_code& ec,
                                                     std::size_t n) { self->on_read(ec, n); });
    }

    void on_read(const boost::system::error_code& ec, std::size_t n) {
        handshake_.feed(std::span(input_.data(), n));
        switch (handshake_.step()) {
            case proxy_step::done:
                return succeed();
            case proxy_step::failed:
                return fail(handshake_.error());
            case proxy_step::need_more:
                break;
        }
        if (ec) return fail_io(ec, "before its reply was complete");
        next();
    }

    socks5_handshake handshake_;
    proxy_bytes output_;
    proxy_bytes input_;
};

}  // namespace

std::string describe_proxy(const proxy_options& proxy) {
    return std::string(proxy.kind == proxy_kind::http ? "HTTP proxy " : "SOCKS5 proxy ") +
           proxy_authority(proxy.host, effective_proxy_port(proxy));
}

void async_proxy_connect(boost::asio::ip::tcp::socket& socket, const proxy_options& proxy,
                         const std::string& host, std::uint16_t port,
                         std::function<void(const boost::system::error_code&, std::string)> done) {
    if (proxy.kind == proxy_kind::http) {
        std::make_shared<http_op>(socket, proxy, host, port, std::move(done))
            ->start(proxy, host, port);
    } else {
        std::make_shared<socks5_op>(socket, proxy, host, port, std::move(done))->start();
    }
}

}  // namespace piogate::mqtt
