// async_client's connection attempts (async_client_impl.hpp): resolve (an address literal
// needs no lookup), connect the socket (TCP or unix, each resolved address in turn, bound to
// bind_address), the proxy tunnel, the transport's handshakes (TLS, WebSocket); then the session
// takes over (transport_open). A failure before CONNACK goes to the policy (attempt_failed).
#include "mqtt/async_client_impl.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <boost/asio/post.hpp>
#include <string>

#include <sys/un.h>

#include "mqtt/proxy_connect.hpp"

namespace piogate::mqtt {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using clock = std::chrono::steady_clock;

std::string async_client::impl::dial_where() const {
    if (!via_proxy()) return where();
    proxy_options p = *opts.proxy;
    p.port = dial_port();
    return describe_proxy(p);
}

void async_client::impl::start_attempt() {
    ++attempt;
    close_request.reset();
    events.reset();
    conn = factory.create(kind());
    // The wait of the connection before (reconnect() on a live one) is stale: one left
    // armed kept arm_timer() from arming this attempt's deadlines, keepalive included.
    timer.cancel();
    armed.reset();
    arm_timer();
    const std::string layers = conn->layers();
    log(log_level::info, "connecting to " + where() + (layers.empty() ? "" : " (" + layers + ")") +
                             (via_proxy() ? " through " + dial_where() : ""));
    if (unix_socket* sock = conn->local_socket()) {
        if (host().size() >= sizeof(sockaddr_un::sun_path)) {  // the endpoint would throw
            asio::post(io, [self = shared_from_this(), a = attempt] {
                if (a != self->attempt || !self->cb) return;
                self->attempt_failed(
                    make_error_code(errc::connection_lost),
                    "cannot connect to " + self->where() + ": the socket path is too long",
                    "socket path too long");
            });
            return;
        }
        sock->async_connect(
            unix_socket::endpoint_type(host()), [self = shared_from_this(), a = attempt,
                                                 c = conn](const boost::system::error_code& ec) {
                if (a != self->attempt || !self->cb) return;
                if (ec) {
                    self->attempt_failed(make_error_code(errc::connection_lost),
                                         "cannot connect to " + self->where() + ": " + ec.message(),
                                         ec.message());
                    return;
                }
                self->handshake(c);
            });
        return;
    }
    // An address literal needs no lookup (and no resolver thread).
    boost::system::error_code literal_ec;
    const auto literal = asio::ip::make_address(dial_host(), literal_ec);
    if (!literal_ec) {
        asio::post(
            io, [self = shared_from_this(), a = attempt, ep = tcp::endpoint(literal, dial_port())] {
                if (a == self->attempt && self->cb) self->connect_next({ep}, 0, {});
            });
        return;
    }
    resolver.async_resolve(
        dial_host(), std::to_string(dial_port()),
        [self = shared_from_this(), a = attempt](const boost::system::error_code& ec,
                                                 tcp::resolver::results_type results) {
            if (a != self->attempt || !self->cb) return;
            if (ec) {
                self->attempt_failed(make_error_code(errc::dns_failure),
                                     "cannot resolve " +
                                         std::string(self->via_proxy() ? "proxy " : "") + "'" +
                                         self->dial_host() + "': " + ec.message(),
                                     "cannot resolve: " + ec.message());
                return;
            }
            self->connect_next(std::vector<tcp::endpoint>(results.begin(), results.end()), 0, {});
        });
}

void async_client::impl::connect_next(std::vector<tcp::endpoint> eps, std::size_t i,
                                      boost::system::error_code last) {
    if (i >= eps.size()) {
        const std::string why = last ? last.message() : std::string("no address");
        attempt_failed(make_error_code(errc::connection_lost),
                       "cannot connect to " + dial_where() + ": " + why, why);
        return;
    }
    auto& sock = *conn->tcp_socket();
    boost::system::error_code ec;
    sock.close(ec);
    sock.open(eps[i].protocol(), ec);
    if (!ec && !bind_address.empty()) {
        auto addr = asio::ip::make_address(bind_address, ec);
        if (!ec) sock.bind(tcp::endpoint(addr, 0), ec);
        if (ec) {
            attempt_failed(make_error_code(errc::connection_lost),
                           "cannot bind to '" + bind_address + "': " + ec.message(),
                           "cannot bind: " + ec.message());
            return;
        }
    }
    if (ec) return connect_next(std::move(eps), i + 1, ec);
    auto ep = eps[i];
    sock.async_connect(ep, [self = shared_from_this(), a = attempt, c = conn, eps = std::move(eps),
                            i](const boost::system::error_code& ec) mutable {
        if (a != self->attempt || !self->cb) return;
        if (ec) return self->connect_next(std::move(eps), i + 1, ec);
        boost::system::error_code ignored;
        c->tcp_socket()->set_option(tcp::no_delay(true), ignored);
        if (self->via_proxy()) return self->proxy_tunnel(c);
        self->handshake(c);
    });
}

void async_client::impl::proxy_tunnel(const std::shared_ptr<transport>& c) {
    async_proxy_connect(*c->tcp_socket(), *opts.proxy, host(), port(),
                        [self = shared_from_this(), a = attempt, c](
                            const boost::system::error_code& ec, std::string detail) {
                            if (a != self->attempt || !self->cb) return;
                            if (ec) {
                                self->attempt_failed(make_error_code(errc::connection_lost), detail,
                                                     detail);
                                return;
                            }
                            self->handshake(c);
                        });
}

void async_client::impl::handshake(const std::shared_ptr<transport>& c) {
    handshake_target target;
    target.host = host();
    target.port = kind() == transport_kind::unix_socket ? 0 : port();
    target.protocol = opts.protocol;
    // `c` is held until the handshake completes: its layers' operations refer to it.
    c->async_handshake(target, [self = shared_from_this(), a = attempt, c](handshake_failure f,
                                                                           std::string detail) {
        if (a != self->attempt || !self->cb) return;
        if (f != handshake_failure::none) {
            self->attempt_failed(
                make_error_code(f == handshake_failure::tls ? errc::tls_error
                                                            : errc::connection_lost),
                detail, detail);
            return;
        }
        self->transport_open();
    });
}

void async_client::impl::transport_open() {
    rx_len = 0;
    policy.on_transport_open();
    sess.on_transport_open(clock::now());
    start_read();
    service();
}

void async_client::impl::attempt_failed(std::error_code reason, const std::string& detail,
                                        std::string why) {
    policy.on_failed(std::move(why));
    // The round's end is logged by teardown() when several brokers were tried.
    if (policy.brokers().size() == 1) log(log_level::warning, detail);
    teardown(reason, detail);
}

void async_client::impl::schedule_reconnect(const retry_plan& plan) {
    log(log_level::info, "reconnecting in " + std::to_string(plan.delay.count()) + " ms");
    retry_timer.expires_at(plan.at);
    retry_timer.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
        if (ec || !self->cb || !self->policy.retry_due(clock::now())) return;
        self->start_attempt();
    });
}

}  // namespace piogate::mqtt
