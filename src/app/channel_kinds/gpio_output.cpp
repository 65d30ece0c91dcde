// GPIO outputs ("actuators" in the config): one actuator_channel per entry (gpio_channels.hpp),
// commands on PREFIX/actuators/ID/set, state on .../state; a Home Assistant switch each. An
// actuator claims its GPIO line, is switchable (a rule's "actuator" and an interlock group may
// name it) and, with "initial": "restore", writes its state file. A channel on the same line
// with the same line settings is kept across a reload (its other settings updated); any other
// goes to its failsafe state and is released before anything is requested again ("line
// settings changed").
// SPDX-License-Identifier: Apache-2.0
#include "app/actuator_state_file.hpp"
#include "app/channel_kinds/gpio_keys.hpp"
#include "app/channel_kinds/registry.hpp"
#include "app/channel_list.hpp"
#include "app/command_router.hpp"
#include "app/gpio_channels.hpp"
#include "config/gpio_config.hpp"

namespace piogate::app {
namespace {

const log::logger reload_log("reload");

using actuator_ptr = std::unique_ptr<actuator_channel>;
using config::actuator_config;

class actuator_group final : public list_group<actuator_ptr, actuator_config> {
public:
    actuator_group(channel_services& s, const config::piogate_config& cfg)
        : list_group({"actuator", "line settings changed",
                      [](const actuator_ptr& ch, const actuator_config& c) {
                          return ch->same_line_settings(c);
                      },
                      [](const actuator_ptr& ch, const actuator_config& c) { ch->update(c); },
                      [](const actuator_ptr& ch, bool still_listed) {
                          ch->apply_failsafe(still_listed ? "its line settings changed"
                                                          : "removed from the configuration");
                      },
                      [&s](const actuator_config& c) {
                          return std::make_unique<actuator_channel>(
                              s.time, s.host, c, s.hardware.gpio(), s.interlock, s.states);
                      }},
                     reload_log, s.started, cfg),
          commands_(s.time, "actuator", [this](const std::string& id, const mqtt::message& m) {
              auto* ch = find(id);
              if (ch) ch->command(m.topic, m.payload, m.retain);
              return ch != nullptr;
          }) {}
    void subscribe(mqtt_link& link, const std::string& prefix) override {
        commands_.subscribe(link, prefix + "/actuators/+/set");
    }

private:
    command_router commands_;
};

class actuator_kind final : public entries_channel_kind<actuator_config> {
public:
    std::string_view name() const override { return "actuator"; }
    status_noun status() const override { return {"actuator", 2, true}; }
    const char* section() const override { return "actuators"; }

    std::unique_ptr<channel_group> make(channel_services& s,
                                        const config::piogate_config& cfg) const override {
        return std::make_unique<actuator_group>(s, cfg);
    }

    void entities(const config::piogate_config& cfg, std::vector<kind_entity>& out) const override {
        const std::string& prefix = cfg.mqtt.topic_prefix;
        for (const auto& a : cfg.entries<actuator_config>()) {
            kind_entity e{"switch", a.id, "actuator/" + a.id, nlohmann::json::object()};
            e.payload["name"] = a.id;
            e.payload["command_topic"] = prefix + "/actuators/" + a.id + "/set";
            e.payload["state_topic"] = prefix + "/actuators/" + a.id + "/state";
            e.payload["payload_on"] = "ON";
            e.payload["payload_off"] = "OFF";
            e.payload["state_on"] = "ON";
            e.payload["state_off"] = "OFF";
            out.push_back(std::move(e));
        }
    }

    // A state file of "initial": "restore" that is not piogate's is never overwritten.
    void preflight(const config::piogate_config& cfg) const override {
        check_actuator_state_files(cfg.entries<actuator_config>());
    }

protected:
    actuator_config read_entry(config::object_reader& r,
                               const std::vector<actuator_config>& before) const override {
        actuator_config c;
        c.id = read_unique_id(r, before, "actuator");
        read_gpio_line(r, c);
        c.active_low = r.get_bool("active_low", false);
        const std::vector<std::string> drives{"push_pull", "open_drain", "open_source"};
        c.drive = drives[r.get_choice("drive", drives, 0)];
        const auto initial = r.get_choice("initial", {"OFF", "ON", "restore"}, 0);
        c.initial = initial == 1;
        c.restore = initial == 2;
        c.failsafe = read_on_off(r, "failsafe", c.initial);
        c.failsafe_after = std::chrono::milliseconds(
            static_cast<std::int64_t>(r.get_number("failsafe_after_s", 0, 86400 * 7, 0) * 1000));
        c.accept_retained = r.get_bool("accept_retained", false);
        return c;
    }
    void facts_of(const actuator_config& c, config::entry_facts& f) const override {
        f.line = config::line_claim{c.chip, c.line};
        f.switchable = config::switch_states{c.initial, c.failsafe};
        if (c.restore) f.files.push_back({"initial", default_actuator_state_path(c.id)});
    }
};

}  // namespace

const channel_group_kind& kinds::gpio_output_kind() {
    static const actuator_kind kind;
    return kind;
}

}  // namespace piogate::app
