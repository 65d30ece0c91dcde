// Turns a validated sensor config entry into its driver, over the bus it names.
// Thread: construction only (no I/O); the driver's open()/measure() go to the bus's worker.
#pragma once

#include <memory>

#include "config/sensor_config.hpp"
#include "hw/i2c_bus.hpp"
#include "hw/sensor.hpp"

namespace piogate::app {

std::unique_ptr<hw::sensor> make_sensor(hw::i2c_bus& bus, const config::sensor_config& config);

}  // namespace piogate::app
