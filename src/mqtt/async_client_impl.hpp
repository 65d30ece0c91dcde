// The state behind mqtt::async_client (include/piogate/mqtt/async_client.hpp): the Asio shell
// around the pure session and the pure connect_policy. Private to src/mqtt. Its members are
// defined by concern:
//  - async_client.cpp: the public face (each call hands the session an event, then service());
//  - async_client_connect.cpp: connection attempts: resolve, connect the socket (TCP or unix),
//    the proxy tunnel, the transport's handshakes (TLS, WebSocket), the reconnect timer;
//  - async_client_io.cpp: reading, writing and the one deadline timer (keepalive, connect
//    timeout, 5.0 close flush): what the session asked for is carried out in service();
//  - async_client_close.cpp: a lost or ended connection: teardown, the drain after DISCONNECT;
//  - async_client_session.cpp: the session_handler: what the session reports (CONNACK,
//    messages, acks, a close it asks for) turned into callbacks.
// When and where to connect, fail over and retry is connect_policy's decision.
//
// Thread: the caller's io_context thread, all of it. Lifetime: the handlers hold the impl
// (shared_from_this) and check `attempt` and `cb` first: a completion of an older attempt, or
// one after the owner is gone (cb null), does nothing.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "mqtt/async_client_events.hpp"
#include "mqtt/connect_policy.hpp"
#include "mqtt/session.hpp"
#include "mqtt/transport.hpp"
#include "piogate/mqtt/async_client.hpp"

namespace piogate::mqtt {

struct async_client::impl final : session_handler, std::enable_shared_from_this<impl> {
    using tcp = boost::asio::ip::tcp;
    using clock = std::chrono::steady_clock;

    // Throws std::invalid_argument for bad options (async_client_options.hpp: validated).
    impl(boost::asio::io_context& io_, client_options o, client_callbacks& cb_);

    boost::asio::io_context& io;
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
    boost::asio::steady_timer timer;
    boost::asio::steady_timer retry_timer;
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
    std::shared_ptr<std::function<void()>> draining;  // the drain after DISCONNECT, if any

    // ---- logging ----
    void log(log_level level, std::string_view text) {
        if (cb && cb->on_log) cb->on_log(level, text);
    }

    // ---- where it connects ----
    connection_state state() const;
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
    std::string dial_where() const;  // for the log: the broker, or "... proxy host:port"

    // ---- connection attempts (async_client_connect.cpp) ----
    // The policy has begun an attempt on its current() broker: carry it out.
    void start_attempt();
    void connect_next(std::vector<tcp::endpoint> eps, std::size_t i,
                      boost::system::error_code last);
    // Connected to the proxy: ask it for the broker, then the layers' handshakes.
    void proxy_tunnel(const std::shared_ptr<transport>& c);
    // The socket is connected: the handshakes of the layers above it (TLS, WebSocket).
    void handshake(const std::shared_ptr<transport>& c);
    void transport_open();
    // An attempt failed before CONNACK; `why` is the short reason for the failover log.
    void attempt_failed(std::error_code reason, const std::string& detail, std::string why);
    void schedule_reconnect(const retry_plan& plan);

    // ---- reading, writing, timers (async_client_io.cpp) ----
    void start_read();
    void on_read(const boost::system::error_code& ec, std::size_t n);
    void flush();
    // Carry out what the session asked for: write, close, re-arm the timer.
    void service();
    void arm_timer();
    void on_timer();

    // ---- closing (async_client_close.cpp) ----
    void lost(const std::string& detail);
    // Close the transport, report, and fail over or schedule a reconnect as the policy says.
    void teardown(std::error_code reason, std::string detail);
    // After DISCONNECT: half-close, read and discard until the broker closes or 1 s passes.
    // The connection's own read is still pending and must go first: with two reads queued on
    // one stream socket, Asio hands the end of stream to the first only (a 0-byte read is
    // "exhausted"), so the drain would sleep out its whole second.
    void drain_and_close(std::shared_ptr<transport> c);

    // ---- session_handler (async_client_session.cpp) ----
    void on_connack(bool session_present, int rc) override;
    void on_connack_properties(bool session_present, int rc, const properties& props) override;
    void on_message(const message& m) override;
    void on_message_properties(const message& m, const properties& props) override;
    void on_published(int mid) override;
    void on_subscribed(int mid, std::span<const int> granted) override;
    void on_unsubscribed(int mid) override;
    void on_publish_complete(int mid, reason_code rc, const properties& props) override;
    void on_subscribe_complete(int mid, std::span<const int> codes,
                               const properties& props) override;
    void on_unsubscribe_complete(int mid, std::span<const std::uint8_t> codes,
                                 const properties& props) override;
    void on_server_disconnect(reason_code rc, const properties& props) override;
    void on_close(std::error_code reason, std::string_view detail) override;
    void on_log(log_level level, std::string_view text) override;
    void on_pingresp() override;
};

}  // namespace piogate::mqtt
