#include "app/rules/interlock.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <algorithm>

namespace piogate::app::rules {
namespace {

bool member(const config::interlock_config& g, const std::string& id) {
    return std::find(g.actuators.begin(), g.actuators.end(), id) != g.actuators.end();
}

}  // namespace

interlock::interlock(std::vector<config::interlock_config> groups) : groups_(std::move(groups)) {}

bool interlock::guards(const std::string& id) const {
    return std::any_of(groups_.begin(), groups_.end(),
                       [&](const auto& g) { return member(g, id); });
}

interlock::decision interlock::check(const std::string& id, bool on, time_point now) const {
    if (!on) return {};
    decision wait_for;  // the longest dead time still running, reported when nothing else refuses
    for (const auto& g : groups_) {
        if (!member(g, id)) continue;
        for (const auto& other : g.actuators) {
            if (other == id) continue;
            if (auto it = on_.find(other); it != on_.end() && it->second) {
                return {false, std::chrono::milliseconds(0),
                        "interlock: \"" + other + "\" is ON (switch it OFF first)"};
            }
            auto off = off_at_.find(other);
            if (off == off_at_.end() || g.dead_time.count() <= 0) continue;
            const auto until = off->second + g.dead_time;
            if (until <= now) continue;
            const auto left = std::chrono::ceil<std::chrono::milliseconds>(until - now);
            if (left > wait_for.wait) {
                const auto ago = std::chrono::floor<std::chrono::milliseconds>(now - off->second);
                wait_for = {false, left,
                            "interlock dead time: \"" + other + "\" went OFF " +
                                std::to_string(ago.count()) + " ms ago; \"" + id +
                                "\" may switch ON in " + std::to_string(left.count()) + " ms"};
            }
        }
    }
    return wait_for;
}

void interlock::changed(const std::string& id, bool on, time_point now) {
    bool& state = on_[id];
    if (state && !on) off_at_[id] = now;
    state = on;
}

std::vector<std::string> interlock::excess_on() const {
    std::vector<std::string> out;
    for (const auto& g : groups_) {
        bool seen = false;
        for (const auto& id : g.actuators) {
            auto it = on_.find(id);
            if (it == on_.end() || !it->second) continue;
            if (seen && std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
            seen = true;
        }
    }
    return out;
}

}  // namespace piogate::app::rules
