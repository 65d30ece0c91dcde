// A PWM output channel: commands on PREFIX/pwm/ID/set (a duty 0..100 %, ON/OFF/TOGGLE, JSON
// {"duty": x}; see pwm_command.hpp) -> the PWM channel -> PREFIX/pwm/ID/state, retained JSON
// {"state":"ON","duty":42.5} published once the hardware has it. ON restores the last non-zero
// duty (100 % if there was none); OFF is duty 0 with the output still enabled (a disabled PWM
// output's level depends on the controller). With ramp_ms the duty moves there in steps on the
// injected scheduler's timer (util/scheduler.hpp); a new command starts from where the ramp is.
//
// Thread: the event loop's. Errors: the constructor throws std::runtime_error (naming chip
// and channel) when the channel cannot be exported or set up; at run time a failed write is
// logged and published on PREFIX/pwm/ID/error (retained) and the state stays what it was.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <memory>
#include <optional>
#include <string_view>

#include "app/channel.hpp"
#include "app/channel_host.hpp"
#include "app/pwm_ramp.hpp"
#include "config/pwm_config.hpp"
#include "hw/pwm.hpp"
#include "util/scheduler.hpp"

namespace piogate::app {

class pwm_channel final : public channel {
public:
    // `time`: the ramp's steps, the failsafe delay and the rate-limited log (it must outlive
    // the channel).
    pwm_channel(util::scheduler& time, channel_host& host, config::pwm_config config,
                hw::pwm_provider& provider);

    void publish_state();
    void command(std::string_view topic, std::string_view payload, bool retained);
    void apply_failsafe(std::string_view why);  // at once, no ramp
    void broker_lost() override;
    void broker_back() override;

    // channel
    const std::string& id() const override { return config_.id; }
    void announce() override { publish_state(); }
    void stop(stop_pass pass) override {
        if (pass == stop_pass::engage) apply_failsafe("shutting down");
    }

    const config::pwm_config& config() const { return config_; }
    double duty() const { return duty_; }
    // Takes over settings that need no new hardware state (ids, failsafe, ramp, HA entity).
    void update(const config::pwm_config& next) { config_ = next; }
    bool same_hardware_settings(const config::pwm_config& next) const;

private:
    bool set_duty(double percent);  // writes the hardware; publishes state or error
    void go_to(double percent);     // with the configured ramp
    void step();

    channel_host& host_;
    config::pwm_config config_;
    std::unique_ptr<hw::pwm_output> out_;
    std::uint64_t period_ns_;
    // The channel's state after the last successful write (none after a failed one: read it).
    std::optional<hw::pwm_state> written_;
    double duty_ = 0;
    double last_on_ = 100;
    std::optional<pwm_ramp> ramp_;
    util::scheduler& time_;
    util::steady_time ramp_start_;
    std::unique_ptr<util::timer> ramp_timer_;
    std::unique_ptr<util::timer> failsafe_timer_;
    bool failsafe_armed_ = false;
};

}  // namespace piogate::app
