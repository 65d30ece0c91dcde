// Turns a validated sensor config entry into its driver, over the source its kind reads from
// on the board (app/sensor_kinds/: each kind builds its own).
// Thread: the event loop's; construction only (no I/O beyond opening the source); the
// driver's open()/measure() go to the worker the result names.
// Errors: throws std::runtime_error when the source cannot be had (a bus that cannot be
// opened, a bus the simulated board lacks).
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include "app/board.hpp"
#include "app/sensor_kind.hpp"
#include "config/sensor_config.hpp"

namespace piogate::app {

sensor_driver make_sensor(board& b, const config::sensor_config& config);

}  // namespace piogate::app
