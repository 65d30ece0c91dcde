// MQTT 5.0 traffic mosquitto 2.0.11 does not send, from a scripted broker on loopback: a
// DISCONNECT from the broker (Session taken over, with a reason string) through both faces,
// and a protocol error of the broker's (a bad topic alias) answered with DISCONNECT 0x94
// before the client closes.
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include <sys/socket.h>
#include <sys/time.h>

#include "piogate/mqtt/async_client.hpp"
#include "piogate/mqtt/client.hpp"

namespace mqtt = piogate::mqtt;
namespace asio = boost::asio;
using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;
using bytes = std::vector<std::uint8_t>;

namespace {

template <class Pred>
bool run_until(asio::io_context& io, Pred done, std::chrono::milliseconds limit = 5s) {
    const auto deadline = steady::now() + limit;
    io.restart();
    while (!done()) {
        if (steady::now() >= deadline) return false;
        io.run_one_for(20ms);
    }
    return true;
}

// One connection on a loopback port: reads the CONNECT (under 128 bytes), sends `script`
// (CONNACK first) 100 ms apart, then keeps what the client sends until it closes the
// connection or 5 s pass. Accepts once, then closes its listening socket.
class scripted_broker {
public:
    explicit scripted_broker(std::vector<bytes> script)
        : acceptor_(io_, {asio::ip::make_address("127.0.0.1"), 0}),
          thread_([this, script = std::move(script)] { run(script); }) {}
    ~scripted_broker() { join(); }
    std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
    // Waits for the connection to end; what the client sent after the script.
    const bytes& received() {
        join();
        return received_;
    }

private:
    void join() {
        if (thread_.joinable()) thread_.join();
    }
    void run(const std::vector<bytes>& script) {
        asio::ip::tcp::socket s(io_);
        boost::system::error_code ec;
        acceptor_.accept(s, ec);
        acceptor_.close();
        if (ec) return;
        timeval limit{5, 0};
        ::setsockopt(s.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
        std::uint8_t head[2];
        asio::read(s, asio::buffer(head), ec);
        bytes connect(head[1]);
        asio::read(s, asio::buffer(connect), ec);
        for (const auto& b : script) {
            asio::write(s, asio::buffer(b), ec);
            std::this_thread::sleep_for(100ms);
        }
        std::uint8_t buf[256];
        while (!ec) {
            const auto n = s.read_some(asio::buffer(buf), ec);
            received_.insert(received_.end(), buf, buf + n);
        }
    }
    asio::io_context io_;
    asio::ip::tcp::acceptor acceptor_;
    bytes received_;
    std::thread thread_;
};

const bytes connack_ok = {0x20, 0x03, 0x00, 0x00, 0x00};

// DISCONNECT Session taken over (0x8E), Reason String "another client".
bytes taken_over() {
    const std::string why = "another client";
    bytes d = {0xE0,
               static_cast<std::uint8_t>(2 + 3 + why.size()),
               0x8E,
               static_cast<std::uint8_t>(3 + why.size()),
               0x1F,
               0x00,
               static_cast<std::uint8_t>(why.size())};
    for (const char ch : why) d.push_back(static_cast<std::uint8_t>(ch));
    return d;
}

mqtt::client_options v5(const std::string& id) {
    mqtt::client_options o;
    o.client_id = id;
    o.protocol = mqtt::protocol_version::v5;
    o.reconnect_min_delay = 5s;  // not again within the test
    return o;
}

}  // namespace

TEST(client_mqtt5_scripted, a_brokers_disconnect_reaches_on_disconnect_with_its_reason) {
    scripted_broker broker({connack_ok, taken_over()});
    asio::io_context io;
    mqtt::async_client c(io, v5("taken"));
    std::vector<std::pair<mqtt::disconnect_flags, mqtt::reason_code>> gone;
    std::string why, log;
    c.on_disconnect_v5 = [&](const mqtt::disconnect_flags& f, mqtt::reason_code rc,
                             const mqtt::properties& p) {
        gone.emplace_back(f, rc);
        why = p.reason_string.value_or("");
    };
    c.on_log = [&](mqtt::log_level, std::string_view t) { log += std::string(t) + "\n"; };
    c.connect("127.0.0.1", broker.port());
    ASSERT_TRUE(run_until(io, [&] { return !gone.empty(); })) << log;
    c.set_auto_reconnect(false);
    EXPECT_TRUE(gone[0].first.is_disconnect_packet_from_server);
    EXPECT_EQ(gone[0].first.cause, mqtt::errc::connection_lost);
    EXPECT_EQ(gone[0].second, mqtt::reason_code::session_taken_over);
    EXPECT_EQ(why, "another client");
    EXPECT_NE(log.find("broker disconnected: Session taken over (another client)"),
              std::string::npos)
        << log;
}

TEST(client_mqtt5_scripted, the_paho_face_gets_the_brokers_disconnect_reason) {
    scripted_broker broker({connack_ok, taken_over()});
    mqtt::client c(v5("taken-paho"));
    std::atomic<int> rc{-1};
    std::atomic<bool> from_server{false};
    std::string why;
    c.on_disconnect = [&](mqtt::client&, std::any&, const mqtt::disconnect_flags& f,
                          mqtt::reason_code r, const mqtt::properties& p) {
        if (rc != -1) return;
        why = p.reason_string.value_or("");
        from_server = f.is_disconnect_packet_from_server;
        rc = static_cast<int>(r);
    };
    c.connect("127.0.0.1", broker.port());
    c.loop_start();
    for (int i = 0; i < 250 && rc == -1; ++i) std::this_thread::sleep_for(20ms);
    c.disconnect();
    c.loop_stop();
    EXPECT_EQ(rc, 0x8E);
    EXPECT_TRUE(from_server);
    EXPECT_EQ(why, "another client");
}

// After a PUBLISH with a topic alias above our Topic Alias Maximum (0), the client sends
// DISCONNECT Topic Alias invalid (0x94), then closes, and reports the protocol error. (Over
// plain TCP on loopback Asio's first write attempt puts the DISCONNECT in the kernel before
// the close, so this also passed before the shell waited for the write.)
TEST(client_mqtt5_scripted, a_protocol_error_sends_disconnect_with_its_reason_before_closing) {
    // PUBLISH QoS 0, topic "", properties: Topic Alias 5; payload "x"
    const bytes publish = {0x30, 0x07, 0x00, 0x00, 0x03, 0x23, 0x00, 0x05, 'x'};
    scripted_broker broker({connack_ok, publish});
    asio::io_context io;
    mqtt::async_client c(io, v5("alias-victim"));
    std::vector<mqtt::disconnect_flags> gone;
    std::string log;
    c.on_disconnect_v5 = [&](const mqtt::disconnect_flags& f, mqtt::reason_code,
                             const mqtt::properties&) { gone.push_back(f); };
    c.on_log = [&](mqtt::log_level, std::string_view t) { log += std::string(t) + "\n"; };
    c.set_auto_reconnect(false);
    c.connect("127.0.0.1", broker.port());
    ASSERT_TRUE(run_until(io, [&] { return !gone.empty(); })) << log;
    EXPECT_EQ(gone[0].cause, mqtt::errc::protocol_error);
    EXPECT_FALSE(gone[0].is_disconnect_packet_from_server);
    const bytes& after = broker.received();
    ASSERT_GE(after.size(), 3u) << log;
    EXPECT_EQ(after[0], 0xE0);  // DISCONNECT
    EXPECT_EQ(after[2], 0x94);  // Topic Alias invalid
}

// The same over WebSocket, whose writes go through Beast's frames: the DISCONNECT still
// arrives, as a binary message, before the connection ends. (This too passed before the shell
// waited for the write: Beast's write starts at once. The wait is for a socket whose send
// buffer is full, where the write completes later.)
TEST(client_mqtt5_scripted, the_protocol_error_disconnect_also_goes_over_websocket) {
    namespace websocket = boost::beast::websocket;
    asio::io_context server_io;
    asio::ip::tcp::acceptor acceptor(server_io, {asio::ip::make_address("127.0.0.1"), 0});
    bytes first_message;
    std::thread server([&] {
        try {
            websocket::stream<asio::ip::tcp::socket> ws(server_io);
            acceptor.accept(ws.next_layer());
            ws.set_option(websocket::stream_base::decorator([](websocket::response_type& r) {
                r.set(boost::beast::http::field::sec_websocket_protocol, "mqtt");
            }));
            ws.accept();
            ws.binary(true);
            boost::beast::flat_buffer connect;
            ws.read(connect);
            ws.write(asio::buffer(connack_ok));
            const bytes publish = {0x30, 0x07, 0x00, 0x00, 0x03, 0x23, 0x00, 0x05, 'x'};
            ws.write(asio::buffer(publish));
            boost::beast::flat_buffer rest;
            boost::system::error_code ec;
            ws.read(rest, ec);
            const auto* p = static_cast<const std::uint8_t*>(rest.data().data());
            first_message.assign(p, p + rest.size());
        } catch (const std::exception&) {
        }
    });
    asio::io_context io;
    mqtt::client_options o = v5("alias-victim-ws");
    o.transport = mqtt::transport_kind::websockets;
    mqtt::async_client c(io, o);
    std::vector<mqtt::disconnect_flags> gone;
    std::string log;
    c.on_disconnect_v5 = [&](const mqtt::disconnect_flags& f, mqtt::reason_code,
                             const mqtt::properties&) { gone.push_back(f); };
    c.on_log = [&](mqtt::log_level, std::string_view t) { log += std::string(t) + "\n"; };
    c.set_auto_reconnect(false);
    c.connect("127.0.0.1", acceptor.local_endpoint().port());
    const bool ended = run_until(io, [&] { return !gone.empty(); });
    run_until(
        io, [] { return false; }, 200ms);  // let the close go out
    server.join();
    ASSERT_TRUE(ended) << log;
    EXPECT_EQ(gone[0].cause, mqtt::errc::protocol_error);
    ASSERT_GE(first_message.size(), 3u) << log;
    EXPECT_EQ(first_message[0], 0xE0);
    EXPECT_EQ(first_message[2], 0x94);
}
