// The Asio-native MQTT client: runs on the caller's io_context, owns no thread.
//
// Thread: every member must be called from the thread running the io_context (or before it
// runs). Callbacks (client_callbacks) run on that thread.
// Errors: invalid arguments throw std::invalid_argument; everything at run time is reported
// through callbacks and return values, never by exceptions out of the io_context.
// Lifetime: destroying the client closes the connection at once (no DISCONNECT); pending
// handlers hold no dangling pointers.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "piogate/mqtt/broker_address.hpp"
#include "piogate/mqtt/callbacks.hpp"
#include "piogate/mqtt/client_options.hpp"
#include "piogate/mqtt/error.hpp"
#include "piogate/mqtt/packet.hpp"
#include "piogate/mqtt/properties.hpp"
#include "piogate/mqtt/reason_code.hpp"

namespace piogate::mqtt {

enum class connection_state : std::uint8_t { disconnected, connecting, connected, waiting_to_reconnect };

class async_client : public client_callbacks {
public:
    // Throws std::invalid_argument for bad options (empty client id without clean session,
    // a client id over 65535 bytes, an invalid will topic, unsupported protocol/transport).
    async_client(boost::asio::io_context& io, client_options options);
    ~async_client();
    async_client(const async_client&) = delete;
    async_client& operator=(const async_client&) = delete;

    // Starts connecting (resolve, TCP, TLS, CONNECT); the outcome arrives as on_connect or
    // on_connect_fail. With auto_reconnect on, failures and lost connections are retried with
    // exponential backoff and jitter between the reconnect delays of the options.
    // Throws std::invalid_argument for an empty host.
    void connect(std::string host, std::uint16_t port = 1883, std::uint16_t keepalive = 60,
                 std::string bind_address = "");
    // A list of brokers tried in order, as Paho C's server URI list. An attempt goes to the
    // first; when it fails (resolve, TCP, TLS, no CONNACK within connect_timeout, CONNACK
    // refused) the next is tried at once, with an info line "broker A unreachable (why);
    // trying B". Only when every address failed do on_connect_fail (once, for the round: the
    // last reason, and a detail naming each address and why) and, for a refused CONNACK on the
    // last address, on_connect(rc) fire; then the reconnect backoff applies and the next
    // round starts again at the first address. A lost connection (to any address) and
    // reconnect() start the next round at the first address too: the client returns to the
    // primary. TLS settings (client_options::tls) apply to every address; the host name check
    // uses each address's host; each address is reached by its effective_transport() (a plain
    // host:port by client_options::transport), through client_options::proxy if set (all but
    // unix sockets; bind_address applies to the socket to the proxy). Throws
    // std::invalid_argument for an empty list, an empty host or port 0 (but for a unix socket).
    // One address behaves as connect(host, port).
    void connect(std::vector<broker_address> brokers, std::uint16_t keepalive = 60,
                 std::string bind_address = "");
    void reconnect();   // drop the current connection (if any) and connect again now
    void disconnect();  // send what is queued, wait for in-flight acks, DISCONNECT, close
    // MQTT 5.0: the DISCONNECT carries `rc` (disconnect_with_will_message: the broker
    // publishes the will) and `props` (session expiry interval, reason string, user
    // properties); 3.1 / 3.1.1 ignore both.
    void disconnect(reason_code rc, properties props);
    void set_auto_reconnect(bool on);
    void reconnect_delay_set(std::chrono::milliseconds min, std::chrono::milliseconds max);

    // Throws std::invalid_argument for a bad topic name, QoS (0..2) or a payload too large for
    // one packet. rc: errc::queue_full (queue bound, policy reject); for 5.0 once connected,
    // errc::packet_too_large above the broker's Maximum Packet Size and
    // std::errc::not_supported for a QoS above its Maximum QoS or retain it does not offer.
    publish_result publish(std::string_view topic, std::string_view payload, int qos = 0,
                           bool retain = false);
    // MQTT 5.0: with PUBLISH properties (content type, message expiry, response topic,
    // correlation data, user properties, payload format indicator). Also throws
    // std::invalid_argument for non-empty properties on 3.1 / 3.1.1, a Topic Alias or
    // Subscription Identifier (the client manages aliases: client_options::mqtt5
    // .outbound_topic_aliases), or payload format indicator 1 with a payload not UTF-8.
    publish_result publish(std::string_view topic, std::string_view payload, int qos, bool retain,
                           const properties& props);
    int subscribe(std::string_view filter, int qos = 0);  // returns the mid of on_subscribe
    int subscribe(std::span<const std::pair<std::string, int>> filters);
    // MQTT 5.0: options per filter (subscribe_options in packet.hpp: QoS, no local, retain as
    // published, retain handling 0 send retained / 1 only if new / 2 never) and properties
    // (one subscription identifier, delivered back in message::props; user properties).
    // Throws std::invalid_argument for a bad filter or option, options or properties on 3.1 /
    // 3.1.1, no local on a shared subscription; std::system_error (errc::not_supported) when
    // the CONNACK said the broker has no wildcard / shared subscriptions / identifiers.
    int subscribe(std::span<const std::pair<std::string, subscribe_options>> filters,
                  const properties& props = {});
    int unsubscribe(std::string_view filter);
    int unsubscribe(std::span<const std::string> filters);

    // Per-filter message callbacks; a message matching none of them goes to on_message.
    void message_callback_add(std::string filter, std::function<void(const message&)> callback);
    void message_callback_remove(std::string_view filter);

    connection_state state() const;
    bool is_connected() const { return state() == connection_state::connected; }
    const std::string& client_id() const;
    // The broker connected to (state() connected), being tried (connecting), or to be tried
    // next (waiting_to_reconnect: the first of the list after a lost connection or a failed
    // round). A default broker_address (empty host) before connect().
    const broker_address& current_broker() const;
    const std::vector<broker_address>& brokers() const;  // the list given to connect()
    std::size_t queued_messages() const;    // waiting, not yet sent
    std::size_t inflight_messages() const;  // sent, awaiting acknowledgement
    bool idle() const;  // nothing queued, in flight or unwritten
    // For a caller's own poll() loop (client::socket(), client::want_write()): the file
    // descriptor of the socket connected or connecting (-1 without one), and whether bytes
    // are being written or wait to be written on the connection.
    int native_socket() const;
    bool want_write() const;

    boost::asio::io_context& io_context();

    struct impl;

private:
    std::shared_ptr<impl> impl_;
};

}  // namespace piogate::mqtt
