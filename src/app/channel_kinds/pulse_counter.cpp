// Pulse counters ("counters" in the config): one counter_channel per entry
// (counter_channel.hpp), total and rate on PREFIX/counters/ID, the total kept in its state file
// (default $STATE_DIRECTORY/counter-ID.json); two Home Assistant sensors each
// (discovery_outputs.hpp). A counter claims its GPIO line. A counter whose settings are all the
// same keeps counting across a reload; any other is saved and released (its destructor), and
// made again from its state file ("restarted").
// SPDX-License-Identifier: Apache-2.0
#include <map>

#include "app/channel_kinds/gpio_keys.hpp"
#include "app/channel_kinds/registry.hpp"
#include "app/channel_list.hpp"
#include "app/counter_channel.hpp"
#include "app/counter_store.hpp"
#include "app/discovery_outputs.hpp"
#include "config/counter_config.hpp"
#include "config/state_directory.hpp"

namespace piogate::app {
namespace {

const log::logger app_log("app");

using counter_ptr = std::unique_ptr<counter_channel>;
using config::counter_config;

// The Home Assistant device class that fits a unit (HA refuses others).
std::string class_for_unit(const std::string& unit) {
    if (unit == "Wh" || unit == "kWh" || unit == "MWh") return "energy";
    if (unit == "L" || unit == "m³" || unit == "gal" || unit == "ft³") return "water";
    return "";
}

class counter_kind final : public entries_channel_kind<counter_config> {
public:
    std::string_view name() const override { return "counter"; }
    status_noun status() const override { return {"counter", 4, false}; }
    const char* section() const override { return "counters"; }

    std::unique_ptr<channel_group> make(channel_services& s,
                                        const config::piogate_config& cfg) const override {
        return std::make_unique<list_group<counter_ptr, counter_config>>(
            reconcile_rules<counter_ptr, counter_config>{
                "counter", "restarted",
                [](const counter_ptr& ch, const counter_config& c) {
                    return detail::same_but_path(ch->config(), c);
                },
                nullptr, nullptr,
                [&s](const counter_config& c) {
                    return std::make_unique<counter_channel>(s.time, s.host, c, s.hardware.gpio(),
                                                             s.states);
                }},
            app_log, s.started, cfg);
    }

    void entities(const config::piogate_config& cfg, std::vector<kind_entity>& out) const override {
        for (const auto& c : cfg.entries<counter_config>()) {
            for (auto& o : counter_entities(cfg.mqtt.topic_prefix, c)) {
                out.push_back({o.component, "counter_" + c.id + o.suffix,
                               "counter/" + c.id + o.suffix, std::move(o.payload)});
            }
        }
    }

    // A state file that is not piogate's counter file is never overwritten.
    void preflight(const config::piogate_config& cfg) const override {
        check_counter_state_files(cfg.entries<counter_config>());
    }

protected:
    counter_config read_entry(config::object_reader& r,
                              const std::vector<counter_config>& before) const override {
        counter_config c;
        c.id = read_unique_id(r, before, "counter");
        read_gpio_line(r, c);
        const std::vector<std::string> edges{"falling", "rising"};
        c.edge = edges[r.get_choice("edge", edges, 0)];
        c.bias = read_gpio_bias(r);
        c.active_low = r.get_bool("active_low", false);
        c.debounce = std::chrono::milliseconds(r.get_int("debounce_ms", 0, 1000, 5));
        c.min_interval = std::chrono::milliseconds(r.get_int("min_interval_ms", 0, 3'600'000, 0));
        c.multiplier = r.get_number("multiplier", 1e-9, 1e9, 1);
        c.unit = r.get_string("unit", std::string());
        if (c.unit.size() > 16) r.fail("unit", "must be at most 16 bytes");
        const std::vector<std::string> classes{"energy", "water", "gas", "none"};
        const std::string fallback = class_for_unit(c.unit);
        std::size_t dc = r.get_choice("device_class", classes,
                                      fallback.empty() ? 3 : (fallback == "energy" ? 0 : 1));
        c.device_class = dc == 3 ? "" : classes[dc];
        if (!c.device_class.empty() && c.unit.empty()) {
            r.fail("device_class",
                   "needs a \"unit\" (Home Assistant requires one for " + c.device_class + ")");
        }
        c.interval = std::chrono::seconds(r.get_int("interval_s", 1, 86400, 10));
        c.rate_window = std::chrono::seconds(r.get_int("rate_window_s", 1, 86400, 60));
        const std::vector<std::string> pers{"h", "min"};
        c.rate_per = pers[r.get_choice("rate_per", pers, 0)];
        c.persist_every = std::chrono::seconds(r.get_int("persist_every_s", 1, 86400, 60));
        c.state_file =
            r.get_string("state_file", config::state_file_path("counter-" + c.id + ".json"));
        if (c.state_file.empty() || c.state_file.front() != '/')
            r.fail("state_file", "must be an absolute path");
        return c;
    }
    // Two counters never share a state file.
    void check_entries(const std::vector<counter_config>& entries) const override {
        std::map<std::string, std::string> files;
        for (const auto& c : entries) {
            if (auto [it, fresh] = files.emplace(c.state_file, c.path); !fresh) {
                throw config::config_error(
                    c.path + "/state_file",
                    "\"" + c.state_file + "\" is already the state file of " + it->second);
            }
        }
    }
    void facts_of(const counter_config& c, config::entry_facts& f) const override {
        f.line = config::line_claim{c.chip, c.line};
        f.files.push_back({"state_file", c.state_file});
    }
};

}  // namespace

const channel_group_kind& kinds::pulse_counter_kind() {
    static const counter_kind kind;
    return kind;
}

}  // namespace piogate::app
