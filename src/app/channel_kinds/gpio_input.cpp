// GPIO inputs ("inputs" in the config): one input_channel per entry (gpio_channels.hpp), levels
// on PREFIX/inputs/ID; a Home Assistant binary_sensor each. An input claims its GPIO line and is
// a binary source a rule's "input" may name. A channel on the same line with the same line
// settings is kept across a reload (its other settings updated); any other is released and
// requested again ("line settings changed").
// SPDX-License-Identifier: Apache-2.0
#include "app/channel_kinds/gpio_keys.hpp"
#include "app/channel_kinds/registry.hpp"
#include "app/channel_list.hpp"
#include "app/gpio_channels.hpp"
#include "config/gpio_config.hpp"
#include "config/homeassistant_config.hpp"

namespace piogate::app {
namespace {

const log::logger reload_log("reload");

using input_ptr = std::unique_ptr<input_channel>;
using config::input_config;

class input_kind final : public entries_channel_kind<input_config> {
public:
    std::string_view name() const override { return "input"; }
    status_noun status() const override { return {"input", 1, true}; }
    const char* section() const override { return "inputs"; }

    std::unique_ptr<channel_group> make(channel_services& s,
                                        const config::piogate_config& cfg) const override {
        return std::make_unique<list_group<input_ptr, input_config>>(
            reconcile_rules<input_ptr, input_config>{
                "input", "line settings changed",
                [](const input_ptr& ch, const input_config& c) {
                    return ch->same_line_settings(c);
                },
                [](const input_ptr& ch, const input_config& c) { ch->update(c); }, nullptr,
                [&s](const input_config& c) {
                    return std::make_unique<input_channel>(s.host, c, s.hardware.gpio());
                }},
            reload_log, s.started, cfg);
    }

    void entities(const config::piogate_config& cfg, std::vector<kind_entity>& out) const override {
        for (const auto& in : cfg.entries<input_config>()) {
            kind_entity e{"binary_sensor", in.id, "input/" + in.id, nlohmann::json::object()};
            e.payload["name"] = in.id;
            e.payload["state_topic"] = cfg.mqtt.topic_prefix + "/inputs/" + in.id;
            e.payload["payload_on"] = "ON";
            e.payload["payload_off"] = "OFF";
            if (!in.device_class.empty()) e.payload["device_class"] = in.device_class;
            out.push_back(std::move(e));
        }
    }

protected:
    input_config read_entry(config::object_reader& r,
                            const std::vector<input_config>& before) const override {
        input_config c;
        c.id = read_unique_id(r, before, "input");
        read_gpio_line(r, c);
        const std::vector<std::string> edges{"both", "rising", "falling"};
        c.edges = edges[r.get_choice("edges", edges, 0)];
        c.bias = read_gpio_bias(r);
        c.active_low = r.get_bool("active_low", false);
        c.debounce = std::chrono::milliseconds(r.get_int("debounce_ms", 0, 60000, 20));
        const auto& classes = config::binary_sensor_device_classes();
        const std::size_t dc = r.get_choice("device_class", classes, classes.size());  // absent
        if (dc < classes.size()) c.device_class = classes[dc];
        return c;
    }
    void facts_of(const input_config& c, config::entry_facts& f) const override {
        f.line = config::line_claim{c.chip, c.line};
        f.binary_source = true;
    }
};

}  // namespace

const channel_group_kind& kinds::gpio_input_kind() {
    static const input_kind kind;
    return kind;
}

}  // namespace piogate::app
