// The Paho-style MQTT client: the API Pi users know from Python's paho-mqtt, in C++.
//
//   namespace mqtt = piogate::mqtt;
//   mqtt::client c("sensor-1");
//   c.on_message = [](mqtt::client&, std::any& userdata, const mqtt::message& m) { ... };
//   c.connect("localhost");            // blocks until CONNACK; throws connect_error
//   c.subscribe("home/#", 1);
//   c.loop_forever();                  // or loop_start() / loop(timeout)
//
// It owns an io_context and runs the Asio-native async_client on it: in the caller's thread
// for loop(), loop_forever(), wait_idle(), loop_read() / loop_write() / loop_misc() (a
// caller's own poll loop) and a blocking connect(), in a background thread between
// loop_start() and loop_stop().
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
// SPDX-License-Identifier: Apache-2.0
#include <any>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "piogate/mqtt/async_client.hpp"
#include "piogate/mqtt/callback_flags.hpp"
#include "piogate/mqtt/callback_slot.hpp"
#include "piogate/mqtt/properties.hpp"
#include "piogate/mqtt/reason_code.hpp"

namespace piogate::mqtt {

class client {
public:
    // Throws std::invalid_argument for bad options (see async_client). `userdata` is handed to
    // every callback (see user_data_set).
    explicit client(client_options options = {}, std::any userdata = {});
    client(std::string client_id, bool clean_session = true,
           protocol_version protocol = protocol_version::v311,
           transport_kind transport = transport_kind::tcp);
    // Paho's Client(client_id, clean_session, userdata, protocol, transport).
    client(std::string client_id, bool clean_session, std::any userdata,
           protocol_version protocol = protocol_version::v311,
           transport_kind transport = transport_kind::tcp);
    ~client();  // stops the loop thread and closes the connection
    client(const client&) = delete;
    client& operator=(const client&) = delete;

    // The callbacks, in the shape paho-mqtt 2.x calls CallbackAPIVersion.VERSION2: one form for
    // every protocol version, so an application does not change when it moves to MQTT 5.0.
    // Each gets the client and the userdata (see user_data_set); reason codes and properties
    // are those of the packet for 5.0; for 3.1 / 3.1.1 the properties are empty and the codes
    // are the CONNACK return code (from_connack_v311), the SUBACK return codes (granted QoS,
    // or 0x80 unspecified_error), success for a publish and one success per filter of an
    // unsubscribe. Safe to set at any time from any thread (callback_slot).
    //
    // CONNACK arrived: reason success, or the refusal (then the loop retries, as Paho's).
    callback_slot<void(client& c, std::any& userdata, const connect_flags& flags, reason_code rc,
                       const properties& props)>
        on_connect;
    // A connection attempt (or a round of a broker list) failed before CONNACK: DNS, TCP,
    // TLS, timeout; `detail` names the address and why. (Paho passes neither.)
    callback_slot<void(client& c, std::any& userdata, std::error_code reason,
                       std::string_view detail)>
        on_connect_fail;
    // An established connection ended. 3.1.1: rc normal_disconnection after disconnect(),
    // else the nearest 5.0 code of flags.cause (keep_alive_timeout, malformed_packet, ...,
    // unspecified_error for a lost connection).
    callback_slot<void(client& c, std::any& userdata, const disconnect_flags& flags,
                       reason_code rc, const properties& props)>
        on_disconnect;
    // A message no per-filter callback (message_callback_add) matched.
    callback_slot<void(client& c, std::any& userdata, const message& msg)> on_message;
    // QoS 0: written to the socket; QoS 1: PUBACK; QoS 2: PUBCOMP. `mid` is publish()'s.
    callback_slot<void(client& c, std::any& userdata, int mid, reason_code rc,
                       const properties& props)>
        on_publish;
    // One reason code per filter, in the order subscribed: the granted QoS or an error.
    callback_slot<void(client& c, std::any& userdata, int mid, std::span<const reason_code> rcs,
                       const properties& props)>
        on_subscribe;
    callback_slot<void(client& c, std::any& userdata, int mid, std::span<const reason_code> rcs,
                       const properties& props)>
        on_unsubscribe;
    callback_slot<void(client& c, std::any& userdata, log_level level, std::string_view text)>
        on_log;

    // --- settings; before the first connect (throw std::logic_error after) ---
    // Bad values throw std::invalid_argument and leave the settings as they were.
    void tls_set(tls_options tls);
    // Paho's tls_set(ca_certs, certfile, keyfile, ..., alpn_protocols); "" for none (an empty
    // ca_file: the system store). ALPN names are offered in order, e.g. {"x-amzn-mqtt-ca"}.
    void tls_set(std::string ca_file, std::string cert_file, std::string key_file,
                 std::vector<std::string> alpn_protocols = {});
    void tls_insecure_set(bool insecure);
    void username_pw_set(std::string username, std::optional<std::string> password = {});
    void will_set(std::string topic, std::string payload = {}, int qos = 0, bool retain = false);
    void will_clear();
    // The WebSocket upgrade's request target and extra headers (transport websockets).
    void ws_set_options(std::string path = "/mqtt",
                        std::vector<std::pair<std::string, std::string>> headers = {});
    // Paho's proxy_set(proxy_type, proxy_addr, proxy_port, proxy_username, proxy_password):
    // HTTP CONNECT or SOCKS5 for every TCP-based transport; port 0 is the kind's default.
    void proxy_set(proxy_kind kind, std::string host, std::uint16_t port = 0,
                   std::optional<std::string> username = {},
                   std::optional<std::string> password = {});
    void proxy_set(proxy_options proxy);
    void max_inflight_messages_set(std::uint16_t n);
    void max_queued_messages_set(std::size_t n, queue_full_policy when_full = queue_full_policy::reject);
    void reconnect_delay_set(std::chrono::milliseconds min_delay, std::chrono::milliseconds max_delay);
    client_options options() const;  // a copy

    // --- at any time, from any thread ---
    // userdata, as Paho's user_data_set: replaces what every later callback receives. A
    // std::any (not void*) so the client owns the value, callbacks may change it in place
    // (std::any_cast<T&>(userdata)) and a wrong type is an exception, not a crash; hold a
    // pointer in it for data the application owns. Waits for the loop thread like a setting.
    void user_data_set(std::any userdata);
    std::any user_data_get() const;  // a copy, taken on the loop thread
    // Paho's enable_logger(): the client's log lines (every level, including the packet
    // trace of client_options::log_packets) also go to `sink`, or, with no sink, to stderr as
    // "mqtt <client id>: <level>: <text>". on_log is called as before, first; the sink runs
    // after it on the loop thread. disable_logger() stops it.
    using log_sink = std::function<void(log_level level, std::string_view text)>;
    void enable_logger(log_sink sink = {});
    void disable_logger();

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
    // MQTT 5.0: the DISCONNECT carries `rc` (e.g. disconnect_with_will_message: the broker
    // publishes the will) and `props` (session expiry interval, reason string, user
    // properties); for 3.1 / 3.1.1 both are ignored. Queued as disconnect() is.
    void disconnect(reason_code rc, properties props = {});

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

    // --- a caller's own event loop (Paho's and libmosquitto's socket()/loop_read()/...) ---
    // For a program with its own poll()/select(): wait on socket() for reading, and for
    // writing while want_write(); call loop_read() when it is readable, loop_write() when it
    // is writable, and loop_misc() at least once a second (keepalive, reconnect and connect
    // timers; the progress of a connect_async() before socket() exists). Each runs what is
    // ready without blocking and returns errc::no_connection when the client is disconnected.
    // socket() changes on every reconnect: ask again after each call. Threads: as loop();
    // the loop_* calls throw std::logic_error while loop_start() runs.
    int socket() const;  // the connected (or connecting) socket's descriptor, -1 without one
    bool want_write() const;
    std::error_code loop_read();
    std::error_code loop_write();
    std::error_code loop_misc();

    // --- messages ---
    // Throws std::invalid_argument for a bad topic, QoS or size. rc is errc::queue_full when
    // max_queued (policy reject) messages wait: handed to the loop thread or in its queue.
    // Connected to a 5.0 broker, what its CONNACK refuses is refused at the call from any
    // thread: errc::packet_too_large above its Maximum Packet Size, std::errc::not_supported
    // for a QoS above its Maximum QoS or retain it does not offer. A publish the session
    // refuses only when the loop carries it out (a new CONNACK with other limits came in
    // between) reaches on_publish with its mid and the reason code (packet_too_large,
    // qos_not_supported, retain_not_supported, quota_exceeded), never silence.
    publish_result publish(const std::string& topic, const std::string& payload, int qos = 0,
                           bool retain = false);
    // MQTT 5.0: with PUBLISH properties, checked on the caller's thread as
    // async_client::publish(..., props) checks them (std::invalid_argument); otherwise as the
    // publish above, within the same max_queued bound. Empty `props` is the plain publish.
    publish_result publish(const std::string& topic, const std::string& payload, int qos,
                           bool retain, const properties& props);
    int subscribe(const std::string& filter, int qos = 0);  // the mid of on_subscribe
    int subscribe(const std::vector<std::pair<std::string, int>>& filters);
    // MQTT 5.0 subscription options per filter (QoS, no local, retain as published, retain
    // handling) and properties (one subscription identifier, user properties). Checked on the
    // caller's thread as async_client's (std::invalid_argument); a refusal because the
    // CONNACK said the broker lacks the feature is logged on the loop thread.
    int subscribe(std::span<const std::pair<std::string, subscribe_options>> filters,
                  const properties& props = {});
    int unsubscribe(const std::string& filter);  // the mid of on_unsubscribe
    // Per-filter callbacks, from any thread, also from inside a callback.
    using message_callback = std::function<void(client& c, std::any& userdata, const message& msg)>;
    void message_callback_add(const std::string& filter, message_callback callback);
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
