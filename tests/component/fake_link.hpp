// A fake MQTT link for component tests of the gateway (app/mqtt_link.hpp): no broker, no
// socket. The test says when the link comes up (up()), goes down (down()) and fails another
// connect round (fail_round()), and delivers
// messages to the gateway's subscriptions (deliver()). What the gateway publishes is recorded
// in a fake_broker with the virtual time it was sent at: at once while the link is up, in
// order from the link's queue when it comes up again (as mqtt::async_client queues while
// disconnected). Every publish is acknowledged (on_publish) from the io_context, as a real
// client's acks arrive: never from inside publish().
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "app/mqtt_link.hpp"
#include "component/recording_host.hpp"
#include "component/virtual_loop.hpp"
#include "piogate/mqtt/topic.hpp"

namespace piogate::component {

struct sent_message {
    message m;  // topic, payload, virtual time it went out
    int qos = 0;
    bool retain = false;
};

class fake_link;

// What every link the gateway made sent, in order; and the link it uses now.
struct fake_broker {
    explicit fake_broker(const virtual_loop& l) : loop(l) {}
    const virtual_loop& loop;
    std::vector<sent_message> sent;
    fake_link* current = nullptr;  // the last link made (nullptr once destroyed)
    int links_made = 0;
    app::mqtt_link_factory factory();
};

class fake_link final : public app::mqtt_link {
public:
    fake_link(boost::asio::io_context& io, fake_broker& broker) : io_(io), broker_(broker) {}
    ~fake_link() override {
        if (broker_.current == this) broker_.current = nullptr;
    }

    // The test's side.
    void up() {
        state_ = mqtt::connection_state::connected;
        for (auto& q : queue_) send(std::move(q));
        queue_.clear();
        if (on_connect) on_connect(0, false);
    }
    void down() {
        state_ = mqtt::connection_state::waiting_to_reconnect;
        if (on_disconnect) on_disconnect(std::make_error_code(std::errc::connection_reset));
    }
    // One more connect round that fails while the broker stays unreachable.
    void fail_round() {
        state_ = mqtt::connection_state::waiting_to_reconnect;
        if (on_connect_fail)
            on_connect_fail(std::make_error_code(std::errc::connection_refused), "refused");
    }
    // Calls the callback of each subscription `topic` matches, as a message from the broker.
    void deliver(const std::string& topic, const std::string& payload, bool retain = false) {
        mqtt::message m;
        m.topic = topic;
        m.payload = payload;
        m.qos = 1;
        m.retain = retain;
        auto callbacks = callbacks_;  // a callback may change them
        for (const auto& [filter, cb] : callbacks) {
            if (mqtt::topic_matches_sub(filter, topic)) cb(m);
        }
    }
    int connects = 0;
    std::vector<std::string> subscriptions;
    bool hang_on_disconnect = false;  // disconnect() never ends (no on_disconnect)

    // mqtt_link
    void connect(std::vector<mqtt::broker_address>, std::uint16_t, std::string) override {
        ++connects;
        if (state_ != mqtt::connection_state::connected)
            state_ = mqtt::connection_state::connecting;
    }
    void disconnect() override {
        const bool was = state_ == mqtt::connection_state::connected;
        state_ = mqtt::connection_state::disconnected;
        if (was && !hang_on_disconnect)
            boost::asio::post(io_, [this] {
                if (on_disconnect) on_disconnect({});
            });
    }
    void set_auto_reconnect(bool) override {}
    mqtt::publish_result publish(std::string_view topic, std::string_view payload, int qos,
                                 bool retain) override {
        return publish(topic, payload, qos, retain, {});
    }
    mqtt::publish_result publish(std::string_view topic, std::string_view payload, int qos,
                                 bool retain, const mqtt::properties&) override {
        const int mid = next_mid_++;
        queued q{{{{}, std::string(topic), std::string(payload)}, qos, retain}, mid};
        if (state_ == mqtt::connection_state::connected)
            send(std::move(q));
        else
            queue_.push_back(std::move(q));
        return {mid, {}};
    }
    int subscribe(std::string_view filter, int) override {
        subscriptions.emplace_back(filter);
        return next_mid_++;
    }
    int unsubscribe(std::string_view filter) override {
        std::erase(subscriptions, std::string(filter));
        return next_mid_++;
    }
    void message_callback_add(std::string filter,
                              std::function<void(const mqtt::message&)> callback) override {
        callbacks_[std::move(filter)] = std::move(callback);
    }
    void message_callback_remove(std::string_view filter) override {
        callbacks_.erase(std::string(filter));
    }
    mqtt::connection_state state() const override { return state_; }
    const mqtt::broker_address& current_broker() const override { return broker_address_; }
    std::size_t queued_messages() const override { return queue_.size(); }

private:
    struct queued : sent_message {
        int mid = 0;
    };
    void send(queued q) {
        q.m.at = broker_.loop.elapsed();
        broker_.sent.push_back(q);
        boost::asio::post(io_, [this, mid = q.mid] {
            if (on_publish) on_publish(mid);
        });
    }

    boost::asio::io_context& io_;
    fake_broker& broker_;
    mqtt::connection_state state_ = mqtt::connection_state::disconnected;
    int next_mid_ = 1;
    std::vector<queued> queue_;
    std::map<std::string, std::function<void(const mqtt::message&)>> callbacks_;
    mqtt::broker_address broker_address_{"fake", 1883};
};

inline app::mqtt_link_factory fake_broker::factory() {
    return [this](boost::asio::io_context& io, const config::mqtt_config&) {
        auto link = std::make_unique<fake_link>(io, *this);
        current = link.get();
        ++links_made;
        return link;
    };
}

}  // namespace piogate::component
