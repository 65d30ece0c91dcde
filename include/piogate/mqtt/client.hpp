// The Paho-style MQTT client: the API Pi users know from Python's paho-mqtt, in C++.
//
//   piogate::mqtt::client c("sensor-1");
//   c.on_message = [](const piogate::mqtt::message& m) { ... };
//   c.connect("localhost");            // blocks until CONNACK; throws connect_error
//   c.subscribe("home/#", 1);
//   c.loop_forever();                  // or loop_start() / loop(timeout)
//
// It owns an io_context and runs the Asio-native async_client on it: in the caller's thread
// for loop(), loop_forever(), wait_idle() and a blocking connect(), in a background thread
// between loop_start() and loop_stop().
//
// Thread: while loop_start() runs, every public member is safe from any thread, and so is
// setting a callback. publish(), subscribe() and unsubscribe() check their arguments on the
// caller's thread (std::invalid_argument), number the request and hand it to the loop thread
// through a bounded queue without waiting for it: the mid they return is the one on_publish /
// on_subscribe / on_unsubscribe report later, and requests from one thread are carried out in
// the order made. Other requests (connect_async, reconnect, disconnect) are queued behind them
// the same way; settings, connect() and current_broker() wait for the loop thread (or, once it
// has stopped, run on the caller's). Callbacks run on the loop thread, one at a time, and may
// call any member but loop_stop()'s join (loop_stop() from a callback only asks the thread to
// end). Without loop_start(), use the client from one thread at a time. Never destroy the
// client from one of its own callbacks. One client's locks are its own.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "piogate/mqtt/async_client.hpp"

namespace piogate::mqtt {

// A callback of the Paho-style client, assigned like a std::function member
// (`c.on_message = [](const message& m) {...};`, `c.on_log = nullptr;`) from any thread at any
// time. Assignment takes the slot's lock and applies from the next call; the loop thread takes
// a reference-counted copy when the callback changed and calls it outside every lock, so a
// callback may replace itself or any other (as mosquitto's lib/callbacks.c copies, then calls).
template <class Signature>
class callback_slot;

template <class... Args>
class callback_slot<void(Args...)> {
public:
    using function = std::function<void(Args...)>;

    callback_slot() = default;
    callback_slot(const callback_slot&) = delete;
    callback_slot& operator=(const callback_slot&) = delete;

    template <class F>
        requires std::is_constructible_v<function, F&&>
    callback_slot& operator=(F&& f) {
        function fn(std::forward<F>(f));
        auto next = fn ? std::make_shared<const function>(std::move(fn)) : nullptr;
        std::lock_guard lock(mutex_);
        current_.swap(next);  // the old one is released after the lock, by `next`
        version_.fetch_add(1, std::memory_order_release);
        return *this;
    }
    explicit operator bool() const {
        std::lock_guard lock(mutex_);
        return current_ != nullptr;
    }
    function get() const {
        std::lock_guard lock(mutex_);
        return current_ ? *current_ : function{};
    }
    // Calls the current callback. Thread: the one running the client's loop.
    void operator()(Args... args) const {
        if (version_.load(std::memory_order_acquire) != cached_version_) {
            std::lock_guard lock(mutex_);
            cached_ = current_;
            cached_version_ = version_.load(std::memory_order_relaxed);
        }
        if (!cached_) return;
        const auto keep = cached_;  // alive even if the callback replaces itself
        (*keep)(args...);
    }

private:
    mutable std::mutex mutex_;
    std::shared_ptr<const function> current_;
    std::atomic<std::uint64_t> version_{0};
    mutable std::shared_ptr<const function> cached_;  // the loop thread's copy
    mutable std::uint64_t cached_version_ = 0;
};

class client {
public:
    // Throws std::invalid_argument for bad options (see async_client).
    explicit client(client_options options = {});
    client(std::string client_id, bool clean_session = true,
           protocol_version protocol = protocol_version::v311,
           transport_kind transport = transport_kind::tcp);
    ~client();  // stops the loop thread and closes the connection
    client(const client&) = delete;
    client& operator=(const client&) = delete;

    // The callbacks of client_callbacks (same names and meaning), safe to set at any time.
    callback_slot<void(int return_code, bool session_present)> on_connect;
    callback_slot<void(std::error_code reason, std::string_view detail)> on_connect_fail;
    callback_slot<void(std::error_code reason)> on_disconnect;
    callback_slot<void(const message& msg)> on_message;
    callback_slot<void(int mid)> on_publish;
    callback_slot<void(int mid, std::span<const int> granted_qos)> on_subscribe;
    callback_slot<void(int mid)> on_unsubscribe;
    callback_slot<void(log_level level, std::string_view text)> on_log;

    // --- settings; before the first connect (throw std::logic_error after) ---
    void tls_set(tls_options tls);
    void tls_insecure_set(bool insecure);
    void username_pw_set(std::string username, std::optional<std::string> password = {});
    void will_set(std::string topic, std::string payload = {}, int qos = 0, bool retain = false);
    void max_inflight_messages_set(std::uint16_t n);
    void max_queued_messages_set(std::size_t n, queue_full_policy when_full = queue_full_policy::reject);
    void reconnect_delay_set(std::chrono::milliseconds min_delay, std::chrono::milliseconds max_delay);
    client_options options() const;  // a copy

    // --- connection ---
    // Blocks until CONNACK. Throws connect_error on refusal (the CONNACK code spelled out),
    // DNS failure, TLS failure, timeout, or (code no_connection) when loop_stop() ends the
    // loop thread meanwhile. Not from a callback (std::logic_error: use connect_async).
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
    void reconnect();   // std::invalid_argument before the first connect
    void disconnect();  // flushes what is queued, waits for in-flight acks, sends DISCONNECT

    // --- network loop ---
    // Runs the loop for up to `timeout`; errc::no_connection when not connected. While
    // loop_start() runs it only waits (up to `timeout`): the loop thread does the work.
    std::error_code loop(std::chrono::milliseconds timeout = std::chrono::seconds(1));
    void loop_start();  // a background thread runs the loop and reconnects
    // Hands what was requested before it to the session, lets a disconnect() requested before
    // it finish (at most 10 s), then stops and joins the thread (it does not disconnect).
    // Requests made after it wait for the next loop. From a callback: the thread ends after it.
    void loop_stop();
    void loop_forever();  // runs the loop, reconnecting, until disconnect() completes

    // --- messages ---
    // Throws std::invalid_argument for a bad topic, QoS or size. rc is errc::queue_full when
    // max_queued (policy reject) messages wait: handed to the loop thread or in its queue.
    publish_result publish(const std::string& topic, const std::string& payload, int qos = 0,
                           bool retain = false);
    int subscribe(const std::string& filter, int qos = 0);  // the mid of on_subscribe
    int subscribe(const std::vector<std::pair<std::string, int>>& filters);
    int unsubscribe(const std::string& filter);  // the mid of on_unsubscribe
    // Per-filter callbacks, from any thread, also from inside a callback.
    void message_callback_add(const std::string& filter, std::function<void(const message&)> callback);
    void message_callback_remove(const std::string& filter);

    bool is_connected() const;
    // The broker connected to, being tried, or to be tried next (see async_client).
    broker_address current_broker() const;
    // Runs the loop (or waits for the loop thread) until nothing is queued, in flight or
    // unwritten, or until `timeout`.
    bool wait_idle(std::chrono::milliseconds timeout);
    async_client& native();  // the Asio face (loop thread only)

    struct impl;

private:
    std::unique_ptr<impl> impl_;
};

}  // namespace piogate::mqtt
