#include "config/gpio_config.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <map>
#include <set>

#include "config/homeassistant_config.hpp"

namespace piogate::config {
namespace {

std::string read_id(object_reader& r, std::set<std::string>& ids, const char* what) {
    std::string id = r.get_id("id");
    if (!ids.insert(id).second) r.fail("id", std::string("duplicate ") + what + " id \"" + id + "\"");
    return id;
}

bool read_state(object_reader& r, const char* key, bool fallback) {
    return r.get_choice(key, {"OFF", "ON"}, fallback ? 1 : 0) == 1;
}

}  // namespace

std::vector<input_config> read_input_configs(object_reader& parent) {
    std::vector<input_config> out;
    std::set<std::string> ids;
    parent.for_each("inputs", [&](const json& j, const std::string& path) {
        object_reader r(j, path);
        input_config c;
        c.path = path;
        c.id = read_id(r, ids, "input");
        c.chip = r.get_string("chip", std::string());
        c.line = r.get_string("line");
        if (c.line.empty()) r.fail("line", "must not be empty (a line name like \"GPIO17\", or an offset)");
        const std::vector<std::string> edges{"both", "rising", "falling"};
        c.edges = edges[r.get_choice("edges", edges, 0)];
        const std::vector<std::string> biases{"as_is", "disabled", "pull_up", "pull_down"};
        c.bias = biases[r.get_choice("bias", biases, 0)];
        c.active_low = r.get_bool("active_low", false);
        c.debounce = std::chrono::milliseconds(r.get_int("debounce_ms", 0, 60000, 20));
        const auto& classes = binary_sensor_device_classes();
        const std::size_t dc = r.get_choice("device_class", classes, classes.size());  // absent
        if (dc < classes.size()) c.device_class = classes[dc];
        r.finish();
        out.push_back(std::move(c));
    });
    return out;
}

std::vector<actuator_config> read_actuator_configs(object_reader& parent) {
    std::vector<actuator_config> out;
    std::set<std::string> ids;
    parent.for_each("actuators", [&](const json& j, const std::string& path) {
        object_reader r(j, path);
        actuator_config c;
        c.path = path;
        c.id = read_id(r, ids, "actuator");
        c.chip = r.get_string("chip", std::string());
        c.line = r.get_string("line");
        if (c.line.empty()) r.fail("line", "must not be empty (a line name like \"GPIO17\", or an offset)");
        c.active_low = r.get_bool("active_low", false);
        const std::vector<std::string> drives{"push_pull", "open_drain", "open_source"};
        c.drive = drives[r.get_choice("drive", drives, 0)];
        const auto initial = r.get_choice("initial", {"OFF", "ON", "restore"}, 0);
        c.initial = initial == 1;
        c.restore = initial == 2;
        c.failsafe = read_state(r, "failsafe", c.initial);
        c.failsafe_after = std::chrono::milliseconds(
            static_cast<std::int64_t>(r.get_number("failsafe_after_s", 0, 86400 * 7, 0) * 1000));
        c.accept_retained = r.get_bool("accept_retained", false);
        r.finish();
        out.push_back(std::move(c));
    });
    return out;
}

void check_line_claims(const std::vector<input_config>& inputs,
                       const std::vector<actuator_config>& actuators) {
    std::map<std::pair<std::string, std::string>, std::string> claimed;
    auto claim = [&](const std::string& chip, const std::string& line, const std::string& path) {
        auto [it, fresh] = claimed.emplace(std::make_pair(chip, line), path);
        if (!fresh) {
            throw config_error(path + "/line", "line " + (chip.empty() ? "" : chip + ":") + line +
                                                   " is already claimed by " + it->second);
        }
    };
    for (const auto& i : inputs) claim(i.chip, i.line, i.path);
    for (const auto& a : actuators) claim(a.chip, a.line, a.path);
}

}  // namespace piogate::config
