// The gateway's local rules: feeds the rule engine from the listed binary sources (GPIO inputs,
// or any kind whose channels play that role: channel_roles.hpp) and the sensors' filtered
// readings (channel_host::on_reading, before the deadband; no JSON is parsed), and applies its
// actions to the switchable channels (GPIO outputs, ...) like commands (interlocks checked,
// state published).
#include <cmath>
// SPDX-License-Identifier: Apache-2.0
#include "app/gateway_impl.hpp"
#include "log/log.hpp"

namespace piogate::app {
namespace {

const log::logger rules_log("rules");

}  // namespace

void gateway::impl::wire_rules() {
    for (auto* c : channels) {
        auto* source = c->as_binary_source();
        if (!source) continue;
        source->on_level_change([this, id = c->id()](bool level) {
            apply_rule_actions(rules.input_changed(id, level, client->is_connected()));
        });
    }
}

switchable* gateway::impl::find_switchable(const std::string& id) const {
    for (auto* c : channels) {
        if (auto* s = c->as_switchable(); s && c->id() == id) return s;
    }
    return nullptr;
}

void gateway::impl::on_reading(const std::string& id, const hw::reading& r) {
    if (rules.rules().empty() || !rules.uses_sensor(id)) return;
    std::vector<std::pair<std::string, double>> values;
    values.reserve(r.size());
    for (const auto& m : r) {
        if (m.name != "ts" && std::isfinite(m.value)) values.emplace_back(m.name, m.value);
    }
    apply_rule_actions(rules.reading(id, values, client->is_connected()));
}

void gateway::impl::apply_rule_actions(const std::vector<rules::action>& actions) {
    for (const auto& a : actions) {
        auto* found = find_switchable(a.actuator);
        if (!found) continue;  // left out after a failed reload
        auto& ch = *found;
        const bool target = a.kind == rules::action::kind_t::toggle
                                ? !ch.state()
                                : a.kind == rules::action::kind_t::on;
        if (!a.pulse && target == ch.state()) continue;
        rules_log.info(
            "rule " + a.rule + ": " + a.actuator + (target ? " ON" : " OFF") + " (" + a.why + ")",
            {{"PIOGATE_CHANNEL", a.actuator}});
        ch.switch_to(target, a.pulse);  // refusals are logged and published by the channel
    }
}

}  // namespace piogate::app
