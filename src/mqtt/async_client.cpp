// The Asio shell around the pure session and the pure connect_policy: resolve, connect the
// socket (TCP or unix), the transport's handshakes (TLS, WebSocket), read, write, timers; when
// and where to connect, fail over and retry is connect_policy's decision. All of it runs on
// the caller's io_context thread.
#include "piogate/mqtt/async_client.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <array>
#include <cstring>
#include <random>
#include <stdexcept>
#include <unordered_map>

#include <sys/un.h>

#include "mqtt/async_client_events.hpp"
#include "mqtt/async_client_options.hpp"
#include "mqtt/connect_policy.hpp"
#include "mqtt/mqtt5_checks.hpp"
#include "mqtt/proxy_connect.hpp"
#include "mqtt/session.hpp"
#include "mqtt/transport.hpp"
#include "piogate/mqtt/topic.hpp"

namespace piogate::mqtt {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using clock = std::chrono::steady_clock;

namespace {

// End of stream, also when reported by the TLS module (libpiogate_tls.so), whose Asio error
// categories are its own copies (equal in name and value, not in address).
bool is_eof(const boost::system::error_code& ec) {
    return ec.value() == asio::error::eof &&
           std::strcmp(ec.category().name(), asio::error::get_misc_category().name()) == 0;
}

const properties no_properties{};

connect_timing to_connect_timing(const client_options& o) {
    connect_timing t;
    t.connect_timeout = o.connect_timeout;
    t.reconnect_min_delay = o.reconnect_min_delay;
    t.reconnect_max_delay = o.reconnect_max_delay;
    t.reconnect_spread = o.reconnect_spread;
    return t;
}

connection_state to_connection_state(connect_phase p) {
    switch (p) {
        case connect_phase::connecting:
            return connection_state::connecting;
        case connect_phase::connected:
            return connection_state::connected;
        case connect_phase::waiting:
            return connection_state::waiting_to_reconnect;
        case connect_phase::idle:
            break;
    }
    return connection_state::disconnected;
}

}  // namespace

struct async_client::impl final : session_handler, std::enable_shared_from_this<impl> {
    impl(asio::io_context& io_, client_options o, client_callbacks& cb_)
        : io(io_),
          opts(validated(std::move(o))),
          cb(&cb_),
          sess(to_session_config(opts), *this),
          factory(io_, opts),
          resolver(io_),
          timer(io_),
          retry_timer(io_),
          jitter(std::random_device{}()),
          policy(to_connect_timing(opts), [this] {
              std::uniform_real_distribution<double> unit(0.0, 1.0);
              return unit(jitter);
          }) {}

    asio::io_context& io;
    client_options opts;
    client_callbacks* cb;  // null once the owner is gone
    client_events events{opts.protocol == protocol_version::v5};
    bool v5() const { return opts.protocol == protocol_version::v5; }
    // 3.1.1 UNSUBACK carries no codes: the filters of each request, for one code per filter.
    std::unordered_map<int, std::size_t> unsubscribe_filters;
    session sess;
    transport_factory factory;
    std::shared_ptr<transport> conn;
    tcp::resolver resolver;
    asio::steady_timer timer;
    asio::steady_timer retry_timer;
    std::minstd_rand jitter;
    connect_policy policy;  // which broker, when; the connect deadline
    std::optional<clock::time_point> armed;

    std::string bind_address;
    std::uint64_t attempt = 0;  // completions of older attempts are ignored

    byte_buffer rx;
    std::size_t rx_len = 0;
    byte_buffer tx;
    std::vector<int> tx_mids;
    std::vector<int> done_mids;
    bool writing = false;
    std::optional<std::pair<std::error_code, std::string>> close_request;
    // 5.0: a close the session asked for (protocol error, ...) may have queued a DISCONNECT
    // with its reason; it is written before the socket closes, for at most this long.
    static constexpr std::chrono::milliseconds close_flush_limit{2000};
    clock::time_point close_deadline{};

    std::vector<std::pair<std::string, std::function<void(const message&)>>> filter_callbacks;

    // ---- logging ----
    void log(log_level level, std::string_view text) {
        if (cb && cb->on_log) cb->on_log(level, text);
    }

    connection_state state() const { return to_connection_state(policy.phase()); }
    const std::string& host() const { return policy.current().host; }
    std::uint16_t port() const { return policy.current().port; }
    std::string where() const { return to_string(policy.current()); }
    transport_kind kind() const { return effective_transport(policy.current(), opts.transport); }
    // Through client_options::proxy: every TCP-based transport.
    bool via_proxy() const { return opts.proxy && kind() != transport_kind::unix_socket; }
    // Where the TCP socket connects: the proxy, or the broker.
    const std::string& dial_host() const { return via_proxy() ? opts.proxy->host : host(); }
    std::uint16_t dial_port() const {
        if (!via_proxy()) return port();
        if (opts.proxy->port != 0) return opts.proxy->port;
        return opts.proxy->kind == proxy_kind::http ? 8080 : 1080;
    }
    std::string dial_where() const {
        if (!via_proxy()) return where();
        proxy_options p = *opts.proxy;
        p.port = dial_port();
        return describe_proxy(p);
    }

    // ---- connection attempts ----
    // The policy has begun an attempt on its current() broker: carry it out.
    void start_attempt() {
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
                    self->attempt_failed(make_error_code(errc::connection_lost),
                                         "cannot connect to " + self->where() +
                                             ": the socket path is too long",
                                         "socket path too long");
                });
                return;
            }
            sock->async_connect(
                unix_socket::endpoint_type(host()),
                [self = shared_from_this(), a = attempt, c = conn](const boost::system::error_code& ec) {
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
                                         "cannot resolve " + std::string(self->via_proxy() ? "proxy " : "") +
                                             "'" + self->dial_host() + "': " + ec.message(),
                                         "cannot resolve: " + ec.message());
                    return;
                }
                self->connect_next(std::vector<tcp::endpoint>(results.begin(), results.end()), 0,
                                   {});
            });
    }

    void connect_next(std::vector<tcp::endpoint> eps, std::size_t i, boost::system::error_code last) {
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
        sock.async_connect(ep, [self = shared_from_this(), a = attempt, c = conn,
                                eps = std::move(eps), i](const boost::system::error_code& ec) mutable {
            if (a != self->attempt || !self->cb) return;
            if (ec) return self->connect_next(std::move(eps), i + 1, ec);
            boost::system::error_code ignored;
            c->tcp_socket()->set_option(tcp::no_delay(true), ignored);
            if (self->via_proxy()) return self->proxy_tunnel(c);
            self->handshake(c);
        });
    }

    // Connected to the proxy: ask it for the broker, then the layers' handshakes.
    void proxy_tunnel(const std::shared_ptr<transport>& c) {
        async_proxy_connect(*c->tcp_socket(), *opts.proxy, host(), port(),
                            [self = shared_from_this(), a = attempt,
                             c](const boost::system::error_code& ec, std::string detail) {
                                if (a != self->attempt || !self->cb) return;
                                if (ec) {
                                    self->attempt_failed(make_error_code(errc::connection_lost),
                                                         detail, detail);
                                    return;
                                }
                                self->handshake(c);
                            });
    }

    // The socket is connected: the handshakes of the layers above it (TLS, WebSocket).
    void handshake(const std::shared_ptr<transport>& c) {
        handshake_target target;
        target.host = host();
        target.port = kind() == transport_kind::unix_socket ? 0 : port();
        target.protocol = opts.protocol;
        // `c` is held until the handshake completes: its layers' operations refer to it.
        c->async_handshake(target, [self = shared_from_this(), a = attempt, c](handshake_failure f,
                                                                             std::string detail) {
            if (a != self->attempt || !self->cb) return;
            if (f != handshake_failure::none) {
                self->attempt_failed(make_error_code(f == handshake_failure::tls
                                                         ? errc::tls_error
                                                         : errc::connection_lost),
                                     detail, detail);
                return;
            }
            self->transport_open();
        });
    }

    void transport_open() {
        rx_len = 0;
        policy.on_transport_open();
        sess.on_transport_open(clock::now());
        start_read();
        service();
    }

    // An attempt failed before CONNACK; `why` is the short reason for the failover log.
    void attempt_failed(std::error_code reason, const std::string& detail, std::string why) {
        policy.on_failed(std::move(why));
        // The round's end is logged by teardown() when several brokers were tried.
        if (policy.brokers().size() == 1) log(log_level::warning, detail);
        teardown(reason, detail);
    }

    // ---- reading and writing ----
    void start_read() {
        const std::size_t want = sess.bytes_wanted({rx.data(), rx_len});
        const std::size_t min_free = 16 * 1024;
        if (rx.size() < std::max(want, rx_len + min_free)) {
            rx.resize(std::max<std::size_t>({want, rx_len + min_free, 64 * 1024}));
        }
        conn->async_read_some(
            asio::buffer(rx.data() + rx_len, rx.size() - rx_len),
            [self = shared_from_this(), a = attempt, c = conn](const boost::system::error_code& ec,
                                                                std::size_t n) {
                if (a != self->attempt || !self->cb) return;
                self->on_read(ec, n);
            });
    }

    void on_read(const boost::system::error_code& ec, std::size_t n) {
        if (ec) {
            lost(is_eof(ec) ? "broker closed the connection"
                                        : "read failed: " + ec.message());
            return;
        }
        rx_len += n;
        const std::uint64_t a = attempt;
        std::size_t used = sess.on_data({rx.data(), rx_len}, clock::now());
        if (a != attempt || !conn) return;  // a callback reconnected or disconnected
        if (used > 0) {
            std::memmove(rx.data(), rx.data() + used, rx_len - used);
            rx_len -= used;
        }
        // Give memory back after a large packet.
        if (rx.size() > 1024 * 1024 && rx_len < 64 * 1024) {
            rx.resize(64 * 1024);
            rx.shrink_to_fit();
        }
        service();
        if (a != attempt || !conn || close_request) return;
        // With nothing of ours on the way (no write carrying the ACK for what we read, no
        // message awaiting an acknowledgement), ACK at once: else a broker with Nagle on
        // holds its next packet to us, such as the next command after the PUBACK of a
        // state, until our delayed ACK, ~40 ms. While messages are in flight our next
        // write comes soon and carries the ACK; a syscall per read there costs ~10 % CPU.
        if (!writing && sess.inflight() == 0 && sess.queued() == 0) conn->quick_ack();
        start_read();
    }

    void flush() {
        if (writing || !conn || sess.state() == session_state::idle || !sess.has_output()) return;
        sess.take_output(tx, tx_mids);
        writing = true;
        conn->async_write(asio::buffer(tx), [self = shared_from_this(), a = attempt, c = conn](
                                                const boost::system::error_code& ec, std::size_t) {
            if (a != self->attempt || !self->cb) return;
            self->writing = false;
            if (ec) {
                self->lost("write failed: " + ec.message());
                return;
            }
            self->done_mids.swap(self->tx_mids);
            for (int mid : self->done_mids) {
                self->events.published(self->cb, mid, reason_code::success, no_properties);
            }
            self->done_mids.clear();
            self->service();
        });
    }

    // Carry out what the session asked for: write, close, re-arm the timer.
    void service() {
        if (!conn) return;
        flush();
        if (close_request) {
            const bool user = close_request->first == errc::disconnected_by_user;
            const bool flushing = (user || (v5() && clock::now() < close_deadline)) &&
                                  (writing || sess.has_output());
            if (!flushing) {
                auto [reason, detail] = *close_request;
                teardown(reason, detail);
                return;
            }
        }
        arm_timer();
    }

    void lost(const std::string& detail) {
        policy.on_lost(detail);
        log(log_level::warning, "connection to " + where() + " lost: " + detail);
        teardown(make_error_code(errc::connection_lost), detail);
    }

    // Close the transport, report, and fail over or schedule a reconnect as the policy says.
    void teardown(std::error_code reason, std::string detail) {
        ++attempt;
        // After our DISCONNECT (5.0: also one with an error reason): half-close and drain,
        // so that the broker reads it rather than a reset.
        if (conn && (reason == errc::disconnected_by_user || (v5() && close_request))) {
            drain_and_close(std::move(conn));
        } else if (conn) {
            conn->close();
        }
        conn.reset();
        resolver.cancel();
        writing = false;
        close_request.reset();
        sess.on_transport_closed();
        timer.cancel();
        armed.reset();
        const close_decision d = policy.on_closed(clock::now(), reason, std::move(detail));
        if (d.log) log(d.log->level, d.log->text);
        switch (d.what) {
            case close_decision::action::fail_over:
                start_attempt();
                return;
            case close_decision::action::report_disconnect:
                events.disconnected(cb, reason);
                break;
            case close_decision::action::report_connect_fail:
                if (cb && cb->on_connect_fail) cb->on_connect_fail(reason, d.detail);
                break;
            case close_decision::action::report_nothing:
                break;
        }
        if (!cb) return;  // a callback destroyed the client
        // Nothing when a callback reconnected or disconnected, or auto_reconnect is off.
        if (const auto plan = policy.after_report(clock::now())) schedule_reconnect(*plan);
    }

    // After DISCONNECT: half-close, read and discard until the broker closes or 1 s passes.
    // The connection's own read is still pending and must go first: with two reads queued on
    // one stream socket, Asio hands the end of stream to the first only (a 0-byte read is
    // "exhausted"), so the drain would sleep out its whole second.
    void drain_and_close(std::shared_ptr<transport> c) {
        c->cancel();
        c->shutdown_send();
        auto timer = std::make_shared<asio::steady_timer>(io, std::chrono::seconds(1));
        timer->async_wait([c](const boost::system::error_code&) { c->close(); });
        auto sink = std::make_shared<std::array<std::uint8_t, 512>>();
        auto drain = std::make_shared<std::function<void()>>();
        *drain = [c, timer, sink, weak = std::weak_ptr<std::function<void()>>(drain)] {
            c->async_drain_some(asio::buffer(*sink), [timer, weak](const boost::system::error_code& ec,
                                                                 std::size_t) {
                if (ec) {
                    timer->cancel();
                    return;
                }
                if (auto next = weak.lock()) (*next)();
            });
        };
        (*drain)();
        draining = drain;  // keeps the loop alive until it ends; replaced by the next drain
    }
    std::shared_ptr<std::function<void()>> draining;

    void schedule_reconnect(const retry_plan& plan) {
        log(log_level::info, "reconnecting in " + std::to_string(plan.delay.count()) + " ms");
        retry_timer.expires_at(plan.at);
        retry_timer.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
            if (ec || !self->cb || !self->policy.retry_due(clock::now())) return;
            self->start_attempt();
        });
    }

    // ---- timers ----
    void arm_timer() {
        std::optional<clock::time_point> next = sess.next_deadline();
        if (const auto deadline = policy.connect_deadline(); deadline && (!next || *deadline < *next))
            next = deadline;
        if (close_request && v5() && (!next || close_deadline < *next)) next = close_deadline;
        if (!next) return;  // a stale wait firing early is harmless
        if (armed && *armed <= *next) return;
        armed = next;
        timer.expires_at(*next);
        timer.async_wait([self = shared_from_this(), a = attempt](const boost::system::error_code& ec) {
            if (ec || a != self->attempt || !self->cb) return;
            self->armed.reset();
            self->on_timer();
        });
    }

    void on_timer() {
        const auto now = clock::now();
        if (auto why = policy.connect_timed_out(now)) {
            // Not `..." + *why, std::move(*why)`: the order the arguments are made in is
            // unspecified, and GCC moved `why` out before building the detail from it.
            std::string detail = "connecting to " + where() + " " + *why;
            attempt_failed(make_error_code(errc::connect_timeout), detail, std::move(*why));
            return;
        }
        sess.on_tick(now);
        service();
    }

    // ---- session_handler ----
    void on_connack(bool session_present, int rc) override {
        on_connack_properties(session_present, rc, {});
    }
    void on_connack_properties(bool session_present, int rc, const properties& props) override {
        if (rc == 0) {
            policy.on_accepted(clock::now());
            log(log_level::info,
                "connected to " + where() + (session_present ? " (session resumed)" : ""));
        } else {
            std::string why = connack_text(v5(), rc);
            if (props.reason_string) why += " (" + *props.reason_string + ")";
            // The next address is tried at once; on_connect reports the round's last refusal.
            if (policy.on_refused("refused: " + why)) return;
            log(log_level::error, "broker " + where() + ": " + why);
        }
        events.connected(cb, rc, session_present, props);
    }
    void on_message(const message& m) override {
        bool matched = false;
        for (const auto& [filter, fn] : filter_callbacks) {
            if (topic_matches_sub(filter, m.topic)) {
                matched = true;
                fn(m);
            }
        }
        if (!matched && cb && cb->on_message) cb->on_message(m);
    }
    void on_message_properties(const message& m, const properties& props) override {
        if (opts.protocol != protocol_version::v5) return on_message(m);
        message with = m;
        with.props = &props;
        on_message(with);
    }
    void on_published(int mid) override { on_publish_complete(mid, reason_code::success, {}); }
    void on_subscribed(int mid, std::span<const int> granted) override {
        on_subscribe_complete(mid, granted, {});
    }
    void on_unsubscribed(int mid) override { on_unsubscribe_complete(mid, {}, {}); }
    void on_publish_complete(int mid, reason_code rc, const properties& props) override {
        events.published(cb, mid, rc, props);
    }
    void on_subscribe_complete(int mid, std::span<const int> codes,
                               const properties& props) override {
        events.subscribed(cb, mid, codes, props);
    }
    void on_unsubscribe_complete(int mid, std::span<const std::uint8_t> codes,
                                 const properties& props) override {
        std::size_t filters = 1;
        if (auto it = unsubscribe_filters.find(mid); it != unsubscribe_filters.end()) {
            filters = it->second;
            unsubscribe_filters.erase(it);
        }
        events.unsubscribed(cb, mid, codes, filters, props);
    }
    void on_server_disconnect(reason_code rc, const properties& props) override {
        log(log_level::warning, std::string("broker disconnected: ") + to_string(rc) +
                                    (props.reason_string ? " (" + *props.reason_string + ")" : ""));
        events.server_disconnect(rc, props);
    }
    void on_close(std::error_code reason, std::string_view detail) override {
        if (reason != errc::disconnected_by_user && reason != errc::connection_refused) {
            log(log_level::error, "closing connection to " + where() + ": " + std::string(detail));
        }
        if (!close_request) {
            close_request.emplace(reason, std::string(detail));
            close_deadline = clock::now() + close_flush_limit;
        }
    }
    void on_log(log_level level, std::string_view text) override { log(level, text); }
    void on_pingresp() override { policy.on_healthy(); }
};

async_client::async_client(asio::io_context& io, client_options options)
    : impl_(std::make_shared<impl>(io, std::move(options), *this)) {}

async_client::~async_client() {
    impl_->cb = nullptr;
    ++impl_->attempt;
    if (impl_->conn) impl_->conn->close();
    impl_->resolver.cancel();
    impl_->timer.cancel();
    impl_->retry_timer.cancel();
}

void async_client::connect(std::string host, std::uint16_t port, std::uint16_t keepalive,
                           std::string bind_address) {
    if (host.empty()) throw std::invalid_argument("broker host must not be empty");
    connect(std::vector<broker_address>{broker_address{std::move(host), port}}, keepalive,
            std::move(bind_address));
}

void async_client::connect(std::vector<broker_address> brokers, std::uint16_t keepalive,
                           std::string bind_address) {
    if (brokers.empty()) throw std::invalid_argument("the broker list must not be empty");
    for (const auto& b : brokers) {
        check_broker_address(b, impl_->opts.transport);
    }
    impl_->policy.set_brokers(std::move(brokers));
    impl_->bind_address = std::move(bind_address);
    impl_->sess.set_keepalive(keepalive);
    reconnect();
}

void async_client::reconnect() {
    impl_->policy.start(clock::now());  // throws std::invalid_argument before connect()
    impl_->sess.clear_disconnect();
    impl_->retry_timer.cancel();
    if (impl_->conn) {
        ++impl_->attempt;
        impl_->conn->close();
        impl_->conn.reset();
        impl_->sess.on_transport_closed();
        impl_->writing = false;
    }
    impl_->start_attempt();
}

void async_client::disconnect() { disconnect(reason_code::normal_disconnection, {}); }

void async_client::disconnect(reason_code rc, properties props) {
    const auto action = impl_->policy.disconnect();
    impl_->retry_timer.cancel();
    switch (action) {
        case connect_policy::disconnect_action::send_disconnect:
            if (impl_->v5()) {
                impl_->sess.disconnect(clock::now(), rc, std::move(props));
            } else {
                impl_->sess.disconnect(clock::now());
            }
            impl_->service();
            break;
        case connect_policy::disconnect_action::abort_attempt:
            if (impl_->conn) {
                impl_->teardown(make_error_code(errc::disconnected_by_user),
                                "disconnect requested");
            }
            break;
        case connect_policy::disconnect_action::none:
            break;
    }
}

void async_client::set_auto_reconnect(bool on) {
    impl_->policy.set_auto_reconnect(on);
}

void async_client::reconnect_delay_set(std::chrono::milliseconds min, std::chrono::milliseconds max) {
    impl_->opts.reconnect_min_delay = min;
    impl_->opts.reconnect_max_delay = max;
    impl_->policy.set_delays(min, max);
}

publish_result async_client::publish(std::string_view topic, std::string_view payload, int qos,
                                     bool retain) {
    publish_result r = impl_->sess.publish(topic, payload, qos, retain, clock::now());
    impl_->service();
    return r;
}

publish_result async_client::publish(std::string_view topic, std::string_view payload, int qos,
                                     bool retain, const properties& props) {
    check_publish_properties(impl_->opts.protocol, payload, props);
    publish_result r = impl_->sess.publish(topic, payload, qos, retain, props, clock::now());
    impl_->service();
    return r;
}

int async_client::subscribe(std::string_view filter, int qos) {
    std::pair<std::string, int> one{std::string(filter), qos};
    return subscribe(std::span(&one, 1));
}

int async_client::subscribe(std::span<const std::pair<std::string, int>> filters) {
    int mid = impl_->sess.subscribe(filters, clock::now());
    impl_->service();
    return mid;
}

int async_client::unsubscribe(std::string_view filter) {
    std::string one(filter);
    return unsubscribe(std::span(&one, 1));
}

int async_client::subscribe(std::span<const std::pair<std::string, subscribe_options>> filters,
                            const properties& props) {
    check_subscribe_request(impl_->opts.protocol, filters, props);
    int mid = impl_->sess.subscribe(filters, props, clock::now());
    impl_->service();
    return mid;
}

int async_client::unsubscribe(std::span<const std::string> filters) {
    int mid = impl_->sess.unsubscribe(filters, clock::now());
    if (!impl_->v5() && filters.size() > 1) impl_->unsubscribe_filters[mid] = filters.size();
    impl_->service();
    return mid;
}

void async_client::message_callback_add(std::string filter,
                                        std::function<void(const message&)> callback) {
    if (!is_valid_topic_filter(filter)) {
        throw std::invalid_argument("invalid topic filter: '" + filter + "'");
    }
    message_callback_remove(filter);
    impl_->filter_callbacks.emplace_back(std::move(filter), std::move(callback));
}

void async_client::message_callback_remove(std::string_view filter) {
    std::erase_if(impl_->filter_callbacks, [&](const auto& p) { return p.first == filter; });
}

connection_state async_client::state() const { return impl_->state(); }
const std::string& async_client::client_id() const { return impl_->opts.client_id; }
const broker_address& async_client::current_broker() const {
    return impl_->policy.current();
}
const std::vector<broker_address>& async_client::brokers() const {
    return impl_->policy.brokers();
}
std::size_t async_client::queued_messages() const { return impl_->sess.queued(); }
std::size_t async_client::inflight_messages() const { return impl_->sess.inflight(); }
bool async_client::idle() const {
    return impl_->sess.queued() == 0 && impl_->sess.inflight() == 0 && !impl_->writing &&
           !impl_->sess.has_output() && impl_->sess.awaiting_acks() == 0;
}
int async_client::native_socket() const {
    const auto& c = impl_->conn;
    if (!c) return -1;
    if (auto* s = c->tcp_socket(); s && s->is_open()) return s->native_handle();
    if (auto* s = c->local_socket(); s && s->is_open()) return s->native_handle();
    return -1;
}
bool async_client::want_write() const {
    return impl_->writing || (impl_->conn && impl_->sess.state() != session_state::idle &&
                              impl_->sess.has_output());
}
asio::io_context& async_client::io_context() { return impl_->io; }

}  // namespace piogate::mqtt
