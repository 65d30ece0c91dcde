// The kinds of channel the gateway runs: one table, in app/channel_kinds/registry.cpp.
//
// Contract of a kind (one file in app/channel_kinds/, see app/channel_group.hpp): it defines
// `const app::channel_group_kind& <name>_kind()` in namespace piogate::app::kinds, returning a
// static descriptor that
//   - names itself (the KIND of the reload's change lines: "input", "pwm", ...);
//   - makes its group: a channel per config entry (channel_list.hpp runs the reload algorithm
//     of channel_reconcile.hpp for it), with its rules for keeping, releasing (failsafe) and
//     making a channel on reload;
//   - subscribes to and routes its own commands (command_router.hpp), if it takes any;
//   - maps its entries to Home Assistant entities (discovery.cpp adds the common part).
// Its config keys and their validation are the config layer's: one file per kind in
// src/config/ (gpio_config.cpp for inputs and actuators, pwm_config.cpp, counter_config.cpp)
// with its array in config::piogate_config; cross-checks (a GPIO line claimed twice) in
// config.cpp. Sensors are one kind here; each sensor model is a kind of its own in
// app/sensor_kinds/ (registry.hpp there).
// Adding a kind: its config file and array, its file here, and its one line in the table.
//
// Thread: the table is built on first use and read-only afterwards.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <vector>

#include "app/channel_group.hpp"

namespace piogate::app {

namespace kinds {
const channel_group_kind& gpio_input_kind();
const channel_group_kind& gpio_output_kind();
const channel_group_kind& sensor_channels_kind();
const channel_group_kind& pwm_output_kind();
const channel_group_kind& pulse_counter_kind();
}  // namespace kinds

// Every kind, once each, in the order the gateway builds, reloads, subscribes and lists them,
// which is the order of the announcements on connect: inputs, actuators, sensors, PWM outputs,
// counters.
const std::vector<const channel_group_kind*>& channel_group_kinds();

}  // namespace piogate::app
