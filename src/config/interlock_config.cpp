#include "config/interlock_config.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <algorithm>

namespace piogate::config {
namespace {

// Two members that would both be ON in `state` (initial or failsafe): refused.
void check_one_on(const interlock_config& g, const std::vector<entry_facts>& channels,
                  const char* key, bool switch_states::*state) {
    const std::string* first = nullptr;
    for (const auto& id : g.actuators) {
        const auto* a = find_switchable(channels, id);
        if (!((*a->switchable).*state)) continue;
        if (first) {
            throw config_error(
                child_path(g.path, "actuators"),
                "actuators \"" + *first + "\" and \"" + id + "\" both have \"" + key +
                    "\": \"ON\"; at most one actuator of an interlock group may be ON");
        }
        first = &id;
    }
}

}  // namespace

std::vector<interlock_config> read_interlock_configs(object_reader& parent,
                                                     const std::vector<entry_facts>& channels) {
    std::vector<interlock_config> out;
    parent.for_each("interlocks", [&](const json& j, const std::string& path) {
        object_reader r(j, path);
        interlock_config g;
        g.path = path;
        const json* list = r.get_child("actuators");
        const std::string list_path = child_path(path, "actuators");
        if (!list) r.fail("actuators", "missing (a list of at least two actuator ids)");
        if (!list->is_array()) {
            throw config_error(list_path, std::string("must be an array of actuator ids, not ") +
                                              type_name(*list));
        }
        for (std::size_t i = 0; i < list->size(); ++i) {
            const json& v = (*list)[i];
            const std::string at = child_path(list_path, i);
            if (!v.is_string()) {
                throw config_error(
                    at, std::string("must be an actuator id (a string), not ") + type_name(v));
            }
            const auto id = v.get<std::string>();
            if (!find_switchable(channels, id))
                throw config_error(at, "unknown actuator \"" + id + "\"");
            if (std::find(g.actuators.begin(), g.actuators.end(), id) != g.actuators.end()) {
                throw config_error(at, "actuator \"" + id + "\" is listed twice");
            }
            g.actuators.push_back(id);
        }
        if (g.actuators.size() < 2) {
            throw config_error(list_path, "an interlock group needs at least two actuators");
        }
        g.dead_time = std::chrono::milliseconds(r.get_int("dead_time_ms", 0, 60000, 0));
        r.finish();
        check_one_on(g, channels, "initial", &switch_states::initial);
        check_one_on(g, channels, "failsafe", &switch_states::failsafe);
        out.push_back(std::move(g));
    });
    return out;
}

}  // namespace piogate::config
