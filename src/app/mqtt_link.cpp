#include "app/mqtt_link.hpp"
// SPDX-License-Identifier: Apache-2.0
#include "app/gateway_client.hpp"
#include "piogate/mqtt/async_client.hpp"

namespace piogate::app {

namespace {

// mqtt_link over mqtt::async_client: each call forwarded, each event passed on to the link's
// callback of the moment (the client's own callbacks are set once, here).
class mqtt_client_link final : public mqtt_link {
public:
    mqtt_client_link(boost::asio::io_context& io, mqtt::client_options options)
        : client_(io, std::move(options)) {
        client_.on_log = log_mqtt;
        client_.on_connect = [this](int rc, bool session_present) {
            if (on_connect) on_connect(rc, session_present);
        };
        client_.on_connect_fail = [this](std::error_code ec, std::string_view detail) {
            if (on_connect_fail) on_connect_fail(ec, detail);
        };
        client_.on_disconnect = [this](std::error_code ec) {
            if (on_disconnect) on_disconnect(ec);
        };
        client_.on_publish = [this](int mid) {
            if (on_publish) on_publish(mid);
        };
    }

    void connect(std::vector<mqtt::broker_address> brokers, std::uint16_t keepalive,
                 std::string bind_address) override {
        client_.connect(std::move(brokers), keepalive, std::move(bind_address));
    }
    void disconnect() override { client_.disconnect(); }
    void set_auto_reconnect(bool on) override { client_.set_auto_reconnect(on); }
    mqtt::publish_result publish(std::string_view topic, std::string_view payload, int qos,
                                 bool retain) override {
        return client_.publish(topic, payload, qos, retain);
    }
    mqtt::publish_result publish(std::string_view topic, std::string_view payload, int qos,
                                 bool retain, const mqtt::properties& props) override {
        return client_.publish(topic, payload, qos, retain, props);
    }
    int subscribe(std::string_view filter, int qos) override {
        return client_.subscribe(filter, qos);
    }
    int unsubscribe(std::string_view filter) override { return client_.unsubscribe(filter); }
    void message_callback_add(std::string filter,
                              std::function<void(const mqtt::message&)> callback) override {
        client_.message_callback_add(std::move(filter), std::move(callback));
    }
    void message_callback_remove(std::string_view filter) override {
        client_.message_callback_remove(filter);
    }
    mqtt::connection_state state() const override { return client_.state(); }
    const mqtt::broker_address& current_broker() const override { return client_.current_broker(); }
    std::size_t queued_messages() const override { return client_.queued_messages(); }

private:
    mqtt::async_client client_;
};

}  // namespace

std::unique_ptr<mqtt_link> make_mqtt_link(boost::asio::io_context& io,
                                          const config::mqtt_config& m) {
    return std::make_unique<mqtt_client_link>(io, client_options_of(m));
}

}  // namespace piogate::app
