// The quantities the drivers report (hw/sensor.hpp fixes names and units), each with the Home
// Assistant device class and unit that fit it; and small helpers the kind files share.
// Resolutions are the caller's (from its datasheet), in the quantity's unit.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <string>

#include "config/board_config.hpp"
#include "config/sensor_kind.hpp"

namespace piogate::app::kinds {

config::quantity_spec temperature(double resolution);                // °C
config::quantity_spec humidity(double resolution);                   // %RH (Home Assistant: %)
config::quantity_spec pressure(double resolution);                   // hPa
config::quantity_spec illuminance(double resolution);                // lx
config::quantity_spec voltage(std::string name, double resolution);  // V: "voltage", "voltage0"
config::quantity_spec current(double resolution);                    // A
config::quantity_spec power(double resolution);                      // W

// A quantity named and measured as the config says (the generic register sensor): Home
// Assistant's device class only where the name is one of its classes and it accepts the unit.
config::quantity_spec custom_quantity(std::string name, std::string unit, double resolution);

// A sim device entry's physical value, or `fallback` when the entry does not set it.
double sim_value(const config::sim_device_config& d, const char* key, double fallback);

}  // namespace piogate::app::kinds
