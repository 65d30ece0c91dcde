// Tunnels through real proxies on loopback (tinyproxy for HTTP CONNECT, microsocks for
// SOCKS5) to a real mosquitto, and through a scripted proxy for what real proxies do not send
// (407 from a proxy we did not configure, 502, garbage, replies dribbled a byte at a time,
// tunnel bytes in the same segment as the reply, every SOCKS5 reply code); and async_client
// end to end through both, over TCP, TLS and WebSocket.
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>
// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "mqtt/proxy_codec.hpp"
#include "mqtt/proxy_connect.hpp"
#include "piogate/mqtt/async_client.hpp"
#include "piogate/mqtt/codec.hpp"
#include "support/mosquitto_broker.hpp"
#include "support/proxy_process.hpp"

namespace piogate::mqtt {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;
using test::proxy_process;
using test::proxy_program;

struct tunnel {
    asio::io_context io;
    tcp::socket socket{io};
    bool finished = false;
    boost::system::error_code ec;
    std::string detail;
};

// Connects to the proxy on 127.0.0.1:proxy.port and asks it for host:port; at most 10 s.
void open_tunnel(tunnel& t, const proxy_options& proxy, const std::string& host,
                 std::uint16_t port) {
    t.socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), proxy.port));
    async_proxy_connect(t.socket, proxy, host, port,
                        [&t](const boost::system::error_code& ec, std::string detail) {
                            ASSERT_FALSE(t.finished) << "done called twice";
                            t.finished = true;
                            t.ec = ec;
                            t.detail = std::move(detail);
                        });
    t.io.run_for(10s);
    t.io.restart();
    ASSERT_TRUE(t.finished) << "no answer within 10 s";
}

// Reads exactly `n` bytes from the tunnel (at most 5 s); what arrived if fewer.
std::string read_exactly(tunnel& t, std::size_t n) {
    std::string in(n, '\0');
    std::size_t got = 0;
    asio::async_read(t.socket, asio::buffer(in),
                     [&](const boost::system::error_code&, std::size_t k) { got = k; });
    t.io.run_for(5s);
    t.io.restart();
    in.resize(got);
    return in;
}

// Speaks MQTT 3.1.1 through the tunnel: CONNECT (our codec), then the broker's CONNACK.
void expect_mqtt_through(tunnel& t) {
    ASSERT_FALSE(t.ec) << t.ec.message() << ": " << t.detail;
    EXPECT_TRUE(t.detail.empty());
    connect_packet connect;
    connect.client_id = "proxy-test";
    byte_buffer out;
    encode_connect(connect, out);
    asio::write(t.socket, asio::buffer(out));
    EXPECT_EQ(read_exactly(t, 4), std::string("\x20\x02\x00\x00", 4)) << "CONNACK, accepted";
}

proxy_options options_for(const proxy_process& p, proxy_kind kind,
                          std::optional<std::string> user = std::nullopt,
                          std::optional<std::string> pass = std::nullopt) {
    proxy_options o;
    o.kind = kind;
    o.host = "127.0.0.1";
    o.port = p.port();
    o.username = std::move(user);
    o.password = std::move(pass);
    return o;
}

// --- tinyproxy ---

TEST(client_proxy, tinyproxy_tunnel_carries_mqtt_to_an_address_and_a_name) {
    test::mosquitto_broker broker;
    proxy_process proxy({.program = proxy_program::tinyproxy, .connect_ports = {broker.port()}});
    for (const std::string host : {"127.0.0.1", "localhost"}) {
        tunnel t;
        open_tunnel(t, options_for(proxy, proxy_kind::http), host, broker.port());
        expect_mqtt_through(t);
    }
}

TEST(client_proxy, tinyproxy_basic_auth_right_missing_and_wrong) {
    test::mosquitto_broker broker;
    proxy_process proxy({.program = proxy_program::tinyproxy,
                         .username = "alice",
                         .password = "s3cret",
                         .connect_ports = {broker.port()}});
    {
        tunnel t;
        open_tunnel(t, options_for(proxy, proxy_kind::http, "alice", "s3cret"), "127.0.0.1",
                    broker.port());
        expect_mqtt_through(t);
    }
    // tinyproxy 1.11 answers a missing Proxy-Authorization with 407 and a wrong one with 401.
    struct row {
        std::optional<std::string> user, pass;
        std::string status;
    };
    for (const auto& row : {row{std::nullopt, std::nullopt, "407 Proxy Authentication Required"},
                            row{"alice", "wrong", "401 Unauthorized"}}) {
        tunnel t;
        open_tunnel(t, options_for(proxy, proxy_kind::http, row.user, row.pass), "127.0.0.1",
                    broker.port());
        EXPECT_EQ(t.ec, boost::system::errc::permission_denied);
        EXPECT_EQ(t.detail, "HTTP proxy 127.0.0.1:" + std::to_string(proxy.port()) +
                                " refused CONNECT 127.0.0.1:" + std::to_string(broker.port()) +
                                ": " + row.status + " (authentication required or refused)");
    }
}

TEST(client_proxy, tinyproxy_refusals_name_the_status) {
    test::mosquitto_broker broker;
    proxy_process proxy({.program = proxy_program::tinyproxy, .connect_ports = {broker.port()}});
    {  // a port outside ConnectPort
        tunnel t;
        open_tunnel(t, options_for(proxy, proxy_kind::http), "127.0.0.1", broker.port() + 1);
        EXPECT_EQ(t.ec, boost::system::errc::permission_denied) << t.detail;
        EXPECT_NE(t.detail.find(": 403"), std::string::npos) << t.detail;
    }
    broker.stop();
    {  // the broker is down: tinyproxy cannot connect
        tunnel t;
        open_tunnel(t, options_for(proxy, proxy_kind::http), "127.0.0.1", broker.port());
        EXPECT_TRUE(t.ec) << t.detail;
        EXPECT_NE(t.detail.find("refused CONNECT 127.0.0.1:" + std::to_string(broker.port())),
                  std::string::npos)
            << t.detail;
    }
}

// --- microsocks ---

TEST(client_proxy, microsocks_tunnel_carries_mqtt_to_an_address_and_a_name) {
    test::mosquitto_broker broker;
    proxy_process proxy({.program = proxy_program::microsocks});
    for (const std::string host : {"127.0.0.1", "localhost"}) {
        tunnel t;
        open_tunnel(t, options_for(proxy, proxy_kind::socks5), host, broker.port());
        expect_mqtt_through(t);
    }
}

TEST(client_proxy, microsocks_username_password_right_missing_and_wrong) {
    test::mosquitto_broker broker;
    proxy_process proxy(
        {.program = proxy_program::microsocks, .username = "bob", .password = "hunter2"});
    {
        tunnel t;
        open_tunnel(t, options_for(proxy, proxy_kind::socks5, "bob", "hunter2"), "localhost",
                    broker.port());
        expect_mqtt_through(t);
    }
    {
        tunnel t;
        open_tunnel(t, options_for(proxy, proxy_kind::socks5, "bob", "wrong"), "localhost",
                    broker.port());
        EXPECT_EQ(t.ec, boost::system::errc::permission_denied);
        EXPECT_NE(t.detail.find("SOCKS5 proxy 127.0.0.1:" + std::to_string(proxy.port()) +
                                " refused CONNECT localhost:" + std::to_string(broker.port()) +
                                ": username/password authentication failed"),
                  std::string::npos)
            << t.detail;
    }
    {
        tunnel t;
        open_tunnel(t, options_for(proxy, proxy_kind::socks5), "localhost", broker.port());
        EXPECT_EQ(t.ec, boost::system::errc::permission_denied);
        EXPECT_NE(t.detail.find("authentication required (no proxy username set)"),
                  std::string::npos)
            << t.detail;
    }
}

TEST(client_proxy, microsocks_reports_a_refused_broker_in_words) {
    const std::uint16_t closed_port = test::free_loopback_port();
    proxy_process proxy({.program = proxy_program::microsocks});
    tunnel t;
    open_tunnel(t, options_for(proxy, proxy_kind::socks5), "127.0.0.1", closed_port);
    EXPECT_EQ(t.ec, boost::system::errc::connection_refused);
    EXPECT_NE(t.detail.find("connection refused by the destination host"), std::string::npos)
        << t.detail;
}

// --- a scripted proxy, for replies real proxies do not send ---

struct step {
    std::size_t read = 0;                // read exactly this many bytes first
    bool read_headers = false;           // or read up to and including "\r\n\r\n"
    std::string write{};                 // then send this
    bool dribble = false;                // one byte per send (TCP_NODELAY)
    bool close = false;                  // then close the connection
    std::chrono::milliseconds delay{0};  // wait this long before sending
};

// Serves one connection on its own thread, following `script`; records what it read.
class scripted_proxy {
public:
    explicit scripted_proxy(std::vector<step> script) : script_(std::move(script)) {
        listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof addr;
        if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), len) != 0 ||
            ::listen(listen_fd_, 1) != 0 ||
            ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
            throw std::runtime_error("scripted proxy: cannot listen");
        port_ = ntohs(addr.sin_port);
        thread_ = std::thread([this] { serve(); });
    }
    ~scripted_proxy() {
        ::shutdown(listen_fd_, SHUT_RDWR);  // unblocks accept
        if (const int fd = conn_fd_.load(); fd >= 0) ::shutdown(fd, SHUT_RDWR);
        thread_.join();
        ::close(listen_fd_);
    }
    std::uint16_t port() const { return port_; }
    std::string received() const {
        std::lock_guard lock(mutex_);
        return received_;
    }

private:
    void serve() {
        const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0) return;
        conn_fd_ = fd;
        const int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        const auto read_byte = [&](char& c) { return ::recv(fd, &c, 1, 0) == 1; };
        bool open = true;
        for (const auto& s : script_) {
            std::string got;
            for (char c;
                 open && (got.size() < s.read || (s.read_headers && !got.ends_with("\r\n\r\n")));) {
                open = read_byte(c);
                if (open) got += c;
            }
            {
                std::lock_guard lock(mutex_);
                received_ += got;
            }
            if (!open) break;
            if (s.delay > 0ms) std::this_thread::sleep_for(s.delay);
            if (s.dribble) {
                for (char c : s.write) ::send(fd, &c, 1, MSG_NOSIGNAL);
            } else if (!s.write.empty()) {
                ::send(fd, s.write.data(), s.write.size(), MSG_NOSIGNAL);
            }
            if (s.close) {
                open = false;
                break;
            }
        }
        for (char c; open && read_byte(c);) {  // until the client closes
        }
        conn_fd_ = -1;
        ::close(fd);
    }

    std::vector<step> script_;
    int listen_fd_ = -1;
    std::atomic<int> conn_fd_{-1};
    std::uint16_t port_ = 0;
    std::thread thread_;
    mutable std::mutex mutex_;
    std::string received_;
};

proxy_options scripted(const scripted_proxy& p, proxy_kind kind,
                       std::optional<std::string> user = std::nullopt,
                       std::optional<std::string> pass = std::nullopt) {
    proxy_options o;
    o.kind = kind;
    o.host = "127.0.0.1";
    o.port = p.port();
    o.username = std::move(user);
    o.password = std::move(pass);
    return o;
}

TEST(client_proxy, http_reply_dribbled_and_tunnel_bytes_in_the_same_segment) {
    for (const bool dribble : {false, true}) {
        scripted_proxy proxy({{.read_headers = true,
                               .write = "HTTP/1.1 200 Connection established\r\nVia: x\r\n\r\n" +
                                        std::string("\x20\x02\x00\x00", 4),
                               .dribble = dribble}});
        tunnel t;
        open_tunnel(t, scripted(proxy, proxy_kind::http, "u", "p"), "broker.example", 1883);
        ASSERT_FALSE(t.ec) << t.detail;
        EXPECT_EQ(proxy.received(),
                  "CONNECT broker.example:1883 HTTP/1.1\r\nHost: broker.example:1883\r\n"
                  "Proxy-Authorization: Basic dTpw\r\n\r\n");
        // The four bytes after the headers were left on the socket for the next layer.
        EXPECT_EQ(read_exactly(t, 4), std::string("\x20\x02\x00\x00", 4));
    }
}

TEST(client_proxy, http_refusals_garbage_and_early_close_are_clear_errors) {
    struct row {
        std::string reply;
        bool close;
        boost::system::error_code code;
        std::string detail;
    };
    const std::string who = "refused CONNECT broker.example:1883: ";
    const std::vector<row> rows = {
        {"HTTP/1.1 407 Proxy Authentication Required\r\n\r\n", false,
         make_error_code(boost::system::errc::permission_denied),
         who + "407 Proxy Authentication Required (authentication required or refused)"},
        {"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n", false,
         make_error_code(boost::system::errc::connection_refused), who + "502 Bad Gateway"},
        {"\x05\x00garbage\r\n\r\n", false, make_error_code(boost::system::errc::protocol_error),
         "sent a malformed reply to CONNECT broker.example:1883: reply is not HTTP"},
        {"HTTP/1.1 200 OK\r\nbroken\r\n\r\n", false,
         make_error_code(boost::system::errc::protocol_error), "malformed header line \"broken\""},
        {"", true, boost::asio::error::eof,
         "CONNECT broker.example:1883: the proxy closed the connection before its reply"},
        {"HTTP/1.1 200 OK\r\n", true, boost::asio::error::eof,
         "closed the connection before the end of its reply (status 200)"},
    };
    for (const auto& row : rows) {
        scripted_proxy proxy({{.read_headers = true, .write = row.reply, .close = row.close}});
        tunnel t;
        open_tunnel(t, scripted(proxy, proxy_kind::http), "broker.example", 1883);
        EXPECT_EQ(t.ec, row.code) << row.reply << " -> " << t.ec.message();
        EXPECT_NE(t.detail.find(row.detail), std::string::npos) << t.detail;
        EXPECT_EQ(t.detail.rfind("HTTP proxy 127.0.0.1:" + std::to_string(proxy.port()), 0), 0u)
            << t.detail;
    }
}

TEST(client_proxy, socks5_replies_dribbled_with_auth_and_tunnel_bytes_after) {
    const std::string connect_request = std::string(
        "\x05\x01\x00\x03\x06"
        "broker\x07\x5b",
        12);
    scripted_proxy proxy({
        {.read = 4, .write = std::string("\x05\x02", 2), .dribble = true},
        {.read = 1 + 1 + 3 + 1 + 4, .write = std::string("\x01\x00", 2), .dribble = true},
        {.read = connect_request.size(),
         .write = std::string("\x05\x00\x00\x03\x04host\x00\x50"
                              "tunnel",
                              17),
         .dribble = true},
    });
    tunnel t;
    open_tunnel(t, scripted(proxy, proxy_kind::socks5, "bob", "pass"), "broker", 1883);
    ASSERT_FALSE(t.ec) << t.detail;
    EXPECT_EQ(proxy.received(), std::string("\x05\x02\x00\x02", 4) +
                                    std::string("\x01\x03"
                                                "bob\x04pass",
                                                10) +
                                    connect_request);
    EXPECT_EQ(read_exactly(t, 6), "tunnel");
}

TEST(client_proxy, socks5_every_reply_code_reaches_the_caller_in_words) {
    for (std::uint8_t rep = 1; rep <= 9; ++rep) {
        scripted_proxy proxy({
            {.read = 3, .write = std::string("\x05\x00", 2)},
            {.read = 10,
             .write = std::string("\x05") + static_cast<char>(rep) +
                      std::string("\x00\x01\x00\x00\x00\x00\x00\x00", 8),
             .dribble = true,
             .close = true},
        });
        tunnel t;
        open_tunnel(t, scripted(proxy, proxy_kind::socks5), "10.9.8.7", 1883);
        EXPECT_TRUE(t.ec);
        EXPECT_EQ(t.detail, "SOCKS5 proxy 127.0.0.1:" + std::to_string(proxy.port()) +
                                " refused CONNECT 10.9.8.7:1883: " + socks5_reply_text(rep));
    }
}

TEST(client_proxy, socks5_garbage_and_truncated_replies) {
    {
        scripted_proxy proxy({{.read = 3, .write = "HTTP/1.1 400 Bad Request\r\n\r\n"}});
        tunnel t;
        open_tunnel(t, scripted(proxy, proxy_kind::socks5), "broker", 1883);
        EXPECT_EQ(t.ec, boost::system::errc::protocol_error);
        EXPECT_NE(t.detail.find("malformed reply to CONNECT broker:1883: reply is not SOCKS5"),
                  std::string::npos)
            << t.detail;
    }
    {
        scripted_proxy proxy(
            {{.read = 3, .write = std::string("\x05\x00", 2)},
             {.read = 13, .write = std::string("\x05\x00\x00\x01\x7f", 5), .close = true}});
        tunnel t;
        open_tunnel(t, scripted(proxy, proxy_kind::socks5), "broker", 1883);
        EXPECT_EQ(t.ec, boost::asio::error::eof);
        EXPECT_NE(t.detail.find("the proxy closed the connection before its reply was complete"),
                  std::string::npos)
            << t.detail;
    }
}

TEST(client_proxy, closing_the_socket_ends_the_handshake_with_operation_aborted) {
    scripted_proxy proxy(std::vector<step>{{.read_headers = true}});  // never answers
    tunnel t;
    t.socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), proxy.port()));
    async_proxy_connect(t.socket, scripted(proxy, proxy_kind::http), "broker", 1883,
                        [&t](const boost::system::error_code& ec, std::string detail) {
                            t.finished = true;
                            t.ec = ec;
                            t.detail = std::move(detail);
                        });
    for (int i = 0; i < 500 && proxy.received().find("\r\n\r\n") == std::string::npos; ++i)
        t.io.run_for(10ms);
    ASSERT_NE(proxy.received().find("\r\n\r\n"), std::string::npos);
    EXPECT_FALSE(t.finished);
    t.socket.close();  // what the client's connect timeout does
    t.io.run_for(5s);
    ASSERT_TRUE(t.finished);
    EXPECT_EQ(t.ec, boost::asio::error::operation_aborted) << t.detail;
}

// Found in CI: the request was written (its completion queued) when the owner closed the
// socket, so the next step found no descriptor and reported "Bad file descriptor".
TEST(client_proxy, closing_the_socket_between_two_steps_is_also_operation_aborted) {
    for (const auto kind : {proxy_kind::http, proxy_kind::socks5}) {
        scripted_proxy proxy(std::vector<step>{{.read_headers = true}});  // never answers
        tunnel t;
        t.socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), proxy.port()));
        async_proxy_connect(t.socket, scripted(proxy, kind), "broker", 1883,
                            [&t](const boost::system::error_code& ec, std::string detail) {
                                t.finished = true;
                                t.ec = ec;
                                t.detail = std::move(detail);
                            });
        // The first write is tried at once; its completion waits in the queue. Close now.
        t.socket.close();
        t.io.run_for(5s);
        ASSERT_TRUE(t.finished);
        EXPECT_EQ(t.ec, boost::asio::error::operation_aborted) << t.detail;
    }
}

TEST(client_proxy, arguments_that_cannot_be_sent_fail_without_touching_the_proxy) {
    scripted_proxy proxy(std::vector<step>{});
    for (const auto kind : {proxy_kind::http, proxy_kind::socks5}) {
        tunnel t;
        open_tunnel(t, scripted(proxy, kind, std::nullopt, "pw"), "broker", 1883);
        EXPECT_EQ(t.ec, boost::system::errc::invalid_argument);
        EXPECT_NE(t.detail.find("cannot ask for broker:1883: proxy password set without a "
                                "username"),
                  std::string::npos)
            << t.detail;
    }
    EXPECT_EQ(proxy.received(), "");
}

// --- end to end: async_client through each proxy ---

template <class Pred>
bool run_until(asio::io_context& io, Pred done, std::chrono::milliseconds limit = 10s) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    io.restart();
    while (!done()) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        io.run_one_for(20ms);
    }
    return true;
}

enum class layer : std::uint8_t { tcp, tls, websockets };

// Subscribes through the proxy, publishes at QoS 1 and waits for its own message; then stops
// the proxy and expects the connection to end with it (the traffic went through it).
void publish_and_receive_through(test::proxy_process_options popts, proxy_kind kind,
                                 std::optional<std::string> user, std::optional<std::string> pass,
                                 layer over = layer::tcp, const std::string& host = "127.0.0.1") {
    test::mosquitto_broker broker(
        {.tls = over == layer::tls, .websockets = over == layer::websockets});
    const std::uint16_t port = over == layer::tls          ? broker.tls_port()
                               : over == layer::websockets ? broker.ws_port()
                                                           : broker.port();
    if (popts.program == proxy_program::tinyproxy) popts.connect_ports = {port};
    std::optional<proxy_process> proxy(std::in_place, popts);
    asio::io_context io;
    client_options o;
    o.client_id = "proxy-e2e";
    o.proxy = options_for(*proxy, kind, user, pass);
    o.reconnect_min_delay = 5s;  // no reconnect within the test
    o.reconnect_max_delay = 10s;
    if (over == layer::tls) {
        tls_options tls;
        tls.ca_file = broker.ca_file();  // the host name is checked against the certificate
        o.tls = tls;
    }
    if (over == layer::websockets) o.transport = transport_kind::websockets;
    async_client c(io, o);
    int downs = 0;
    std::string received;
    std::string failure;
    c.on_connect = [&](int rc, bool) {
        if (rc == 0) c.subscribe("proxy/e2e", 1);
    };
    c.on_connect_fail = [&](std::error_code, std::string_view d) { failure = d; };
    c.on_subscribe = [&](int, std::span<const int>) { c.publish("proxy/e2e", "through", 1); };
    c.on_message = [&](const message& m) { received = std::string(m.payload); };
    c.on_disconnect = [&](std::error_code) { ++downs; };
    c.connect(host, port);
    ASSERT_TRUE(run_until(io, [&] { return !received.empty() || !failure.empty(); }))
        << "no message through " << describe_proxy(*o.proxy);
    ASSERT_EQ(received, "through") << failure;
    proxy.reset();  // the tunnel ends with the proxy
    EXPECT_TRUE(run_until(io, [&] { return downs == 1; }));
}

TEST(client_proxy, async_client_publishes_and_receives_through_tinyproxy) {
    const test::proxy_process_options plain{.program = proxy_program::tinyproxy};
    const test::proxy_process_options auth{
        .program = proxy_program::tinyproxy, .username = "alice", .password = "s3cret"};
    publish_and_receive_through(plain, proxy_kind::http, std::nullopt, std::nullopt);
    publish_and_receive_through(auth, proxy_kind::http, "alice", "s3cret");
    publish_and_receive_through(auth, proxy_kind::http, "alice", "s3cret", layer::tls, "localhost");
    publish_and_receive_through(plain, proxy_kind::http, std::nullopt, std::nullopt,
                                layer::websockets);
}

TEST(client_proxy, async_client_publishes_and_receives_through_microsocks) {
    const test::proxy_process_options plain{.program = proxy_program::microsocks};
    const test::proxy_process_options auth{
        .program = proxy_program::microsocks, .username = "bob", .password = "hunter2"};
    publish_and_receive_through(plain, proxy_kind::socks5, std::nullopt, std::nullopt);
    publish_and_receive_through(auth, proxy_kind::socks5, "bob", "hunter2");
    publish_and_receive_through(plain, proxy_kind::socks5, std::nullopt, std::nullopt, layer::tls);
    publish_and_receive_through(auth, proxy_kind::socks5, "bob", "hunter2", layer::websockets,
                                "localhost");
}

// A wrong password is a failed attempt whose detail says so; no CONNACK, no connection.
TEST(client_proxy, async_client_wrong_proxy_password_is_a_clear_connect_failure) {
    test::mosquitto_broker broker;
    struct row {
        test::proxy_process_options popts;
        proxy_kind kind;
        std::string says;
    };
    const std::vector<row> rows = {
        {{.program = proxy_program::tinyproxy,
          .username = "alice",
          .password = "s3cret",
          .connect_ports = {broker.port()}},
         proxy_kind::http,
         "401 Unauthorized (authentication required or refused)"},
        {{.program = proxy_program::microsocks, .username = "bob", .password = "hunter2"},
         proxy_kind::socks5,
         "username/password authentication failed"},
    };
    for (const auto& row : rows) {
        proxy_process proxy(row.popts);
        asio::io_context io;
        client_options o;
        o.client_id = "proxy-wrong-password";
        o.proxy = options_for(proxy, row.kind, "intruder", "wrong");
        o.reconnect_min_delay = 5s;
        async_client c(io, o);
        int connects = 0;
        std::string failure;
        c.on_connect = [&](int, bool) { ++connects; };
        c.on_connect_fail = [&](std::error_code, std::string_view d) { failure = d; };
        c.connect("127.0.0.1", broker.port());
        ASSERT_TRUE(run_until(io, [&] { return !failure.empty(); }));
        EXPECT_NE(failure.find(describe_proxy(*o.proxy) +
                               " refused CONNECT 127.0.0.1:" + std::to_string(broker.port())),
                  std::string::npos)
            << failure;
        EXPECT_NE(failure.find(row.says), std::string::npos) << failure;
        EXPECT_EQ(connects, 0);
    }
}

// connect_timeout is one budget for the whole attempt (TCP, proxy, handshakes, CONNACK): a
// proxy that answers late leaves the broker only the rest. Before, CONNACK got a fresh
// connect_timeout once the tunnel was open, so this attempt took 1.5 s + 2.5 s.
TEST(client_proxy, async_client_connect_timeout_covers_a_slow_proxy_and_the_connack) {
    scripted_proxy proxy({{.read_headers = true,
                           .write = "HTTP/1.1 200 Connection established\r\n\r\n",
                           .delay = 1500ms}});  // then the tunnel stays silent: no CONNACK
    asio::io_context io;
    client_options o;
    o.client_id = "proxy-slow";
    o.proxy = scripted(proxy, proxy_kind::http);
    o.connect_timeout = 2500ms;
    o.reconnect_min_delay = 30s;
    async_client c(io, o);
    std::error_code reason;
    std::string failure;
    c.on_connect_fail = [&](std::error_code r, std::string_view d) {
        reason = r;
        failure = d;
    };
    const auto start = std::chrono::steady_clock::now();
    c.connect("broker.example", 1883);
    ASSERT_TRUE(run_until(io, [&] { return !failure.empty(); }));
    const auto took = std::chrono::steady_clock::now() - start;
    EXPECT_EQ(reason, make_error_code(errc::connect_timeout)) << failure;
    EXPECT_NE(failure.find("no CONNACK within 2500 ms"), std::string::npos) << failure;
    EXPECT_GE(took, 2400ms);
    EXPECT_LT(took, 3500ms) << "the CONNACK wait started a fresh timeout after the proxy";
    // The proxy saw the CONNECT request, and then our MQTT CONNECT through the tunnel.
    EXPECT_NE(proxy.received().find("CONNECT broker.example:1883 HTTP/1.1"), std::string::npos);
}

}  // namespace
}  // namespace piogate::mqtt
