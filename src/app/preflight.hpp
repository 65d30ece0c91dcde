// Checks of a parsed configuration against the machine it will run on, beyond what the JSON
// alone can tell:
//   - the MQTT password file and TLS files are regular, readable and small, and the MQTT client
//     accepts them (preflight_mqtt);
//   - GPIO lines resolve to distinct (chip, offset) pairs on the board's chips, and exist
//     there, offsets in range (preflight_gpio);
//   - sensors' I2C buses exist on the simulated board;
//   - the buffer file and state files are piogate's own (each channel kind checks its own:
//     channel_group_kind::preflight), in directories this process may write
//     (preflight_paths).
//
// `piogate --check-config`, start-up and reload all run this after config::load_config, so
// whatever start-up would refuse, the check refuses too, with the same message and exit 2.
//
// Thread: any; opens no device for writing and changes nothing on disk.
// Errors: throws config::config_error naming the config file (when it came from one) and the
// JSON path (exit code 2 in main).
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include "config/config.hpp"

namespace piogate::app {

void preflight(const config::piogate_config& config);

}  // namespace piogate::app
