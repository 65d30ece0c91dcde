// PWM outputs ("pwm" in the config, config/pwm_config.cpp): one pwm_channel per entry
// (pwm_channel.hpp), commands on PREFIX/pwm/ID/set, state on .../state; a Home Assistant light
// or number each (discovery_outputs.hpp). Hardware: /sys/class/pwm on a Linux board; on the
// simulated board a simulated controller, pwmchip0 with 4 channels, whose writes are logged at
// debug level ("simulated pwmchip0/pwm1: ..."). A channel on the same hardware settings is kept
// across a reload (its other settings updated); any other goes to its failsafe duty and is
// released before anything is requested again ("hardware settings changed").
// SPDX-License-Identifier: Apache-2.0
#include <cstdio>

#include "app/channel_kinds/registry.hpp"
#include "app/channel_list.hpp"
#include "app/command_router.hpp"
#include "app/discovery_outputs.hpp"
#include "app/pwm_channel.hpp"
#include "hw/linux/sysfs_pwm.hpp"
#include "hw/sim/sim_pwm.hpp"

namespace piogate::app {
namespace {

const log::logger app_log("app");

using pwm_ptr = std::unique_ptr<pwm_channel>;

std::unique_ptr<hw::pwm_provider> make_pwm_hardware(board& hardware) {
    if (!hardware.simulated()) return hw::make_sysfs_pwm();
    auto sim = std::make_unique<hw::sim_pwm>();
    sim->add_chip(0, 4);
    sim->on_change([](const hw::pwm_address& a, const hw::pwm_state& s) {
        const double percent =
            s.period_ns ? 100.0 * static_cast<double>(s.duty_ns) / static_cast<double>(s.period_ns)
                        : 0;
        char text[160];
        std::snprintf(text, sizeof text, "simulated %s: duty %llu of %llu ns (%.1f %%), %s, %s",
                      a.to_string().c_str(), static_cast<unsigned long long>(s.duty_ns),
                      static_cast<unsigned long long>(s.period_ns), percent,
                      hw::to_string(s.polarity), s.enabled ? "enabled" : "disabled");
        app_log.debug(text);
    });
    return sim;
}

class pwm_group final : public channel_group {
public:
    pwm_group(channel_services& s, const config::piogate_config& cfg)
        : list_({"pwm", "hardware settings changed",
                 [](const pwm_ptr& p, const config::pwm_config& c) {
                     return p->same_hardware_settings(c);
                 },
                 [](const pwm_ptr& p, const config::pwm_config& c) { p->update(c); },
                 [](const pwm_ptr& p, bool still_listed) {
                     p->apply_failsafe(still_listed ? "its hardware settings changed"
                                                    : "removed from the configuration");
                 },
                 [this, &s](const config::pwm_config& c) {
                     return std::make_unique<pwm_channel>(s.io, s.time, s.host, c,
                                                          hardware(s.hardware));
                 }},
                app_log, s.started),
          commands_(s.time, "pwm output", [this](const std::string& id, const mqtt::message& m) {
              auto* ch = list_.find(id);
              if (ch) ch->command(m.topic, m.payload, m.retain);
              return ch != nullptr;
          }) {
        list_.build(cfg.pwm);
    }
    void release_unkept(const config::piogate_config& next,
                        std::vector<std::string>& changes) override {
        list_.release_unkept(next.pwm, changes);
    }
    void make_missing(const config::piogate_config& next,
                      std::vector<std::string>& changes) override {
        list_.make_missing(next.pwm, changes);
    }
    void subscribe(mqtt_link& link, const std::string& prefix) override {
        commands_.subscribe(link, prefix + "/pwm/+/set");
    }
    void list(std::vector<channel*>& out) const override { list_.list(out); }

private:
    hw::pwm_provider& hardware(board& b) {  // made on first use
        if (!hw_) hw_ = make_pwm_hardware(b);
        return *hw_;
    }

    std::unique_ptr<hw::pwm_provider> hw_;  // before the channels: it outlives them
    channel_list<pwm_ptr, config::pwm_config> list_;
    command_router commands_;
};

class pwm_kind final : public channel_group_kind {
public:
    std::string_view name() const override { return "pwm"; }
    status_noun status() const override { return {"PWM output", 3, false}; }
    std::unique_ptr<channel_group> make(channel_services& s,
                                        const config::piogate_config& cfg) const override {
        return std::make_unique<pwm_group>(s, cfg);
    }
    void entities(const config::piogate_config& cfg, std::vector<kind_entity>& out) const override {
        for (const auto& p : cfg.pwm) {
            auto o = pwm_entity(cfg.mqtt.topic_prefix, p);
            out.push_back({o.component, "pwm_" + p.id, "pwm/" + p.id, std::move(o.payload)});
        }
    }
};

}  // namespace

const channel_group_kind& kinds::pwm_output_kind() {
    static const pwm_kind kind;
    return kind;
}

}  // namespace piogate::app
