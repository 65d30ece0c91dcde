// PWM outputs ("pwm" in the config): one pwm_channel per entry (pwm_channel.hpp), commands on
// PREFIX/pwm/ID/set, state on .../state; a Home Assistant light or number each
// (discovery_outputs.hpp). A pwmchip channel is used by one entry only. Hardware: /sys/class/pwm on
// a Linux board; on the simulated board a simulated controller, pwmchip0 with 4 channels, whose
// writes are logged at debug level ("simulated pwmchip0/pwm1: ..."). A channel on the same hardware
// settings is kept across a reload (its other settings updated); any other goes to its failsafe
// duty and is released before anything is requested again ("hardware settings changed").
// SPDX-License-Identifier: Apache-2.0
#include <cstdio>

#include "app/channel_kinds/registry.hpp"
#include "app/channel_list.hpp"
#include "app/command_router.hpp"
#include "app/discovery_outputs.hpp"
#include "app/pwm_channel.hpp"
#include "config/pwm_config.hpp"
#include "hw/linux/sysfs_pwm.hpp"
#include "hw/sim/sim_pwm.hpp"

namespace piogate::app {
namespace {

const log::logger app_log("app");

using pwm_ptr = std::unique_ptr<pwm_channel>;
using config::pwm_config;

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

// The PWM controller, made on first use: a base of pwm_group listed before its channels'
// list_group, so it is made before the channels and destroyed after them.
class pwm_hardware {
public:
    hw::pwm_provider& get(board& b) {
        if (!hw_) hw_ = make_pwm_hardware(b);
        return *hw_;
    }

private:
    std::unique_ptr<hw::pwm_provider> hw_;
};

class pwm_group final : private pwm_hardware, public list_group<pwm_ptr, pwm_config> {
public:
    pwm_group(channel_services& s, const config::piogate_config& cfg)
        : list_group(
              {"pwm", "hardware settings changed",
               [](const pwm_ptr& p, const pwm_config& c) { return p->same_hardware_settings(c); },
               [](const pwm_ptr& p, const pwm_config& c) { p->update(c); },
               [](const pwm_ptr& p, bool still_listed) {
                   p->apply_failsafe(still_listed ? "its hardware settings changed"
                                                  : "removed from the configuration");
               },
               [hw = static_cast<pwm_hardware*>(this), &s](const pwm_config& c) {
                   return std::make_unique<pwm_channel>(s.time, s.host, c, hw->get(s.hardware));
               }},
              app_log, s.started, cfg),
          commands_(s.time, "pwm output", [this](const std::string& id, const mqtt::message& m) {
              auto* ch = find(id);
              if (ch) ch->command(m.topic, m.payload, m.retain);
              return ch != nullptr;
          }) {}
    void subscribe(mqtt_link& link, const std::string& prefix) override {
        commands_.subscribe(link, prefix + "/pwm/+/set");
    }

private:
    command_router commands_;
};

class pwm_kind final : public entries_channel_kind<pwm_config> {
public:
    std::string_view name() const override { return "pwm"; }
    status_noun status() const override { return {"PWM output", 3, false}; }
    const char* section() const override { return "pwm"; }

    std::unique_ptr<channel_group> make(channel_services& s,
                                        const config::piogate_config& cfg) const override {
        return std::make_unique<pwm_group>(s, cfg);
    }

    void entities(const config::piogate_config& cfg, std::vector<kind_entity>& out) const override {
        for (const auto& p : cfg.entries<pwm_config>()) {
            auto o = pwm_entity(cfg.mqtt.topic_prefix, p);
            out.push_back({o.component, "pwm_" + p.id, "pwm/" + p.id, std::move(o.payload)});
        }
    }

protected:
    pwm_config read_entry(config::object_reader& r,
                          const std::vector<pwm_config>& before) const override {
        pwm_config c;
        c.id = read_unique_id(r, before, "pwm");
        c.chip = static_cast<unsigned>(r.get_int("chip", 0, 1023, 0));
        c.channel = static_cast<unsigned>(r.get_int("channel", 0, 1023));
        for (const auto& b : before) {
            if (b.chip == c.chip && b.channel == c.channel) {
                r.fail("channel", "pwmchip" + std::to_string(c.chip) + " channel " +
                                      std::to_string(c.channel) + " is already used by " + b.path);
            }
        }
        c.frequency_hz = r.get_number("frequency_hz", 0.1, 100e6, 1000);
        c.inversed = r.get_choice("polarity", {"normal", "inversed"}, 0) == 1;
        c.initial = r.get_number("initial", 0, 100, 0);
        c.failsafe = r.get_number("failsafe", 0, 100, c.initial);
        c.failsafe_after = std::chrono::milliseconds(
            static_cast<std::int64_t>(r.get_number("failsafe_after_s", 0, 86400 * 7, 0) * 1000));
        c.ramp = std::chrono::milliseconds(r.get_int("ramp_ms", 0, 3'600'000, 0));
        c.accept_retained = r.get_bool("accept_retained", false);
        const std::vector<std::string> entities{"light", "number"};
        c.homeassistant = entities[r.get_choice("homeassistant", entities, 0)];
        return c;
    }
};

}  // namespace

const channel_group_kind& kinds::pwm_output_kind() {
    static const pwm_kind kind;
    return kind;
}

}  // namespace piogate::app
