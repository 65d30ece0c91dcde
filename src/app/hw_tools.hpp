// The user tools `piogate --list-gpio` and `piogate --scan-i2c BUS`: what a board has, printed
// like gpioinfo and i2cdetect. They run at start-up time, on the calling thread (blocking I/O
// is fine here: no event loop runs yet).
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <ostream>

#include "hw/gpio.hpp"
#include "hw/i2c_bus.hpp"

namespace piogate::app {

// Prints every chip and line: name, direction, active-low, and who holds it. Returns the
// number of chips.
int list_gpio(hw::gpio_provider& gpio, std::ostream& out);

// Tries every 7-bit address 0x03..0x77 as i2cdetect does (quick write; a one-byte read where
// EEPROMs live), then asks the drivers whose
// default addresses include each answering address whether their chip is there.
// Returns the number of addresses that answered.
int scan_i2c(hw::i2c_bus& bus, std::ostream& out);

}  // namespace piogate::app
