// The kinds of channel the gateway runs: one table, in app/channel_kinds/registry.cpp.
//
// Contract of a kind (one file in app/channel_kinds/, see app/channel_group.hpp): it defines
// `const app::channel_group_kind& <name>_kind()` in namespace piogate::app::kinds, returning a
// static descriptor that
//   - names itself (the KIND of the reload's change lines: "input", "pwm", ...) and its noun
//     and place on the status line;
//   - reads its config section (config::entries_kind, through entries_channel_kind): its keys,
//     defaults and validation, and each entry's facts, which the config layer checks across
//     kinds: the GPIO line it claims (claimed once), the roles a rule or an interlock may name
//     it in (a binary source, a switchable output), the state files it writes (app::preflight
//     checks where); its entries are found in a config as cfg.entries<its struct>();
//   - makes its group: a channel per config entry (list_group in channel_list.hpp runs the
//     reload algorithm of channel_reconcile.hpp for it), with its rules for keeping, releasing
//     (failsafe) and making a channel on reload; a channel plays the roles its entry declares
//     through channel::as_binary_source() / as_switchable() (channel_roles.hpp), which is how
//     local rules and interlock reloads find it;
//   - subscribes to and routes its own commands (command_router.hpp), if it takes any;
//   - runs its own preflight checks (a state file that is not piogate's), if any;
//   - maps its entries to Home Assistant entities (discovery.cpp adds the common part).
// Sensors are one kind here, without a section reader of this sort: each sensor model is a
// kind of its own in app/sensor_kinds/ (registry.hpp there), read from "sensors".
// Adding a kind: its file here, and its one line in the table.
//
// Thread: the table is built on first use and read-only afterwards.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <string>
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

// Hands the kinds' config sections to the config loader (config::install_channel_kinds), in
// the table's order: call once before loading a config (main; the tests' main), with
// install_sensor_kinds().
void install_channel_kinds();

// `piogate --check-config`'s count of entries, kind by kind in the order of the status line:
// "2 sensors, 1 input, 2 actuators, 1 PWM output, 3 counters" (a kind the status line lists
// only when present is left out when the config has none).
std::string channel_counts(const config::piogate_config& cfg);

}  // namespace piogate::app
