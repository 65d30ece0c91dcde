// The gateway's local rules: feeds the rule engine from the inputs and the sensors' filtered
// readings (channel_host::on_reading, before the deadband; no JSON is parsed), and
// applies its actions to the actuators like commands (interlocks checked, state published).
#include <algorithm>
#include <cmath>
// SPDX-License-Identifier: Apache-2.0
#include "app/gateway_impl.hpp"
#include "log/log.hpp"

namespace piogate::app {
namespace {

const log::logger rules_log("rules");

}  // namespace

void gateway::impl::wire_rules() {
    for (auto& in : inputs) {
        const std::string id = in->config().id;
        in->on_change = [this, id](bool level) {
            apply_rule_actions(rules.input_changed(id, level, client->is_connected()));
        };
    }
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
        auto it = std::find_if(actuators.begin(), actuators.end(),
                               [&](const auto& ch) { return ch->config().id == a.actuator; });
        if (it == actuators.end()) continue;  // left out after a failed reload
        auto& ch = **it;
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
