// Every transport (tcp, tls, ws, wss, unix) × MQTT 3.1 and 3.1.1 × QoS 0/1/2 against a real
// mosquitto, cross-checked by mosquitto_pub/mosquitto_sub over plain TCP; a refused WebSocket
// upgrade from a scripted HTTP server; ALPN seen by `openssl s_server`; WebSocket frames split
// at every byte by a scripted Beast server.
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/websocket.hpp>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

#include "piogate/mqtt/client.hpp"
#include "support/mosquitto_broker.hpp"
#include "support/proxy_process.hpp"

namespace mqtt = piogate::mqtt;
namespace asio = boost::asio;
namespace websocket = boost::beast::websocket;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

namespace {

// A shell command's output, read line by line (popen; the command runs under /bin/sh).
class command {
public:
    explicit command(const std::string& cmd) : pipe_(::popen((cmd + " 2>&1").c_str(), "r")) {
        if (!pipe_) throw std::runtime_error("cannot run " + cmd);
    }
    ~command() {
        if (pipe_) ::pclose(pipe_);
    }
    // The next line without its '\n'; false at the end of the output.
    bool line(std::string& out) {
        out.clear();
        for (int c; (c = std::fgetc(pipe_)) != EOF;) {
            if (c == '\n') return true;
            out += static_cast<char>(c);
        }
        return !out.empty();
    }
    // Reads lines until one contains `text`; all lines read so far go to `seen`.
    bool wait_for(const std::string& text, std::string& seen) {
        for (std::string l; line(l);) {
            seen += l + "\n";
            if (l.find(text) != std::string::npos) return true;
        }
        return false;
    }
private:
    FILE* pipe_;
};

std::string tool(const char* name) {
    for (const char* dir : {"/usr/bin/", "/usr/local/bin/"}) {
        const std::string p = std::string(dir) + name;
        if (::access(p.c_str(), X_OK) == 0) return p;
    }
    return name;
}

struct transport_case {
    const char* name;
    mqtt::transport_kind kind;
    bool tls;
    mqtt::protocol_version protocol;
};

std::string case_name(const testing::TestParamInfo<transport_case>& info) {
    return std::string(info.param.name) +
           (info.param.protocol == mqtt::protocol_version::v31 ? "_v31" : "_v311");
}

class client_transport : public testing::TestWithParam<transport_case> {
protected:
    static void SetUpTestSuite() {
        piogate::test::broker_options bo;
        bo.tls = true;
        bo.websockets = true;
        bo.tls_websockets = true;
        bo.unix_socket = true;
        broker_ = new piogate::test::mosquitto_broker(bo);
    }
    static void TearDownTestSuite() {
        delete broker_;
        broker_ = nullptr;
    }
    static piogate::test::mosquitto_broker* broker_;
};
piogate::test::mosquitto_broker* client_transport::broker_ = nullptr;

TEST_P(client_transport, publishes_and_receives_at_every_qos) {
    const transport_case& tc = GetParam();
    auto& broker = *broker_;
    mqtt::client_options o;
    o.protocol = tc.protocol;
    o.transport = tc.kind;
    std::string host = "127.0.0.1";
    std::uint16_t port = broker.port();
    if (tc.tls) {
        o.tls.emplace();
        o.tls->ca_file = broker.ca_file();
        host = "localhost";
    }
    if (tc.kind == mqtt::transport_kind::websockets) port = tc.tls ? broker.wss_port() : broker.ws_port();
    else if (tc.tls) port = broker.tls_port();
    if (tc.kind == mqtt::transport_kind::unix_socket) host = broker.socket_path();

    const std::string base = std::string("tt/") + case_name({tc, 0});
    mqtt::client c(o);
    std::vector<std::pair<std::string, int>> got;
    int subscribed = 0;
    c.on_message = [&](mqtt::client&, std::any&, const mqtt::message& m) {
        got.emplace_back(std::string(m.payload), m.qos);
    };
    c.on_subscribe = [&](mqtt::client&, std::any&, int, std::span<const mqtt::reason_code>,
                         const mqtt::properties&) { ++subscribed; };
    c.connect(host, port);
    c.subscribe(base + "/in", 2);
    for (int i = 0; i < 100 && subscribed == 0; ++i) c.loop(50ms);
    ASSERT_EQ(subscribed, 1);

    // Out: what the client publishes on its transport, mosquitto_sub receives over TCP.
    const std::string sub_id = "sub-" + case_name({tc, 0});
    command sub(tool("mosquitto_sub") + " -i " + sub_id + " -h 127.0.0.1 -p " +
                std::to_string(broker.port()) + " -q 2 -C 3 -W 10 -F '%q %p' -t '" + base +
                "/out'");
    for (int i = 0; i < 500 && broker.log().find("Sending SUBACK to " + sub_id) == std::string::npos; ++i) {
        std::this_thread::sleep_for(10ms);  // polling the broker's log: mosquitto_sub says nothing
    }
    ASSERT_NE(broker.log().find("Sending SUBACK to " + sub_id), std::string::npos);
    for (int qos = 0; qos <= 2; ++qos) c.publish(base + "/out", "out" + std::to_string(qos), qos);
    // In: mosquitto_pub over TCP, the client receives on its transport.
    for (int qos = 0; qos <= 2; ++qos) {
        const std::string cmd = tool("mosquitto_pub") + " -h 127.0.0.1 -p " +
                                std::to_string(broker.port()) + " -q " + std::to_string(qos) +
                                " -t '" + base + "/in' -m in" + std::to_string(qos);
        ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
    }
    for (int i = 0; i < 200 && got.size() < 3; ++i) c.loop(20ms);
    EXPECT_EQ(got, (std::vector<std::pair<std::string, int>>{{"in0", 0}, {"in1", 1}, {"in2", 2}}));

    EXPECT_TRUE(c.wait_idle(5s));  // every QoS 1/2 message acknowledged
    std::vector<std::string> lines;
    for (std::string l; sub.line(l);) lines.push_back(l);  // until it exits after -C 3
    EXPECT_EQ(lines, (std::vector<std::string>{"0 out0", "1 out1", "2 out2"}));
    c.disconnect();
    c.loop_forever();
}

INSTANTIATE_TEST_SUITE_P(
    all, client_transport,
    testing::Values(transport_case{"tcp", mqtt::transport_kind::tcp, false, mqtt::MQTTv31},
                    transport_case{"tcp", mqtt::transport_kind::tcp, false, mqtt::MQTTv311},
                    transport_case{"tls", mqtt::transport_kind::tcp, true, mqtt::MQTTv31},
                    transport_case{"tls", mqtt::transport_kind::tcp, true, mqtt::MQTTv311},
                    transport_case{"ws", mqtt::transport_kind::websockets, false, mqtt::MQTTv31},
                    transport_case{"ws", mqtt::transport_kind::websockets, false, mqtt::MQTTv311},
                    transport_case{"wss", mqtt::transport_kind::websockets, true, mqtt::MQTTv31},
                    transport_case{"wss", mqtt::transport_kind::websockets, true, mqtt::MQTTv311},
                    transport_case{"unix", mqtt::transport_kind::unix_socket, false, mqtt::MQTTv31},
                    transport_case{"unix", mqtt::transport_kind::unix_socket, false, mqtt::MQTTv311}),
    case_name);

// tcp, tls, ws and wss through tinyproxy (HTTP CONNECT) and microsocks (SOCKS5), with
// bind_address applying to the socket to the proxy.
TEST(client_proxy, every_tcp_based_transport_through_both_proxies) {
    piogate::test::broker_options bo;
    bo.tls = true;
    bo.websockets = true;
    bo.tls_websockets = true;
    piogate::test::mosquitto_broker broker(bo);
    struct via {
        piogate::test::proxy_program program;
        mqtt::proxy_kind kind;
    };
    for (const via v : {via{piogate::test::proxy_program::tinyproxy, mqtt::proxy_kind::http},
                        via{piogate::test::proxy_program::microsocks, mqtt::proxy_kind::socks5}}) {
        piogate::test::proxy_process_options po;
        po.program = v.program;
        piogate::test::proxy_process proxy(po);
        const struct {
            const char* name;
            mqtt::transport_kind kind;
            bool tls;
            std::uint16_t port;
        } cases[] = {{"tcp", mqtt::transport_kind::tcp, false, broker.port()},
                     {"tls", mqtt::transport_kind::tcp, true, broker.tls_port()},
                     {"ws", mqtt::transport_kind::websockets, false, broker.ws_port()},
                     {"wss", mqtt::transport_kind::websockets, true, broker.wss_port()}};
        for (const auto& tc : cases) {
            const std::string where = std::string(tc.name) + " via " +
                                      (v.kind == mqtt::proxy_kind::http ? "http" : "socks5");
            mqtt::client_options o;
            o.transport = tc.kind;
            if (tc.tls) {
                o.tls.emplace();
                o.tls->ca_file = broker.ca_file();
            }
            o.proxy = mqtt::proxy_options{v.kind, "127.0.0.1", proxy.port(), {}, {}};
            mqtt::client c(o);
            std::string got;
            c.on_message = [&](mqtt::client&, std::any&, const mqtt::message& m) {
                got = m.payload;
            };
            c.connect("127.0.0.1", tc.port, 60, "127.0.0.1");
            c.subscribe("px/t", 1);
            c.publish("px/t", where, 1);
            for (int i = 0; i < 100 && got.empty(); ++i) c.loop(20ms);
            EXPECT_EQ(got, where);
            c.disconnect();
            c.loop_forever();
            EXPECT_NE(proxy.log().find(std::to_string(tc.port)), std::string::npos)
                << where << ": the proxy did not log the broker's port:\n"
                << proxy.log();
        }
    }
}

// A scripted HTTP server on loopback: accepts one connection, keeps the request head, answers
// `response` and closes.
class http_script {
public:
    explicit http_script(std::string response)
        : acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)),
          response_(std::move(response)) {
        thread_ = std::thread([this] {
            try {
                tcp::socket s(io_);
                acceptor_.accept(s);
                asio::streambuf buf;
                asio::read_until(s, buf, "\r\n\r\n");
                request_.assign(asio::buffers_begin(buf.data()), asio::buffers_end(buf.data()));
                asio::write(s, asio::buffer(response_));
            } catch (const std::exception&) {
            }
        });
    }
    ~http_script() {
        acceptor_.close();
        if (thread_.joinable()) thread_.join();
    }
    std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
    const std::string& request() {
        if (thread_.joinable()) thread_.join();
        return request_;
    }

private:
    asio::io_context io_;
    tcp::acceptor acceptor_;
    std::string response_;
    std::string request_;
    std::thread thread_;
};

std::string connect_failure(mqtt::client& c, const std::string& host, std::uint16_t port) {
    try {
        c.connect(host, port);
    } catch (const mqtt::connect_error& e) {
        return e.what();
    }
    return "connected";
}

TEST(client_websocket, refused_upgrade_names_status_and_reason) {
    for (const char* status : {"404 Not Found", "401 Unauthorized"}) {
        http_script server(std::string("HTTP/1.1 ") + status +
                           "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        mqtt::client_options o;
        o.transport = mqtt::transport_kind::websockets;
        o.websocket.headers = {{"Authorization", "Bearer t0ken"}};
        mqtt::client c(o);
        const std::string what = connect_failure(c, "127.0.0.1", server.port());
        const std::string url = "ws://127.0.0.1:" + std::to_string(server.port()) + "/mqtt";
        EXPECT_NE(what.find("WebSocket upgrade to " + url + " refused: " + status),
                  std::string::npos)
            << what;
        const std::string& req = server.request();
        EXPECT_EQ(req.rfind("GET /mqtt HTTP/1.1\r\n", 0), 0u) << req;
        EXPECT_NE(req.find("Host: 127.0.0.1:" + std::to_string(server.port()) + "\r\n"),
                  std::string::npos)
            << req;
        EXPECT_NE(req.find("Sec-WebSocket-Protocol: mqtt\r\n"), std::string::npos) << req;
        EXPECT_NE(req.find("Authorization: Bearer t0ken\r\n"), std::string::npos) << req;
    }
}

TEST(client_websocket, refused_upgrade_is_followed_by_the_backoff) {
    http_script server("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
    mqtt::client_options o;
    o.transport = mqtt::transport_kind::websockets;
    o.protocol = mqtt::MQTTv31;
    o.websocket.path = "/other";
    o.reconnect_min_delay = 5000ms;
    o.reconnect_max_delay = 5000ms;
    mqtt::client c(o);
    std::string fail_detail;
    std::vector<std::string> logs;
    c.on_connect_fail = [&](mqtt::client&, std::any&, std::error_code, std::string_view d) { fail_detail = d; };
    c.on_log = [&](mqtt::client&, std::any&, mqtt::log_level, std::string_view t) { logs.emplace_back(t); };
    c.connect_async("127.0.0.1", server.port());
    for (int i = 0; i < 200 && fail_detail.empty(); ++i) c.loop(20ms);
    EXPECT_NE(fail_detail.find("/other refused: 404 Not Found"), std::string::npos) << fail_detail;
    EXPECT_NE(server.request().find("Sec-WebSocket-Protocol: mqttv3.1\r\n"), std::string::npos);
    c.loop(50ms);
    bool backoff = false;
    for (const auto& l : logs) backoff = backoff || l.find("reconnecting in") != std::string::npos;
    EXPECT_TRUE(backoff);
}

TEST(client_tls, alpn_protocols_are_offered) {
    piogate::test::broker_options bo;
    bo.tls = true;
    piogate::test::mosquitto_broker certs(bo);  // for its certificates
    const std::uint16_t port = piogate::test::free_loopback_port();
    command server(tool("openssl") + " s_server -www -naccept 1 -accept 127.0.0.1:" +
                   std::to_string(port) + " -cert " + certs.dir() + "/server.crt -key " +
                   certs.dir() + "/server.key -alpn x-amzn-mqtt-ca");
    std::string seen;
    ASSERT_TRUE(server.wait_for("ACCEPT", seen)) << seen;
    mqtt::client_options o;
    o.tls.emplace();
    o.tls->ca_file = certs.ca_file();
    o.tls->alpn_protocols = {"x-amzn-mqtt-ca", "mqtt"};
    o.connect_timeout = 1000ms;
    mqtt::client c(o);
    // s_server completes the handshake and never answers CONNECT with a CONNACK.
    EXPECT_NE(connect_failure(c, "localhost", port), "connected");
    EXPECT_TRUE(server.wait_for("ALPN protocols advertised by the client: x-amzn-mqtt-ca, mqtt",
                                seen))
        << seen;
}

// A scripted WebSocket peer: Beast accepts the upgrade, then the MQTT bytes are written as raw
// server frames (unmasked), shaped by the test.
class ws_script {
public:
    using framing = std::function<std::vector<std::string>(const std::string& mqtt_bytes)>;
    ws_script(std::string mqtt_bytes, framing frames)
        : acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
        thread_ = std::thread([this, bytes = std::move(mqtt_bytes), frames = std::move(frames)] {
            try {
                websocket::stream<tcp::socket> ws(io_);
                acceptor_.accept(ws.next_layer());
                ws.set_option(websocket::stream_base::decorator([](websocket::response_type& r) {
                    r.set(boost::beast::http::field::sec_websocket_protocol, "mqtt");
                }));
                ws.accept();
                boost::beast::flat_buffer connect;
                ws.read(connect);  // CONNECT
                ws.next_layer().set_option(tcp::no_delay(true));
                for (const std::string& f : frames(bytes)) asio::write(ws.next_layer(), asio::buffer(f));
                boost::beast::flat_buffer rest;
                boost::system::error_code ec;
                ws.read(rest, ec);  // until the client goes
            } catch (const std::exception&) {
            }
        });
    }
    ~ws_script() {
        acceptor_.close();
        if (thread_.joinable()) thread_.join();
    }
    std::uint16_t port() const { return acceptor_.local_endpoint().port(); }

private:
    asio::io_context io_;
    tcp::acceptor acceptor_;
    std::thread thread_;
};

std::string frame(std::uint8_t first, const std::string& payload) {
    // Server frames up to 125 bytes: FIN/opcode byte, length, payload (no mask).
    return std::string(1, static_cast<char>(first)) +
           std::string(1, static_cast<char>(payload.size())) + payload;
}

TEST(client_websocket, frames_split_at_every_byte) {
    // CONNACK (accepted), then PUBLISH QoS 0 "a/b" "hello".
    const std::string connack("\x20\x02\x00\x00", 4);
    const std::string publish = std::string("\x30\x0a\x00\x03", 4) + "a/bhello";
    const std::string bytes = connack + publish;
    const std::vector<std::pair<const char*, ws_script::framing>> shapes{
        {"one message per byte",
         [](const std::string& b) {
             std::vector<std::string> out;
             for (char ch : b) out.push_back(frame(0x82, std::string(1, ch)));
             return out;
         }},
        {"one message in one-byte fragments",
         [](const std::string& b) {
             std::vector<std::string> out;
             for (std::size_t i = 0; i < b.size(); ++i) {
                 const std::uint8_t op = i == 0 ? 0x02 : 0x00;
                 const std::uint8_t fin = i + 1 == b.size() ? 0x80 : 0x00;
                 out.push_back(frame(op | fin, std::string(1, b[i])));
             }
             return out;
         }},
        {"both packets in one frame", [](const std::string& b) {
             return std::vector<std::string>{frame(0x82, b)};
         }}};
    for (const auto& [name, shape] : shapes) {
        // Every split point of the two packets across two messages, too.
        std::vector<ws_script::framing> framings{shape};
        if (std::string(name) == "both packets in one frame") {
            for (std::size_t cut = 1; cut < bytes.size(); ++cut) {
                framings.push_back([cut](const std::string& b) {
                    return std::vector<std::string>{frame(0x82, b.substr(0, cut)),
                                                    frame(0x82, b.substr(cut))};
                });
            }
        }
        for (std::size_t k = 0; k < framings.size(); ++k) {
            ws_script server(bytes, framings[k]);
            mqtt::client_options o;
            o.transport = mqtt::transport_kind::websockets;
            o.connect_timeout = 3000ms;
            mqtt::client c(o);
            std::string got;
            c.on_message = [&](mqtt::client&, std::any&, const mqtt::message& m) {
                got = std::string(m.topic) + " " + std::string(m.payload);
            };
            ASSERT_NO_THROW(c.connect("127.0.0.1", server.port())) << name << " " << k;
            for (int i = 0; i < 100 && got.empty(); ++i) c.loop(20ms);
            EXPECT_EQ(got, "a/b hello") << name << " " << k;
            c.disconnect();
            c.loop_forever();
        }
    }
}

}  // namespace
