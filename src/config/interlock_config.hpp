// The "interlocks" section: groups of actuators of which at most one may be ON at a time (a
// motor's up and down relays), with an optional dead time between one going OFF and another
// of the group going ON.
//
//   "interlocks": [{"actuators": ["up", "down"], "dead_time_ms": 500}]
//
// Validated against the channel entries a group may name (the switchable ones, of whatever
// kind: config/channel_kind.hpp): every id must name one, none twice in a group, a group has
// at least two, and no group may have two members with "initial": "ON" or two with
// "failsafe": "ON" (either would switch two of them on at once).
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <chrono>
#include <string>
#include <vector>

#include "config/channel_kind.hpp"
#include "config/json_reader.hpp"

namespace piogate::config {

struct interlock_config {
    std::vector<std::string> actuators;  // actuator ids, at least two
    std::chrono::milliseconds dead_time{0};
    std::string path;

    bool operator==(const interlock_config&) const = default;
};

// Throws config_error at the offending JSON path.
std::vector<interlock_config> read_interlock_configs(object_reader& parent,
                                                     const std::vector<entry_facts>& channels);

}  // namespace piogate::config
