// The Paho-style MQTT client: the API Pi users know from Python's paho-mqtt, in C++.
//
//   piogate::mqtt::client c("sensor-1");
//   c.on_message = [](const piogate::mqtt::message& m) { ... };
//   c.connect("localhost");            // blocks until CONNACK; throws connect_error
//   c.subscribe("home/#", 1);
//   c.loop_forever();                  // or loop_start() / loop(timeout)
//
// It owns an io_context and runs the Asio-native async_client on it: in the caller's thread
// for loop() and loop_forever(), in a background thread between loop_start() and loop_stop().
// Thread: while loop_start() runs, every public member is safe from any thread (calls are
// carried to the loop thread); callbacks run on the loop thread. Otherwise use one thread.
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "piogate/mqtt/async_client.hpp"

namespace piogate::mqtt {

class client : public client_callbacks {
public:
    // Throws std::invalid_argument for bad options (see async_client).
    explicit client(client_options options = {});
    client(std::string client_id, bool clean_session = true,
           protocol_version protocol = protocol_version::v311,
           transport_kind transport = transport_kind::tcp);
    ~client();  // stops the loop thread and closes the connection
    client(const client&) = delete;
    client& operator=(const client&) = delete;

    // --- settings; before the first connect (throw std::logic_error after) ---
    void tls_set(tls_options tls);
    void tls_insecure_set(bool insecure);
    void username_pw_set(std::string username, std::optional<std::string> password = {});
    void will_set(std::string topic, std::string payload = {}, int qos = 0, bool retain = false);
    void max_inflight_messages_set(std::uint16_t n);
    void max_queued_messages_set(std::size_t n, queue_full_policy when_full = queue_full_policy::reject);
    void reconnect_delay_set(std::chrono::milliseconds min_delay, std::chrono::milliseconds max_delay);
    const client_options& options() const { return options_; }

    // --- connection ---
    // Blocks until CONNACK. Throws connect_error on refusal (the CONNACK code spelled out),
    // DNS failure, TLS failure, timeout.
    void connect(const std::string& host, std::uint16_t port = 1883, std::uint16_t keepalive = 60,
                 const std::string& bind_address = "");
    // Returns at once; the loop (loop_start/loop_forever) connects and keeps reconnecting.
    void connect_async(const std::string& host, std::uint16_t port = 1883,
                       std::uint16_t keepalive = 60, const std::string& bind_address = "");
    // A broker list tried in order, with failover and return to the first (see
    // async_client::connect). The blocking connect tries one round: it returns at the first
    // CONNACK accepted, and throws connect_error only when every address failed (code(): the
    // last address's reason; what(): each address and why). Throws std::invalid_argument for
    // an empty list, an empty host, port 0 or a transport other than tcp.
    void connect(const std::vector<broker_address>& brokers, std::uint16_t keepalive = 60,
                 const std::string& bind_address = "");
    void connect_async(const std::vector<broker_address>& brokers, std::uint16_t keepalive = 60,
                       const std::string& bind_address = "");
    void reconnect();
    void disconnect();  // flushes what is queued, waits for in-flight acks, sends DISCONNECT

    // --- network loop ---
    // Runs the loop for up to `timeout`; errc::no_connection when not connected.
    std::error_code loop(std::chrono::milliseconds timeout = std::chrono::seconds(1));
    void loop_start();    // a background thread runs the loop and reconnects
    void loop_stop();     // stops and joins that thread (does not disconnect)
    void loop_forever();  // runs the loop, reconnecting, until disconnect() completes

    // --- messages ---
    publish_result publish(const std::string& topic, const std::string& payload, int qos = 0,
                           bool retain = false);
    int subscribe(const std::string& filter, int qos = 0);
    int subscribe(const std::vector<std::pair<std::string, int>>& filters);
    int unsubscribe(const std::string& filter);
    void message_callback_add(const std::string& filter, std::function<void(const message&)> callback);
    void message_callback_remove(const std::string& filter);

    bool is_connected() const;
    // The broker connected to, being tried, or to be tried next (see async_client).
    broker_address current_broker() const;
    // Runs the loop until nothing is queued, in flight or unwritten, or until `timeout`.
    bool wait_idle(std::chrono::milliseconds timeout);
    async_client& native() { return *async_; }  // the Asio face (loop thread only)

private:
    template <class F>
    auto on_loop(F&& f) -> decltype(f());
    void rebuild();
    void configure(const std::function<void(client_options&)>& change);

    client_options options_;
    boost::asio::io_context io_;
    std::unique_ptr<async_client> async_;
    std::thread thread_;
    std::thread::id loop_thread_id_;
    bool connect_done_ = false;
    std::error_code connect_ec_;
    std::string connect_detail_;
    bool ever_connected_ = false;
};

}  // namespace piogate::mqtt
