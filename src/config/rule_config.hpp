// The "rules" section: local automations, declarative, no scripting. Each rule drives one
// actuator from one source:
//
//   {"input": "button", "actuator": "lamp", "action": "toggle"}        follow | invert | toggle |
//   on_for
//   {"input": "pir", "actuator": "light", "action": "on_for", "on_for_s": 60}
//   {"sensor": "room", "quantity": "temperature", "actuator": "heater",
//    "on_below": 19, "off_above": 21}                                   (or "on_above" +
//    "off_below")
//   ... "when": "offline"                                               only while the broker is
//   unreachable
//
// Validated against the other sections: "input" names a channel entry that is a binary source
// and "actuator" one that is switchable (of whatever kind: config/channel_kind.hpp), "sensor"
// a sensor, the quantity among what the sensor reports, hysteresis low below high, and one rule
// per actuator. Rules cannot form a cycle: their sources are inputs and sensors, which no rule
// drives, and a line cannot be both an input and an actuator (check_line_claims).
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <chrono>
#include <string>
#include <vector>

#include "config/channel_kind.hpp"
#include "config/json_reader.hpp"
#include "config/sensor_config.hpp"

namespace piogate::config {

struct rule_config {
    enum class action_t { follow, invert, toggle, on_for, threshold } action = action_t::follow;
    std::string input;     // the source: an input id, or
    std::string sensor;    // a sensor id with
    std::string quantity;  // one of its quantities
    std::string actuator;
    std::chrono::milliseconds on_for{0};  // action on_for
    // action threshold: ON below `low` and OFF above `high` (heating), or, with `on_above`,
    // ON above `high` and OFF below `low` (cooling); low < high.
    bool on_above = false;
    double low = 0;
    double high = 0;
    bool offline_only = false;  // "when": "offline"
    std::string path;

    bool operator==(const rule_config&) const = default;
};

// Throws config_error at the offending JSON path.
std::vector<rule_config> read_rule_configs(object_reader& parent,
                                           const std::vector<entry_facts>& channels,
                                           const std::vector<sensor_config>& sensors);

}  // namespace piogate::config
