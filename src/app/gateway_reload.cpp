// gateway::reload: applies a new validated config to the running gateway.
#include <boost/asio/post.hpp>
#include <utility>
// SPDX-License-Identifier: Apache-2.0
#include "app/gateway_client.hpp"
#include "app/gateway_impl.hpp"
#include "log/log.hpp"

namespace piogate::app {
namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {

const log::logger reload_log("reload");

}  // namespace

std::string gateway::impl::reload(const config::piogate_config& next) {
    std::vector<std::string> changes;
    // Listed again however this ends (a throw included): the groups change in between,
    // and a gateway left without its list would announce nothing and engage no failsafe.
    channels.clear();
    struct relist {
        impl& self;
        ~relist() { self.list_channels(); }
    } relist_at_exit{*this};
    reload_buffer(next, changes);
    if (next.mqtt != config.mqtt) {
        changes.push_back("mqtt settings changed: reconnecting");
        replace_client(next);
    } else if (next.homeassistant.status_topic != config.homeassistant.status_topic) {
        client->message_callback_remove(config.homeassistant.status_topic);
        client->unsubscribe(config.homeassistant.status_topic);
        watch_homeassistant(*client, next.homeassistant.status_topic);
    }
    if (next.homeassistant != config.homeassistant)
        changes.push_back("homeassistant settings changed");
    reload_channels(next, changes);
    if (next.rules != config.rules) {
        // Only then: a new engine forgets each threshold's last decision, and would undo an
        // MQTT command at the next reading (rule_engine.hpp: not undone until the rule changes).
        changes.push_back("rules changed");
        rules = rules::rule_engine(next.rules);
    }
    wire_rules();  // the inputs may have been rebuilt
    if (broker_down) {
        for (auto* c : channels) c->broker_lost();  // new ones count the outage from now
    }
    config = next;
    if (client->is_connected()) announce();  // the states of new channels
    update_status();
    std::string summary;
    for (const auto& c : changes) summary += (summary.empty() ? "" : "; ") + c;
    return summary.empty() ? "nothing changed" : summary;
}

void gateway::impl::reload_buffer(const config::piogate_config& next,
                                  std::vector<std::string>& changes) {
    if (next.buffer == config.buffer) return;
    // Take everything unacknowledged out and empty the old file first (the new buffer may use
    // the same file), then carry it over, handed state included: the new bound and policy
    // apply to what waits.
    auto entries = buffer->take_all();
    std::unique_ptr<outage_buffer> fresh;
    try {
        fresh = std::make_unique<outage_buffer>(next.buffer, buffer_syncer());
    } catch (const std::exception& e) {
        reload_log.error(std::string(e.what()) + "; keeping the readings in memory only");
        auto memory_only = next.buffer;
        memory_only.persist = false;
        fresh = std::make_unique<outage_buffer>(memory_only, buffer_syncer());
    }
    fresh->adopt(std::move(entries));
    buffer = std::move(fresh);
    log_buffer_read_back();
    changes.push_back("buffer settings changed");
}

namespace {

// A broker both lists have: the old and the new client must not overlap there (with one
// client id, the broker would hand the session to whichever connected last).
bool same_broker(const config::mqtt_config& a, const config::mqtt_config& b) {
    for (const auto& x : a.brokers) {
        for (const auto& y : b.brokers) {
            if (x == y) return true;
        }
    }
    return false;
}

}  // namespace

void gateway::impl::replace_client(const config::piogate_config& next_config) {
    const config::mqtt_config& next = next_config.mqtt;
    std::unique_ptr<mqtt_link> fresh;
    const std::uint64_t token = last_token + 1;
    try {
        fresh = make_client(next, next_config.homeassistant, token);
    } catch (const std::exception& e) {
        reload_log.error(std::string(e.what()) + "; keeping the previous mqtt settings");
        return;
    }
    if (retiring) drop_retiring();  // a burst of reloads: one retiring client at a time
    const config::mqtt_config before = config.mqtt;
    last_token = token;
    retiring = std::move(client);
    retiring_token = client_token;
    client = std::move(fresh);
    client_token = token;
    // The old connection says "offline" unless the new one will say "online" on the very same
    // topic of the very same broker: a broker the gateway leaves must not keep it "online".
    if (next.topic_prefix != before.topic_prefix || !same_broker(next, before)) {
        retiring->publish(before.topic_prefix + "/status", "offline", 1, true);
    }
    retiring->on_connect = nullptr;
    retiring->on_connect_fail = nullptr;
    retiring->set_auto_reconnect(false);
    // Its on_publish and command callbacks stay while it drains: readings it gets acknowledged
    // leave the buffer, commands it still receives are applied.
    const bool overlap = !same_broker(next, before);
    // Posted: the old client is destroyed outside its own callback. By then `config` is the
    // new one, which connect() uses.
    const std::uint64_t retired = retiring_token;
    auto finish = [this, retired, overlap] {
        if (retiring_token != retired) return;  // already finished
        drop_retiring();
        if (!overlap && !stopping) connect();
    };
    retiring->on_disconnect = [this, finish](std::error_code) { asio::post(io, finish); };
    const bool was_connected = retiring->is_connected();
    retiring->disconnect();
    // Another broker: the new client connects (and subscribes to commands) at once, while the
    // old one drains. The same broker: once the old one has gone (or after 3 s), so that the
    // broker does not kick the one still flushing; with clean_session false the broker keeps
    // the commands sent meanwhile for the new connection.
    if (overlap)
        asio::post(io, [this] {
            if (!stopping) connect();
        });
    if (!was_connected) {
        asio::post(io, finish);
        return;
    }
    retire_deadline->wait_for(3s, finish);
}

void gateway::impl::drop_retiring() {
    if (!retiring) return;
    retire_deadline->cancel();
    retiring.reset();
    // What it held unacknowledged waits again and goes out through the new client.
    buffer->released(std::exchange(retiring_token, 0));
    drain();
}

void gateway::impl::reload_channels(const config::piogate_config& next,
                                    std::vector<std::string>& changes) {
    // The new groups before the new actuators come up (an initial ON they refuse starts OFF).
    if (next.interlocks != config.interlocks) changes.push_back("interlocks changed");
    interlock.regroup(next.interlocks);
    // Every kind releases before any kind makes: a GPIO line may move from one kind to another
    // in one reload (an input's to an actuator, a counter's to an input) and is free by then.
    for (auto& g : groups) g->release_unkept(next, changes);
    for (auto& g : groups) g->make_missing(next, changes);
    list_channels();  // the lookups below, the announce after (relist_at_exit lists them again)
    // Actuators kept ON that a new group puts together: all but the first go OFF.
    for (const auto& id : interlock.excess_on()) {
        auto* a = find_switchable(id);
        if (!a) continue;
        reload_log.warning(
            "actuator " + id + ": switched OFF: an interlock group now has another member ON",
            {{"PIOGATE_CHANNEL", id}});
        a->switch_to(false, std::nullopt);
    }
}

}  // namespace piogate::app
