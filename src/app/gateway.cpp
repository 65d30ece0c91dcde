#include "app/gateway_impl.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <unistd.h>

#include <algorithm>
#include <boost/asio/post.hpp>

#include "app/channel_kinds/registry.hpp"
#include "app/discovery_device.hpp"
#include "app/gateway_client.hpp"
#include "log/log.hpp"

namespace piogate::app {
namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {

const log::logger app_log("app");

std::string plural(std::size_t n, const char* what) {
    return std::to_string(n) + " " + what + (n == 1 ? "" : "s");
}

}  // namespace

gateway::impl::impl(asio::io_context& io_, const config::piogate_config& cfg, board& hw_board,
                    gateway_environment env)
    : io(io_),
      own_time(env.time ? nullptr : std::make_unique<util::asio_scheduler>(io_)),
      time(env.time ? *env.time : *own_time),
      make_link(env.make_link ? std::move(env.make_link) : make_mqtt_link),
      config(cfg),
      hardware(hw_board),
      kinds(env.kinds ? *env.kinds : channel_group_kinds()),
      interlock(cfg.interlocks),
      rules(cfg.rules) {
    buffer = std::make_unique<outage_buffer>(cfg.buffer, buffer_syncer());
    log_buffer_read_back();
    for (const auto* kind : kinds) groups.push_back(kind->make(services, cfg));
    list_channels();
    wire_rules();
    if (cfg.homeassistant.enabled) unique_id = machine_unique_id();
    client = make_client(cfg.mqtt, cfg.homeassistant, client_token);
}

void gateway::impl::log_buffer_read_back() {
    if (buffer->loaded() > 0) {
        app_log.notice(std::to_string(buffer->loaded()) + " buffered readings read back from " +
                       buffer->file());
    }
    if (buffer->unreadable() > 0) {
        app_log.warning("buffer file " + buffer->file() + ": " +
                        std::to_string(buffer->unreadable()) +
                        " unreadable lines skipped (first: " + buffer->first_unreadable() + ")");
    }
}

void gateway::impl::publish(const std::string& topic, const std::string& payload, int qos,
                            bool retain) {
    if (auto r = client->publish(topic, payload, qos, retain); !r) {
        app_log.warning("message for " + topic + " dropped: " + r.rc.message());
    }
}

void gateway::impl::publish_reading(buffered_message m) {
    // Every reading goes through the buffer (and its file) and leaves it when acknowledged;
    // drain() hands it to the client at once when the link allows, after anything older.
    auto r = buffer->push(std::move(m));
    if (r.dropped) {
        ++dropped_since_log;
        if (dropped_since_log == 1) {
            app_log.warning("outage buffer full (" + std::to_string(config.buffer.max_messages) +
                            " readings): dropping the " +
                            (config.buffer.drop_oldest ? "oldest" : "newest") + " readings");
        }
    }
    if (!r.write_error.empty() && !write_failing) {
        app_log.error(r.write_error + " (readings stay in memory)");
    }
    write_failing = !r.write_error.empty();
    drain();
}

std::unique_ptr<mqtt_link> gateway::impl::make_client(const config::mqtt_config& m,
                                                      const config::homeassistant_config& ha,
                                                      std::uint64_t token) {
    auto c = make_link(io, m);
    mqtt_link* raw = c.get();
    c->on_connect = [this, raw](int rc, bool) {
        if (rc != 0 || raw != client.get()) return;
        on_connected();
    };
    c->on_connect_fail = [this, raw](std::error_code, std::string_view) {
        if (raw == client.get()) on_broker_lost();
    };
    c->on_disconnect = [this, raw](std::error_code) {
        if (raw == client.get() && !stopping) on_broker_lost();
    };
    // Acknowledged (QoS 1/2) or written (QoS 0): a reading among them leaves the buffer. The
    // token, not the client's address, says whose mid this is: a retiring client's acks count.
    c->on_publish = [this, token](int mid) {
        buffer->acknowledged(token, mid);
        if (token == client_token) drain();
    };
    for (auto& g : groups) g->subscribe(*c, m.topic_prefix);
    // Home Assistant's birth message: announce again (it may have restarted without retained
    // messages). Subscribed even with discovery off, so that a reload can turn it on.
    watch_homeassistant(*c, ha.status_topic);
    return c;
}

void gateway::impl::connect() {
    const auto& m = config.mqtt;
    client->connect(broker_addresses_of(m), m.keepalive, m.bind_address);
    update_status();
}

void gateway::impl::announce() {
    publish(prefix() + "/status", "online", 1, true);
    for (auto* c : channels) c->announce();
    announce_discovery();
}

void gateway::impl::watch_homeassistant(mqtt_link& c, const std::string& status_topic) {
    c.subscribe(status_topic, 1);
    c.message_callback_add(status_topic, [this](const mqtt::message& msg) {
        if (is_homeassistant_online(config.homeassistant, msg.topic, msg.payload))
            announce_discovery();
    });
}

void gateway::impl::announce_discovery(bool pause_over) {
    if (stopping) return;
    // A hand-over in its pause (migrating is filled only then): the second round comes when
    // the pause is over and plans with the config of that moment.
    if (!handover.migrating.empty() && !pause_over) return;
    std::vector<discovery_message> per_entity, per_device;
    const auto& ha = config.homeassistant;
    if (ha.enabled) {
        if (unique_id.empty()) unique_id = machine_unique_id();
        per_entity = discovery_messages(config, ha, unique_id, PIOGATE_VERSION);
        per_device = device_discovery_messages(config, ha, unique_id, PIOGATE_VERSION);
    }
    const bool by_device = ha.discovery == config::discovery_mode::device;
    std::vector<std::string> other_form;
    for (const auto& m : by_device ? per_entity : per_device) other_form.push_back(m.topic);
    auto& now = by_device ? per_device : per_entity;
    auto round = plan_discovery(discovery_sent, now, other_form, handover);
    if (!round.migrate.empty()) {
        app_log.info("handing " + plural(round.migrate.size(), "Home Assistant discovery topic") +
                     " over to the " + (by_device ? "device" : "per-entity") + " form");
        for (const auto& m : round.migrate) publish(m.topic, m.payload, 1, true);
        handover_pause->wait_for(2s, [this] {
            if (client->is_connected()) announce_discovery(true);
        });
        return;
    }
    for (const auto& m : round.publish) publish(m.topic, m.payload, 1, true);
    discovery_sent = std::move(now);
    for (auto& m : discovery_sent) {
        for (const auto& p : round.publish) {
            if (p.topic == m.topic) m.payload = p.payload;  // with removed components kept
        }
    }
}

void gateway::impl::on_connected() {
    broker_down = false;
    announce();
    for (auto* c : channels) c->broker_back();
    // Readings the client already holds from the last connection are its to resend (the
    // buffer keeps them until acknowledged); the waiting ones follow.
    if (buffer->waiting() > 0) {
        app_log.info("sending " + std::to_string(buffer->waiting()) + " buffered readings");
    }
    if (dropped_since_log > 0) {
        app_log.warning(std::to_string(dropped_since_log) +
                        " readings were dropped during the outage (buffer full)");
        dropped_since_log = 0;
    }
    // Not redundant with on_publish's drain(): the first ack comes a round trip after the
    // announcements (none at all if the broker's Maximum QoS refuses them: then the buffer
    // would wait for the next reading). Now they go out right behind "online" and the states.
    drain();
    update_status();
}

void gateway::impl::on_broker_lost() {
    // A hand-over cut short starts again (migrate first) on the next connect.
    handover_pause->cancel();
    handover.migrating.clear();
    broker_down = true;
    for (auto* c : channels) c->broker_lost();
    update_status();
}

// Hands waiting readings to the client, oldest first, a window at a time, and only while the
// client's own queue is empty: readings then go straight in flight, never into a queue where
// a burst of state messages could push them out.
void gateway::impl::drain() {
    while (client->is_connected() && buffer->waiting() > 0 &&
           buffer->handed_to(client_token) < drain_window && client->queued_messages() == 0) {
        const auto& m = buffer->next_waiting();
        auto r = client->publish(m.topic, m.payload, m.qos, m.retain,
                                 reading_properties(config, m.topic));
        if (!r) break;  // refused (queue full): more after the next ack
        buffer->handed(client_token, r.mid);
    }
}

std::string gateway::impl::status_line() const {
    std::string broker;
    switch (client->state()) {
        case mqtt::connection_state::connected:
            broker = "connected to ";
            break;
        case mqtt::connection_state::connecting:
            broker = "connecting to ";
            break;
        case mqtt::connection_state::waiting_to_reconnect:
            broker = "unreachable: ";
            break;
        default:
            broker = "disconnected from ";
            break;
    }
    const auto& at = client->current_broker();
    broker += at.host.empty() || config.mqtt.port == 0
                  ? endpoint_text(config.mqtt.host, config.mqtt.port)
                  : endpoint_text(at.host, at.port);
    // Each kind counted, in the order of its status rank (channel_group.hpp).
    std::vector<std::size_t> order(kinds.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return kinds[a]->status().rank < kinds[b]->status().rank;
    });
    std::string text = "broker " + broker;
    const char* separator = "; ";
    std::vector<channel*> listed;
    for (const std::size_t i : order) {
        const auto noun = kinds[i]->status();
        listed.clear();
        if (i < groups.size()) groups[i]->list(listed);
        std::size_t failing = 0;
        for (const auto* c : listed) {
            if (c->failing()) ++failing;
        }
        if (listed.empty() && !noun.always) continue;
        text += separator + plural(listed.size(), noun.singular);
        if (failing) text += " (" + std::to_string(failing) + " failing)";
        separator = ", ";
    }
    if (buffer->waiting()) text += "; " + std::to_string(buffer->waiting()) + " readings buffered";
    if (buffer->dropped_total())
        text += "; " + std::to_string(buffer->dropped_total()) + " dropped";
    return text;
}

void gateway::impl::update_status() {
    if (!status_callback) return;
    std::string s = status_line();
    if (s == last_status) return;
    last_status = s;
    status_callback(s);
}

void gateway::impl::tick() {
    housekeeping->wait_for(1s, [this] {
        if (stopping) return;
        // At most one fdatasync a second, on the sync worker: it may take long on an SD card.
        if (auto fd = buffer->take_sync_fd()) sync_off_loop(std::move(fd), [](bool) {});
        update_status();
        tick();
    });
}

void gateway::impl::sync_off_loop(util::unique_fd fd, std::function<void(bool)> done) {
    auto owned = std::make_shared<util::unique_fd>(std::move(fd));
    if (!sync_worker) sync_worker = std::make_unique<hw::i2c_worker>(io, "buffer-sync");
    sync_worker->submit([owned] { return ::fdatasync(owned->get()); },
                        [done = std::move(done)](int rc) { done(rc == 0); });
}

outage_buffer::sync_fn gateway::impl::buffer_syncer() {
    return [this](util::unique_fd fd, std::function<void(bool)> done) {
        sync_off_loop(std::move(fd), std::move(done));
    };
}

gateway::impl::~impl() {
    // Counters first, inputs last (the reverse of the table); the services outlive them all.
    while (!groups.empty()) groups.pop_back();
}

void gateway::impl::list_channels() {
    channels.clear();
    for (const auto& g : groups) g->list(channels);
}

void gateway::impl::start() {
    connect();
    for (auto* c : channels) c->start();
    services.started = true;  // channels a reload makes from now on start at once
    tick();
}

void gateway::impl::stop(std::function<void()> done) {
    // A stop inside a hand-over's pause: Home Assistant unloaded the old entities at
    // migrate_discovery, so the new form and the clears go out now, before "offline", rather
    // than leave it without them until the next start.
    if (!handover.migrating.empty() && client->is_connected()) announce_discovery(true);
    stopping = true;
    housekeeping->cancel();
    handover_pause->cancel();
    // Sensors retire and the commanded states are kept for "restore" (not the failsafe ones);
    // then OFF first, then ON: an interlocked actuator's failsafe ON comes after the others
    // went OFF; PWM failsafe duties and the counters' totals last (channel.hpp: stop_pass).
    for (const auto pass : {stop_pass::save, stop_pass::release, stop_pass::engage}) {
        for (auto* c : channels) c->stop(pass);
    }
    // Every count still pending, also of windows not yet over: their timers die with the loop.
    log::flush_all_limited();
    if (buffer->needs_sync()) buffer->sync();
    publish(prefix() + "/status", "offline", 1, true);
    client->on_disconnect = [done](std::error_code) { done(); };
    client->disconnect();
    if (!client->is_connected()) {
        client->on_disconnect = nullptr;
        asio::post(io, done);
    }
}

gateway::gateway(asio::io_context& io, const config::piogate_config& config, board& hardware,
                 gateway_environment env)
    : impl_(std::make_unique<impl>(io, config, hardware, std::move(env))) {}

gateway::~gateway() = default;

void gateway::start() {
    impl_->start();
}

std::string gateway::reload(const config::piogate_config& next) {
    return impl_->reload(next);
}

void gateway::stop(std::function<void()> done) {
    impl_->stop(std::move(done));
}

void gateway::on_status(std::function<void(const std::string&)> callback) {
    impl_->status_callback = std::move(callback);
    impl_->update_status();
}

}  // namespace piogate::app
