// The gateway's MQTT connection, as far as the gateway uses one: connect and disconnect,
// publish, subscriptions with per-filter callbacks, and the connection's events. Production
// gets mqtt_client_link (make_mqtt_link: a piogate::mqtt::async_client on the io_context);
// component tests inject a fake through a gateway_environment (app/gateway.hpp), so the
// gateway runs on virtual time without a broker.
//
// The methods mean what mqtt::async_client's do (include/piogate/mqtt/async_client.hpp),
// throw what they throw, and run on the event-loop thread. The callbacks are called on that
// thread; any may be empty (nothing is called), and may be replaced or emptied at any time,
// from inside a callback too.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "config/mqtt_config.hpp"
#include "piogate/mqtt/async_client.hpp"  // connection_state
#include "piogate/mqtt/broker_address.hpp"
#include "piogate/mqtt/properties.hpp"
#include "piogate/mqtt/types.hpp"

namespace piogate::app {

class mqtt_link {
public:
    virtual ~mqtt_link() = default;

    // The outcome of a connect: on_connect(0, session_present), or on_connect_fail (and
    // on_connect(rc) for a refused CONNACK). Retried with backoff while auto-reconnect is on.
    virtual void connect(std::vector<mqtt::broker_address> brokers, std::uint16_t keepalive,
                         std::string bind_address) = 0;
    virtual void disconnect() = 0;  // flushes what is queued, then on_disconnect
    virtual void set_auto_reconnect(bool on) = 0;
    virtual mqtt::publish_result publish(std::string_view topic, std::string_view payload, int qos,
                                         bool retain) = 0;
    virtual mqtt::publish_result publish(std::string_view topic, std::string_view payload, int qos,
                                         bool retain, const mqtt::properties& props) = 0;
    virtual int subscribe(std::string_view filter, int qos) = 0;
    virtual int unsubscribe(std::string_view filter) = 0;
    virtual void message_callback_add(std::string filter,
                                      std::function<void(const mqtt::message&)> callback) = 0;
    virtual void message_callback_remove(std::string_view filter) = 0;
    virtual mqtt::connection_state state() const = 0;
    bool is_connected() const { return state() == mqtt::connection_state::connected; }
    virtual const mqtt::broker_address& current_broker() const = 0;
    virtual std::size_t queued_messages() const = 0;  // waiting, not yet sent

    std::function<void(int rc, bool session_present)> on_connect;
    std::function<void(std::error_code ec, std::string_view detail)> on_connect_fail;
    std::function<void(std::error_code ec)> on_disconnect;
    std::function<void(int mid)> on_publish;  // acknowledged (QoS 1/2) or written (QoS 0)
};

// Makes the gateway's link for settings `m`, not connected. Throws std::runtime_error when a
// password file (the broker's or the proxy's) is unreadable.
using mqtt_link_factory =
    std::function<std::unique_ptr<mqtt_link>(boost::asio::io_context&, const config::mqtt_config&)>;

// The production link: an mqtt::async_client on `io` with client_options_of(m), logging
// through the "mqtt" log domain.
std::unique_ptr<mqtt_link> make_mqtt_link(boost::asio::io_context& io,
                                          const config::mqtt_config& m);

}  // namespace piogate::app
