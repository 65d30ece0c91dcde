// Local rules, pure: input levels and sensor readings in, actuator actions out (see
// config/rule_config.hpp). Nothing here touches a line, a timer or the broker; the gateway
// feeds it on the event loop and applies the actions like commands (interlocks included).
//
// Rules act on changes, not continuously: follow/invert act on every level the input reports,
// toggle and on_for on a press (the input going ON), a threshold rule when its decision changes
// (the value falls below low: ON; rises above high: OFF; in between: keeps the last decision).
// A command from MQTT in between is not undone until the rule's next change. A rule with
// "when": "offline" ignores events while the broker is reachable and forgets its threshold
// decision, so that the first reading after the broker went away decides afresh.
//
// Thread: any, one at a time. Throws nothing beyond std::bad_alloc.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "config/rule_config.hpp"

namespace piogate::app::rules {

struct action {
    enum class kind_t { on, off, toggle } kind = kind_t::off;
    std::string actuator;
    std::optional<std::chrono::milliseconds> pulse;  // on_for: back OFF after this
    std::string rule;                                // the rule's JSON path, for the log
    std::string why;  // "input button ON", "room temperature 18.5 < 19"

    bool operator==(const action&) const = default;
};

class rule_engine {
public:
    explicit rule_engine(std::vector<config::rule_config> rules = {});

    // Input `id` now reports `level` (logical, after active_low); `online`: broker reachable.
    std::vector<action> input_changed(const std::string& id, bool level, bool online);
    // Sensor `id` read these quantities.
    std::vector<action> reading(const std::string& id,
                                const std::vector<std::pair<std::string, double>>& values,
                                bool online);

    const std::vector<config::rule_config>& rules() const { return rules_; }
    bool uses_sensor(const std::string& id) const;

private:
    std::vector<config::rule_config> rules_;
    std::vector<std::optional<bool>> decided_;  // per rule: a threshold's last decision
};

}  // namespace piogate::app::rules
