// Private to the gateway: its state, shared by gateway.cpp (running) and gateway_reload.cpp.
// Thread: the event loop's, all of it.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "app/channel.hpp"
#include "app/channel_group.hpp"
#include "app/channel_host.hpp"
#include "app/channel_roles.hpp"
#include "app/discovery.hpp"
#include "app/discovery_handover.hpp"
#include "app/gateway.hpp"
#include "app/mqtt_link.hpp"
#include "app/outage_buffer.hpp"
#include "app/rules/interlock.hpp"
#include "app/rules/rule_engine.hpp"
#include "app/state_file_writer.hpp"
#include "hw/i2c_worker.hpp"
#include "util/asio_scheduler.hpp"

namespace piogate::app {

struct gateway::impl final : channel_host {
    impl(boost::asio::io_context& io, const config::piogate_config& cfg, board& hardware,
         gateway_environment env = {});
    ~impl() override;

    // channel_host
    const std::string& prefix() const override { return config.mqtt.topic_prefix; }
    void publish(const std::string& topic, const std::string& payload, int qos,
                 bool retain) override;
    void publish_reading(buffered_message m) override;
    void on_reading(const std::string& id, const hw::reading& values) override;  // rules
    void health_changed() override { update_status(); }

    // MQTT
    // Subscribed to commands and Home Assistant's status topic; not connected yet.
    // `token` names the client in the outage buffer (whose readings it holds).
    std::unique_ptr<mqtt_link> make_client(const config::mqtt_config& m,
                                           const config::homeassistant_config& ha,
                                           std::uint64_t token);
    void watch_homeassistant(mqtt_link& c, const std::string& status_topic);
    void connect();
    void announce();  // online, every channel's state, Home Assistant discovery
    void announce_discovery(bool pause_over = false);
    void on_connected();
    void on_broker_lost();
    void drain();

    // Status and housekeeping
    std::string status_line() const;
    void update_status();
    void tick();

    // Channels and life cycle
    void start();
    std::string reload(const config::piogate_config& next);
    void reload_channels(const config::piogate_config& next, std::vector<std::string>& changes);
    void reload_buffer(const config::piogate_config& next, std::vector<std::string>& changes);
    void replace_client(const config::piogate_config& next);
    void drop_retiring();  // destroys the retiring client; its readings wait again
    void stop(std::function<void()> done);

    boost::asio::io_context& io;
    std::unique_ptr<util::asio_scheduler> own_time;  // when none was injected
    util::scheduler& time;  // the gateway's and the channels' clock and timers
    mqtt_link_factory make_link;
    config::piogate_config config;
    board& hardware;
    // The kinds of channel, in the order of `groups` (gateway_environment::kinds).
    const std::vector<const channel_group_kind*>& kinds;
    std::unique_ptr<outage_buffer> buffer;
    // A blocking-job thread for fdatasync of the buffer file; made when first needed.
    std::unique_ptr<hw::i2c_worker> sync_worker;
    // fdatasync(fd) on the sync worker, then done(succeeded) on the loop thread.
    void sync_off_loop(util::unique_fd fd, std::function<void(bool)> done);
    outage_buffer::sync_fn buffer_syncer();  // a buffer's rewrites sync on sync_worker
    // The buffer's names for the current and the retiring client (0: none).
    std::uint64_t client_token = 1;
    std::uint64_t retiring_token = 0;
    std::uint64_t last_token = 1;
    void log_buffer_read_back();
    static constexpr std::size_t drain_window = 32;
    std::size_t dropped_since_log = 0;
    bool write_failing = false;
    std::unique_ptr<mqtt_link> client;
    std::unique_ptr<mqtt_link> retiring;  // the old client after an MQTT change
    std::map<std::string, std::unique_ptr<hw::i2c_worker>> workers;  // by name: "i2c-1", "sysfs"
    rules::interlock interlock;  // before the channels: the actuators hold a reference to it
    // Actuator states and counter totals, written on its worker. Before the channels: destroyed
    // after them (their destructors save), it writes what they saved.
    state_file_writer states{io};
    channel_services services{io, time, *this, hardware, interlock, states, workers};
    // The channels of each kind, one group per kind of the table (channel_kinds/registry.hpp),
    // in its order; destroyed in reverse order (~impl). They route commands and reload.
    std::vector<std::unique_ptr<channel_group>> groups;
    // Every channel of the groups, in one order: inputs, actuators, sensors, PWM outputs,
    // counters (the order of their announcements); start, announce, broker events, shutdown,
    // the status line and the rules' lookups loop here.
    std::vector<channel*> channels;
    void list_channels();  // after the channels were (re)built
    // The listed channel with this id that a rule's "actuator" and an interlock may name
    // (channel::as_switchable, whatever its kind), or nullptr (ids are unique in that role
    // across kinds: config::check_role_ids).
    switchable* find_switchable(const std::string& id) const;
    // Local rules (gateway_rules.cpp): inputs' changes and sensors' readings (on_reading) in,
    // actions out.
    rules::rule_engine rules;
    // Each binary source's level-change callback (channel::as_binary_source), after the
    // channels were (re)built and listed.
    void wire_rules();
    void apply_rule_actions(const std::vector<rules::action>& actions);
    std::unique_ptr<util::timer> housekeeping = time.make_timer();     // tick(): every second
    std::unique_ptr<util::timer> retire_deadline = time.make_timer();  // replace_client: 3 s
    std::string unique_id;  // from /etc/machine-id, for Home Assistant
    std::vector<discovery_message> discovery_sent;
    discovery_handover handover;  // topics of the other discovery form handed over this run
    std::unique_ptr<util::timer> handover_pause = time.make_timer();  // migrate -> new form
    std::function<void(const std::string&)> status_callback;
    std::string last_status;
    bool stopping = false;
    // The broker was lost and not reached since (on_broker_lost .. on_connected): a channel a
    // reload makes now is told so at once, not only at the next failed connect round.
    bool broker_down = false;
};

}  // namespace piogate::app
