#include "app/pwm_channel.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "app/command.hpp"
#include "app/limited_log.hpp"
#include "app/pwm_command.hpp"
#include "log/log.hpp"

namespace piogate::app {
namespace {

const log::logger pwm_log("pwm");

log::fields channel_field(const std::string& id) {
    return {{"PIOGATE_CHANNEL", id}};
}

// Duty as published: 0.1 % steps are what a person or Home Assistant can ask for.
double rounded(double percent) {
    return std::round(percent * 10.0) / 10.0;
}

}  // namespace

pwm_channel::pwm_channel(util::scheduler& time, channel_host& host, config::pwm_config config,
                         hw::pwm_provider& provider)
    : host_(host),
      config_(std::move(config)),
      period_ns_(hw::period_ns_for_hz(config_.frequency_hz)),
      time_(time),
      ramp_timer_(time.make_timer()),
      failsafe_timer_(time.make_timer()) {
    auto out = provider.request({config_.chip, config_.channel});
    if (!out) throw std::runtime_error(out.err().message);
    out_ = std::move(*out);
    const auto polarity = config_.inversed ? hw::pwm_polarity::inversed : hw::pwm_polarity::normal;
    const hw::pwm_state want{period_ns_, hw::duty_ns_for_percent(period_ns_, config_.initial),
                             polarity, true};
    if (auto r = hw::apply_pwm(*out_, want); !r) throw std::runtime_error(r.err().message);
    written_ = want;
    duty_ = config_.initial;
    if (duty_ > 0) last_on_ = duty_;
}

bool pwm_channel::same_hardware_settings(const config::pwm_config& n) const {
    const auto& c = config_;
    return c.chip == n.chip && c.channel == n.channel && c.frequency_hz == n.frequency_hz &&
           c.inversed == n.inversed;
}

void pwm_channel::publish_state() {
    nlohmann::json j{{"state", duty_ > 0 ? "ON" : "OFF"}, {"duty", rounded(duty_)}};
    host_.publish(host_.prefix() + "/pwm/" + config_.id + "/state", j.dump(), 1, true);
}

bool pwm_channel::set_duty(double percent) {
    const auto polarity = config_.inversed ? hw::pwm_polarity::inversed : hw::pwm_polarity::normal;
    const hw::pwm_state want{period_ns_, hw::duty_ns_for_percent(period_ns_, percent), polarity,
                             true};
    // A ramp step writes only the duty: from the state last written, not read back each time.
    auto r = written_ ? hw::apply_pwm(*out_, *written_, want) : hw::apply_pwm(*out_, want);
    written_.reset();
    if (!r) {
        log_limited(pwm_log, time_, log::level::error, "pwm " + config_.id + ": set failed",
                    "pwm " + config_.id + ": " + r.err().message, channel_field(config_.id));
        host_.publish(host_.prefix() + "/pwm/" + config_.id + "/error", r.err().message, 1, true);
        return false;
    }
    written_ = want;
    duty_ = percent;
    return true;
}

void pwm_channel::go_to(double target) {
    ramp_timer_->cancel();
    ramp_.reset();
    if (target > 0) last_on_ = target;
    if (config_.ramp.count() <= 0 || target == duty_) {
        if (set_duty(target)) publish_state();
        return;
    }
    ramp_.emplace(duty_, target, config_.ramp);
    ramp_start_ = time_.now();
    step();
}

void pwm_channel::step() {
    const auto elapsed = time_.now() - ramp_start_;
    const double at = ramp_->at(elapsed);
    if (!set_duty(at) || ramp_->done(elapsed)) {
        ramp_.reset();
        publish_state();  // the end of the ramp (or where a failed write left it)
        return;
    }
    ramp_timer_->wait_until(ramp_start_ + ramp_->next_step(elapsed), [this] {
        if (ramp_) step();
    });
}

void pwm_channel::command(std::string_view topic, std::string_view payload, bool retained) {
    if (retained && !config_.accept_retained) {
        pwm_log.info(
            "retained command on " + log::clip(topic) + " ignored (accept_retained is off)",
            channel_field(config_.id));
        return;
    }
    std::string why;
    auto cmd = parse_pwm_command(payload, why);
    if (!cmd) {
        log_limited(pwm_log, time_, log::level::warning, "pwm " + config_.id + ": bad command",
                    "bad command on " + log::clip(topic) + ": " + why + ": \"" +
                        truncate_payload(payload) + "\"",
                    channel_field(config_.id));
        return;
    }
    // Where the output is heading decides what TOGGLE means during a ramp.
    const double heading = ramp_ ? ramp_->target() : duty_;
    switch (cmd->what) {
        case pwm_command::action::duty:
            go_to(cmd->duty);
            break;
        case pwm_command::action::on:
            go_to(heading > 0 ? heading : last_on_);
            break;
        case pwm_command::action::off:
            go_to(0);
            break;
        case pwm_command::action::toggle:
            go_to(heading > 0 ? 0 : last_on_);
            break;
    }
}

void pwm_channel::apply_failsafe(std::string_view why) {
    ramp_timer_->cancel();
    ramp_.reset();
    failsafe_timer_->cancel();
    if (duty_ != config_.failsafe) {
        char text[32];
        std::snprintf(text, sizeof text, "%g %%", config_.failsafe);
        pwm_log.notice("pwm " + config_.id + ": failsafe " + text + " (" + std::string(why) + ")",
                       channel_field(config_.id));
    }
    if (set_duty(config_.failsafe)) publish_state();
}

void pwm_channel::broker_lost() {
    if (config_.failsafe_after.count() <= 0 || failsafe_armed_) return;
    failsafe_armed_ = true;
    failsafe_timer_->wait_for(config_.failsafe_after, [this] {
        char text[64];
        std::snprintf(text, sizeof text, "broker unreachable for %g s",
                      std::chrono::duration<double>(config_.failsafe_after).count());
        apply_failsafe(text);
    });
}

void pwm_channel::broker_back() {
    failsafe_armed_ = false;
    failsafe_timer_->cancel();
}

}  // namespace piogate::app
