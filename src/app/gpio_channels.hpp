// The GPIO channels: inputs (edges -> PREFIX/inputs/ID, ON/OFF retained) and actuators
// (commands on PREFIX/actuators/ID/set -> the line -> PREFIX/actuators/ID/state, ON/OFF
// retained, published only once the line has been set).
//
// Thread: the event loop's. Errors: the constructors throw (hw errors naming chip and line)
// when a line cannot be requested; at run time a failed set is logged and published on
// PREFIX/actuators/ID/error and the state stays what it was.
//
// Actuators in an interlock group (rules::interlock) ask it before switching ON: a command it
// refuses changes nothing, is logged and its reason published on PREFIX/actuators/ID/error
// (QoS 1, not retained: an answer to one command, not a lasting state). An initial ON that the
// interlock refuses starts OFF; a failsafe ON it refuses is logged (and, for failsafe_after,
// tried again each second while the broker stays unreachable).
//
// "initial": "restore": the last commanded state is saved through the gateway's
// state_file_writer (the fsync on its worker, never on the loop), at most once a second.
//
// Time: an actuator's pulses, failsafe delay and retries, save spacing and the times it tells
// the interlock, and the rate-limited log's window and flush (app/limited_log.hpp), come from
// the injected scheduler (util/scheduler.hpp).
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <functional>
#include <memory>
#include <optional>
#include <string_view>

#include "app/channel.hpp"
#include "app/channel_host.hpp"
#include "app/channel_roles.hpp"
#include "app/rules/interlock.hpp"
#include "app/state_file_writer.hpp"
#include "config/gpio_config.hpp"
#include "hw/gpio.hpp"
#include "util/scheduler.hpp"

namespace piogate::app {

// A binary source (channel_roles.hpp): a rule's "input" may name it.
class input_channel final : public channel, public binary_source {
public:
    input_channel(channel_host& host, config::input_config config, hw::gpio_provider& gpio);
    void publish();

    // channel
    const std::string& id() const override { return config_.id; }
    void announce() override { publish(); }
    binary_source* as_binary_source() override { return this; }

    // binary_source: the callback comes after each published level change (the gateway's
    // local rules).
    void on_level_change(change_fn callback) override { on_change_ = std::move(callback); }
    bool level() const override { return level_; }

    const config::input_config& config() const { return config_; }
    // Takes over non-line settings of a new config (the line request stays as it is).
    void update(const config::input_config& config) { config_ = config; }
    // Whether `next` can keep this channel's line request (same line and line settings).
    bool same_line_settings(const config::input_config& next) const;

private:
    channel_host& host_;
    config::input_config config_;
    std::unique_ptr<hw::gpio_input> input_;
    bool level_ = false;
    change_fn on_change_;
};

// Switchable (channel_roles.hpp): a rule's "actuator" and an interlock group may name it.
class actuator_channel final : public channel, public switchable {
public:
    // `time`, `interlock` and `states` must outlive the channel; the channel reports its state
    // changes to the interlock (at time.now()) and saves its state ("restore") through
    // `states`.
    actuator_channel(util::scheduler& time, channel_host& host, config::actuator_config config,
                     hw::gpio_provider& gpio, rules::interlock& interlock,
                     state_file_writer& states);
    void publish_state();
    // A message on PREFIX/actuators/ID/set. Bad payloads are logged and change nothing.
    void command(std::string_view topic, std::string_view payload, bool retained);
    // switchable: switches to `target` (and back after `pulse`), as a command does; returns
    // why it was refused (interlock, or the line failed; logged and published on
    // PREFIX/actuators/ID/error), empty when done. For commands, local rules and reloads.
    std::string switch_to(bool target,
                          std::optional<std::chrono::milliseconds> pulse = std::nullopt) override;
    // Shutdown: the failsafe state, no more pulses. `retry`: a failsafe ON the interlock refuses
    // is tried again every second (or when its dead time ends) until broker_back().
    void apply_failsafe(std::string_view why, bool retry = false);
    // The broker became unreachable / reachable again: arms or cancels failsafe_after.
    void broker_lost() override;
    void broker_back() override;

    // channel
    const std::string& id() const override { return config_.id; }
    void announce() override { publish_state(); }
    switchable* as_switchable() override { return this; }
    // save: the commanded state (for "restore", not the failsafe one); release: a failsafe
    // OFF; engage: a failsafe ON, after every other actuator went OFF (interlocks).
    void stop(stop_pass pass) override;

    const config::actuator_config& config() const { return config_; }
    bool state() const override { return state_; }
    void update(const config::actuator_config& config);
    bool same_line_settings(const config::actuator_config& next) const;
    // "restore": hands a state still waiting for its turn to the writer now (at shutdown,
    // before the failsafe; the writer has it on disk before the daemon exits).
    void flush_saved_state();
    ~actuator_channel() override;

private:
    bool apply(bool level);
    // "restore": keeps `state` as the last commanded one; saved at once, or when a second has
    // passed since the last save (a toggling rule or a flood of commands costs one write a
    // second).
    void remember(bool state);
    void save();
    void refused(bool target, const std::string& why);

    util::scheduler& time_;
    rules::interlock& interlock_;
    state_file_writer& states_;
    channel_host& host_;
    config::actuator_config config_;
    bool state_ = false;  // before output_: the line is requested in this state
    std::unique_ptr<hw::gpio_output> output_;
    std::unique_ptr<util::timer> pulse_;
    std::unique_ptr<util::timer> failsafe_timer_;
    bool failsafe_armed_ = false;
    bool failsafe_refusal_logged_ = false;
    std::unique_ptr<util::timer> save_timer_;
    util::steady_time last_save_{};
    bool to_save_ = false;
    bool save_pending_ = false;
};

}  // namespace piogate::app
