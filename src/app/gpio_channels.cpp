#include "app/gpio_channels.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <cstdio>

#include "app/actuator_state_file.hpp"
#include "app/command.hpp"
#include "app/limited_log.hpp"
#include "log/log.hpp"

namespace piogate::app {

namespace {

const log::logger gpio_log("gpio");

hw::input_config input_request(const config::input_config& c) {
    hw::input_config k;
    k.line = hw::line_address{c.chip, c.line};
    k.edges = c.edges == "rising"    ? hw::edge::rising
              : c.edges == "falling" ? hw::edge::falling
                                     : hw::edge::both;
    k.pull = c.bias == "pull_up"     ? hw::bias::pull_up
             : c.bias == "pull_down" ? hw::bias::pull_down
             : c.bias == "disabled"  ? hw::bias::disabled
                                     : hw::bias::as_is;
    k.active_low = c.active_low;
    k.debounce = c.debounce;
    return k;
}

hw::output_config output_request(const config::actuator_config& c) {
    hw::output_config k;
    k.line = hw::line_address{c.chip, c.line};
    k.initial = c.initial;
    k.active_low = c.active_low;
    k.mode = c.drive == "open_drain"    ? hw::drive::open_drain
             : c.drive == "open_source" ? hw::drive::open_source
                                        : hw::drive::push_pull;
    return k;
}

log::fields channel_field(const std::string& id) {
    return {{"PIOGATE_CHANNEL", id}};
}

}  // namespace

input_channel::input_channel(channel_host& host, config::input_config config,
                             hw::gpio_provider& gpio)
    : host_(host), config_(std::move(config)), input_(gpio.request_input(input_request(config_))) {
    if (auto v = input_->value()) level_ = *v;
    input_->on_edge([this](const hw::edge_event& ev) {
        if (ev.missed > 0) {
            gpio_log.warning("input " + config_.id + ": " + std::to_string(ev.missed) +
                                 " edge events were lost by the kernel",
                             channel_field(config_.id));
        }
        level_ = ev.level;
        publish();
        if (on_change_) on_change_(level_);
    });
}

void input_channel::publish() {
    host_.publish(host_.prefix() + "/inputs/" + config_.id, level_ ? "ON" : "OFF", 1, true);
}

bool input_channel::same_line_settings(const config::input_config& n) const {
    const auto& c = config_;
    return c.chip == n.chip && c.line == n.line && c.edges == n.edges && c.bias == n.bias &&
           c.active_low == n.active_low && c.debounce == n.debounce;
}

namespace {

// "initial": "restore": the kept state (the newest saved, also one not on disk yet); OFF when
// there is none or it cannot be used.
bool restored_state(const config::actuator_config& c, const state_file_writer& states) {
    const auto path = default_actuator_state_path(c.id);
    const auto unwritten = states.unwritten(path);
    const auto f =
        unwritten ? decode_actuator_state(*unwritten, c.id) : read_actuator_state(path, c.id);
    using kind_t = actuator_state_file::kind_t;
    switch (f.kind) {
        case kind_t::own:
            gpio_log.info(
                "actuator " + c.id + ": restored " + (f.state ? "ON" : "OFF") + " from " + path,
                channel_field(c.id));
            return f.state;
        case kind_t::absent:
            return false;
        case kind_t::corrupted:
            gpio_log.warning(
                "actuator " + c.id + ": state file " + path + " " + f.reason + "; starting OFF",
                channel_field(c.id));
            return false;
        case kind_t::foreign:
            gpio_log.error("actuator " + c.id + ": state file " + path + " " + f.reason +
                               "; starting OFF, and piogate will not overwrite it",
                           channel_field(c.id));
            return false;
    }
    return false;
}

// The state an actuator starts in: its configured or restored state unless the interlock
// refuses it.
bool initial_state(const config::actuator_config& c, rules::interlock& interlock,
                   const state_file_writer& states, rules::time_point now) {
    if (!(c.restore ? restored_state(c, states) : c.initial)) return false;
    auto d = interlock.check(c.id, true, now);
    if (d.allowed) return true;
    gpio_log.warning("actuator " + c.id + ": starts OFF, not ON: " + d.reason, channel_field(c.id));
    return false;
}

hw::output_config with_initial(hw::output_config k, bool initial) {
    k.initial = initial;
    return k;
}

}  // namespace

actuator_channel::actuator_channel(util::scheduler& time, channel_host& host,
                                   config::actuator_config config, hw::gpio_provider& gpio,
                                   rules::interlock& interlock, state_file_writer& states)
    : time_(time),
      interlock_(interlock),
      states_(states),
      host_(host),
      config_(std::move(config)),
      state_(initial_state(config_, interlock_, states_, time_.now())),
      output_(gpio.request_output(with_initial(output_request(config_), state_))),
      pulse_(time_.make_timer()),
      failsafe_timer_(time_.make_timer()),
      save_timer_(time_.make_timer()) {
    interlock_.changed(config_.id, state_, time_.now());
}

void actuator_channel::stop(stop_pass pass) {
    switch (pass) {
        case stop_pass::save:
            flush_saved_state();
            break;
        case stop_pass::release:
            if (!config_.failsafe) apply_failsafe("shutting down");
            break;
        case stop_pass::engage:
            if (config_.failsafe) apply_failsafe("shutting down");
            break;
    }
}

actuator_channel::~actuator_channel() {
    flush_saved_state();
}

void actuator_channel::update(const config::actuator_config& config) {
    flush_saved_state();
    config_ = config;
}

void actuator_channel::remember(bool state) {
    if (!config_.restore) return;
    to_save_ = state;
    if (save_pending_) return;  // the timer writes the latest
    const auto due = last_save_ + std::chrono::seconds(1);
    if (time_.now() >= due) {
        save();
        return;
    }
    save_pending_ = true;
    save_timer_->wait_until(due, [this] {
        if (save_pending_) save();
    });
}

void actuator_channel::flush_saved_state() {
    if (save_pending_) save();
}

void actuator_channel::save() {
    save_pending_ = false;
    save_timer_->cancel();
    last_save_ = time_.now();
    const auto path = default_actuator_state_path(config_.id);
    // On the writer's worker. A foreign file (also one put there after start) is refused by
    // the write, not replaced. The report holds nothing of the channel: it may outlive it (it
    // runs only while `states_` lives, which the scheduler outlives: gateway_impl.hpp).
    states_.save(
        path, encode_actuator_state(config_.id, to_save_),
        [path, id = config_.id](const std::string& text) {
            return write_actuator_text(path, id, text);
        },
        [&time = time_, id = config_.id](const util::result<void>& r, bool) {
            if (r) return;
            log_limited(gpio_log, time, log::level::error, "actuator " + id + ": state file",
                        "actuator " + id + ": state not kept: " + r.err().message,
                        channel_field(id));
        });
}

bool actuator_channel::same_line_settings(const config::actuator_config& n) const {
    const auto& c = config_;
    return c.chip == n.chip && c.line == n.line && c.active_low == n.active_low &&
           c.drive == n.drive;
}

void actuator_channel::publish_state() {
    host_.publish(host_.prefix() + "/actuators/" + config_.id + "/state", state_ ? "ON" : "OFF", 1,
                  true);
}

bool actuator_channel::apply(bool level) {
    if (auto r = output_->set(level); !r) {
        log_limited(gpio_log, time_, log::level::error, "actuator " + config_.id + ": set failed",
                    "actuator " + config_.id + ": " + r.err().message, channel_field(config_.id));
        host_.publish(host_.prefix() + "/actuators/" + config_.id + "/error", r.err().message, 1,
                      true);
        return false;
    }
    state_ = level;
    interlock_.changed(config_.id, level, time_.now());
    publish_state();
    return true;
}

void actuator_channel::command(std::string_view topic, std::string_view payload, bool retained) {
    if (retained && !config_.accept_retained) {
        gpio_log.info(
            "retained command on " + log::clip(topic) + " ignored (accept_retained is off)",
            channel_field(config_.id));
        return;
    }
    std::string why;
    auto cmd = parse_command(payload, why);
    if (!cmd) {
        log_limited(gpio_log, time_, log::level::warning,
                    "actuator " + config_.id + ": bad command",
                    "bad command on " + log::clip(topic) + ": " + why + ": \"" +
                        truncate_payload(payload) + "\"",
                    channel_field(config_.id));
        return;
    }
    const bool target =
        cmd->what == command::action::toggle ? !state_ : cmd->what == command::action::on;
    switch_to(target, cmd->pulse);
}

void actuator_channel::refused(bool target, const std::string& why) {
    log_limited(gpio_log, time_, log::level::warning, "actuator " + config_.id + ": refused",
                "actuator " + config_.id + ": " + (target ? "ON" : "OFF") + " refused: " + why,
                channel_field(config_.id));
    host_.publish(host_.prefix() + "/actuators/" + config_.id + "/error",
                  std::string(target ? "ON" : "OFF") + " refused: " + why, 1, false);
}

std::string actuator_channel::switch_to(bool target,
                                        std::optional<std::chrono::milliseconds> pulse) {
    if (auto d = interlock_.check(config_.id, target, time_.now()); !d.allowed) {
        refused(target, d.reason);
        return d.reason;
    }
    pulse_->cancel();
    if (!apply(target)) return "setting the line failed";
    remember(pulse ? !target : target);  // a pulse's last commanded state is the one it returns to
    if (!pulse) return {};
    pulse_->wait_for(*pulse, [this, target] {
        // The way back is checked too: a pulse OFF may not end in ON beside another member.
        if (auto d = interlock_.check(config_.id, !target, time_.now()); !d.allowed) {
            refused(!target, "end of pulse: " + d.reason);
            return;
        }
        apply(!target);
    });
    return {};
}

void actuator_channel::apply_failsafe(std::string_view why, bool retry) {
    pulse_->cancel();
    failsafe_timer_->cancel();
    if (auto d = interlock_.check(config_.id, config_.failsafe, time_.now()); !d.allowed) {
        if (!failsafe_refusal_logged_) {
            gpio_log.warning("actuator " + config_.id + ": failsafe ON (" + std::string(why) +
                                 ") refused: " + d.reason +
                                 (retry ? "; trying again while the broker is away" : ""),
                             channel_field(config_.id));
            failsafe_refusal_logged_ = retry;
        }
        if (!retry) return;
        failsafe_timer_->wait_for(d.wait.count() > 0 ? d.wait : std::chrono::milliseconds(1000),
                                  [this, text = std::string(why)] { apply_failsafe(text, true); });
        return;
    }
    failsafe_refusal_logged_ = false;
    if (state_ != config_.failsafe) {
        gpio_log.notice("actuator " + config_.id + ": failsafe " +
                            (config_.failsafe ? "ON" : "OFF") + " (" + std::string(why) + ")",
                        channel_field(config_.id));
    }
    apply(config_.failsafe);
}

void actuator_channel::broker_lost() {
    if (config_.failsafe_after.count() <= 0 || failsafe_armed_) return;
    failsafe_armed_ = true;
    failsafe_timer_->wait_for(config_.failsafe_after, [this] {
        const auto secs = std::chrono::duration<double>(config_.failsafe_after).count();
        char text[64];
        std::snprintf(text, sizeof text, "broker unreachable for %g s", secs);
        apply_failsafe(text, true);
    });
}

void actuator_channel::broker_back() {
    failsafe_armed_ = false;
    failsafe_refusal_logged_ = false;
    failsafe_timer_->cancel();
}

}  // namespace piogate::app
