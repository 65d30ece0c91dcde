// GPIO outputs ("actuators" in the config, config/gpio_config.cpp): one actuator_channel per
// entry (gpio_channels.hpp), commands on PREFIX/actuators/ID/set, state on .../state; a Home
// Assistant switch each. A channel on the same line with the same line settings is kept across
// a reload (its other settings updated); any other goes to its failsafe state and is released
// before anything is requested again ("line settings changed").
// SPDX-License-Identifier: Apache-2.0
#include "app/channel_kinds/registry.hpp"
#include "app/channel_list.hpp"
#include "app/command_router.hpp"
#include "app/gpio_channels.hpp"

namespace piogate::app {
namespace {

const log::logger reload_log("reload");

using actuator_ptr = std::unique_ptr<actuator_channel>;

class actuator_group final : public channel_group {
public:
    actuator_group(channel_services& s, const config::piogate_config& cfg)
        : list_({"actuator", "line settings changed",
                 [](const actuator_ptr& ch, const config::actuator_config& c) {
                     return ch->same_line_settings(c);
                 },
                 [](const actuator_ptr& ch, const config::actuator_config& c) { ch->update(c); },
                 [](const actuator_ptr& ch, bool still_listed) {
                     ch->apply_failsafe(still_listed ? "its line settings changed"
                                                     : "removed from the configuration");
                 },
                 [&s](const config::actuator_config& c) {
                     return std::make_unique<actuator_channel>(
                         s.io, s.time, s.host, c, s.hardware.gpio(), s.interlock, s.states);
                 }},
                reload_log, s.started),
          commands_(s.time, "actuator", [this](const std::string& id, const mqtt::message& m) {
              auto* ch = list_.find(id);
              if (ch) ch->command(m.topic, m.payload, m.retain);
              return ch != nullptr;
          }) {
        list_.build(cfg.actuators);
    }
    void release_unkept(const config::piogate_config& next,
                        std::vector<std::string>& changes) override {
        list_.release_unkept(next.actuators, changes);
    }
    void make_missing(const config::piogate_config& next,
                      std::vector<std::string>& changes) override {
        list_.make_missing(next.actuators, changes);
    }
    void subscribe(mqtt_link& link, const std::string& prefix) override {
        commands_.subscribe(link, prefix + "/actuators/+/set");
    }
    void list(std::vector<channel*>& out) const override { list_.list(out); }

private:
    channel_list<actuator_ptr, config::actuator_config> list_;
    command_router commands_;
};

class actuator_kind final : public channel_group_kind {
public:
    std::string_view name() const override { return "actuator"; }
    status_noun status() const override { return {"actuator", 2, true}; }
    std::unique_ptr<channel_group> make(channel_services& s,
                                        const config::piogate_config& cfg) const override {
        return std::make_unique<actuator_group>(s, cfg);
    }
    void entities(const config::piogate_config& cfg, std::vector<kind_entity>& out) const override {
        const std::string& prefix = cfg.mqtt.topic_prefix;
        for (const auto& a : cfg.actuators) {
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
};

}  // namespace

const channel_group_kind& kinds::gpio_output_kind() {
    static const actuator_kind kind;
    return kind;
}

}  // namespace piogate::app
