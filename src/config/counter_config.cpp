#include "config/counter_config.hpp"
// SPDX-License-Identifier: Apache-2.0
#include "config/state_directory.hpp"

#include <cstdlib>
#include <map>
#include <set>

namespace piogate::config {
namespace {

std::string default_state_file(const std::string& id) {
    return state_file_path("counter-" + id + ".json");
}

// The Home Assistant device class that fits a unit (HA refuses others).
std::string class_for_unit(const std::string& unit) {
    if (unit == "Wh" || unit == "kWh" || unit == "MWh") return "energy";
    if (unit == "L" || unit == "m³" || unit == "gal" || unit == "ft³") return "water";
    return "";
}

}  // namespace

std::vector<counter_config> read_counter_configs(object_reader& parent) {
    std::vector<counter_config> out;
    std::set<std::string> ids;
    parent.for_each("counters", [&](const json& j, const std::string& path) {
        object_reader r(j, path);
        counter_config c;
        c.path = path;
        c.id = r.get_id("id");
        if (!ids.insert(c.id).second) r.fail("id", "duplicate counter id \"" + c.id + "\"");
        c.chip = r.get_string("chip", std::string());
        c.line = r.get_string("line");
        if (c.line.empty())
            r.fail("line", "must not be empty (a line name like \"GPIO17\", or an offset)");
        const std::vector<std::string> edges{"falling", "rising"};
        c.edge = edges[r.get_choice("edge", edges, 0)];
        const std::vector<std::string> biases{"as_is", "disabled", "pull_up", "pull_down"};
        c.bias = biases[r.get_choice("bias", biases, 0)];
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
        c.state_file = r.get_string("state_file", default_state_file(c.id));
        if (c.state_file.empty() || c.state_file.front() != '/')
            r.fail("state_file", "must be an absolute path");
        r.finish();
        out.push_back(std::move(c));
    });
    std::map<std::string, std::string> files;
    for (const auto& c : out) {
        if (auto [it, fresh] = files.emplace(c.state_file, c.path); !fresh) {
            throw config_error(
                c.path + "/state_file",
                "\"" + c.state_file + "\" is already the state file of " + it->second);
        }
    }
    return out;
}

void check_counter_lines(const std::vector<counter_config>& counters,
                         const std::vector<input_config>& inputs,
                         const std::vector<actuator_config>& actuators) {
    std::map<std::pair<std::string, std::string>, std::string> claimed;
    for (const auto& i : inputs) claimed.emplace(std::make_pair(i.chip, i.line), i.path);
    for (const auto& a : actuators) claimed.emplace(std::make_pair(a.chip, a.line), a.path);
    for (const auto& c : counters) {
        auto [it, fresh] = claimed.emplace(std::make_pair(c.chip, c.line), c.path);
        if (!fresh) {
            throw config_error(c.path + "/line", "line " + (c.chip.empty() ? "" : c.chip + ":") +
                                                     c.line + " is already claimed by " +
                                                     it->second);
        }
    }
}

}  // namespace piogate::config
