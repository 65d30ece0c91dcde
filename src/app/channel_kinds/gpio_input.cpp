// GPIO inputs ("inputs" in the config, config/gpio_config.cpp): one input_channel per entry
// (gpio_channels.hpp), levels on PREFIX/inputs/ID; a Home Assistant binary_sensor each.
// A channel on the same line with the same line settings is kept across a reload (its other
// settings updated); any other is released and requested again ("line settings changed").
// SPDX-License-Identifier: Apache-2.0
#include "app/channel_kinds/registry.hpp"
#include "app/channel_list.hpp"
#include "app/gpio_channels.hpp"

namespace piogate::app {
namespace {

const log::logger reload_log("reload");

using input_ptr = std::unique_ptr<input_channel>;

class input_group final : public channel_group {
public:
    input_group(channel_services& s, const config::piogate_config& cfg)
        : list_({"input", "line settings changed",
                 [](const input_ptr& ch, const config::input_config& c) {
                     return ch->same_line_settings(c);
                 },
                 [](const input_ptr& ch, const config::input_config& c) { ch->update(c); }, nullptr,
                 [&s](const config::input_config& c) {
                     return std::make_unique<input_channel>(s.host, c, s.hardware.gpio());
                 }},
                reload_log, s.started) {
        list_.build(cfg.inputs);
    }
    void release_unkept(const config::piogate_config& next,
                        std::vector<std::string>& changes) override {
        list_.release_unkept(next.inputs, changes);
    }
    void make_missing(const config::piogate_config& next,
                      std::vector<std::string>& changes) override {
        list_.make_missing(next.inputs, changes);
    }
    void list(std::vector<channel*>& out) const override { list_.list(out); }

private:
    channel_list<input_ptr, config::input_config> list_;
};

class input_kind final : public channel_group_kind {
public:
    std::string_view name() const override { return "input"; }
    status_noun status() const override { return {"input", 1, true}; }
    std::unique_ptr<channel_group> make(channel_services& s,
                                        const config::piogate_config& cfg) const override {
        return std::make_unique<input_group>(s, cfg);
    }
    void entities(const config::piogate_config& cfg, std::vector<kind_entity>& out) const override {
        for (const auto& in : cfg.inputs) {
            kind_entity e{"binary_sensor", in.id, "input/" + in.id, nlohmann::json::object()};
            e.payload["name"] = in.id;
            e.payload["state_topic"] = cfg.mqtt.topic_prefix + "/inputs/" + in.id;
            e.payload["payload_on"] = "ON";
            e.payload["payload_off"] = "OFF";
            if (!in.device_class.empty()) e.payload["device_class"] = in.device_class;
            out.push_back(std::move(e));
        }
    }
};

}  // namespace

const channel_group_kind& kinds::gpio_input_kind() {
    static const input_kind kind;
    return kind;
}

}  // namespace piogate::app
