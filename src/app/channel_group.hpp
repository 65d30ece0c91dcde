// A kind of channel inside the gateway (GPIO inputs, GPIO outputs, sensors, PWM outputs, pulse
// counters): its descriptor (channel_group_kind: name, config section, factory, preflight
// checks, Home Assistant mapping) and the live channels of that kind (channel_group). One
// descriptor per kind, each in its own file in app/channel_kinds/, listed once in
// app/channel_kinds/registry.cpp; config loading reads every kind's section through that table
// (config::channel_config_kind, installed by install_channel_kinds()), the gateway builds,
// reloads, subscribes and lists every kind by looping over it, and does start, announce,
// broker events, shutdown and the status line over the listed channels (channel.hpp).
//
// Thread: the event loop's, all of it. Descriptors are immutable.
// Errors: channel_group_kind::make throws like the channels do (start-up fails); a reload logs
// a channel that cannot be made and goes on without it (channel_reconcile.hpp).
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <boost/asio/io_context.hpp>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "app/board.hpp"
#include "app/channel.hpp"
#include "app/channel_host.hpp"
#include "app/mqtt_link.hpp"
#include "app/rules/interlock.hpp"
#include "app/state_file_writer.hpp"
#include "config/config.hpp"
#include "hw/i2c_worker.hpp"
#include "util/scheduler.hpp"

namespace piogate::app {

// What the channels of every kind may use from the gateway. Everything referred to must
// outlive the groups made with it (the gateway declares them first).
struct channel_services {
    boost::asio::io_context& io;
    util::scheduler& time;  // the channels' clock and timers
    channel_host& host;
    board& hardware;
    rules::interlock& interlock;  // the actuators ask it before switching ON
    state_file_writer& states;    // actuator states ("restore"), counter totals
    // The sensors' blocking-job threads by name ("i2c-1", "sysfs"), made when first needed.
    std::map<std::string, std::unique_ptr<hw::i2c_worker>>& workers;
    // Set once the gateway started its channels: a channel a reload makes afterwards starts at
    // once (channel::start); before, the gateway's start() starts it with the others.
    bool started = false;
};

// The running channels of one kind.
class channel_group {
public:
    virtual ~channel_group() = default;

    // A reload, in two phases: the gateway calls release_unkept on every group, then
    // make_missing on every group, so that a GPIO line (or a PWM channel) that moves from one
    // kind to another in one reload is free before anything is requested again.
    // release_unkept keeps the channels `next` keeps (reported "KIND ID updated" when changed)
    // and releases the others (failsafe, "KIND ID removed" when gone); make_missing makes the
    // rest ("KIND ID added", "KIND ID <moved>", or logged and "KIND ID stopped: WHY").
    virtual void release_unkept(const config::piogate_config& next,
                                std::vector<std::string>& changes) = 0;
    virtual void make_missing(const config::piogate_config& next,
                              std::vector<std::string>& changes) = 0;
    // Subscribes `link` to the kind's command topics under `prefix` and routes them to its
    // channels (each client the gateway makes; a retiring client keeps its routes). Default:
    // the kind takes no commands.
    virtual void subscribe(mqtt_link& link, const std::string& prefix) {
        (void)link;
        (void)prefix;
    }
    // Appends the channels in config order.
    virtual void list(std::vector<channel*>& out) const = 0;
};

// One Home Assistant entity of a kind's entry, before discovery adds unique_id,
// default_entity_id, device, origin and availability (discovery.hpp).
struct kind_entity {
    std::string component;  // the platform: "binary_sensor", "switch", "light", "number", ...
    std::string id;         // unique within the device: "door", "pwm_fan", "counter_power_rate"
    std::string source;     // unambiguous origin ("input/door"), hashed when ids collide
    nlohmann::json payload;
};

// A kind: made once (a static descriptor), read-only afterwards.
class channel_group_kind {
public:
    virtual ~channel_group_kind() = default;
    // "input", "actuator", "sensor", "pwm", "counter": the KIND of the reload's changes.
    virtual std::string_view name() const = 0;
    // How the status line counts the kind's channels: "2 PWM outputs (1 failing)".
    struct status_noun {
        const char* singular;  // "sensor", "PWM output"
        int rank;              // the line lists kinds by rank, lowest first
        bool always;           // listed as "0 ..." when there are none
    };
    virtual status_noun status() const = 0;
    // How many entries of the kind `cfg` has (`piogate --check-config`'s summary).
    virtual std::size_t count(const config::piogate_config& cfg) const = 0;
    // The kind's config section: its keys, validation and each entry's facts (what it claims,
    // which roles rules and interlocks may name it in). nullptr: the kind reads no section of
    // its own this way (the sensors, read with their sensor kinds: config/sensor_kind.hpp).
    virtual const config::channel_config_kind* config_kind() const { return nullptr; }
    // Checks of the kind's entries in `cfg` against the machine that app::preflight runs
    // (beyond the generic ones over the entries' facts: GPIO lines, where state files go), e.g.
    // that a state file found is piogate's own. Throws config::config_error with the JSON path.
    // Default: none.
    virtual void preflight(const config::piogate_config& cfg) const { (void)cfg; }
    // The group with a channel for each of the kind's entries in `cfg`, in order; throws when
    // one cannot be made.
    virtual std::unique_ptr<channel_group> make(channel_services& s,
                                                const config::piogate_config& cfg) const = 0;
    // Appends the Home Assistant entities of the kind's entries in `cfg`, in config order.
    // Pure. Default: none (the sensors' entities come from their sensor kinds, discovery.cpp).
    virtual void entities(const config::piogate_config& cfg, std::vector<kind_entity>& out) const {
        (void)cfg;
        (void)out;
    }
};

// The usual descriptor: a kind whose config section holds entries of the plain struct Config
// (config::entries_kind reads it), counted and found in the config by that type
// (piogate_config::entries<Config>()). The kind's file implements both sides in one class.
template <class Config>
class entries_channel_kind : public channel_group_kind, public config::entries_kind<Config> {
public:
    std::size_t count(const config::piogate_config& cfg) const final {
        return cfg.entries<Config>().size();
    }
    const config::channel_config_kind* config_kind() const final { return this; }
};

}  // namespace piogate::app
