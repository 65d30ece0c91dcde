// The plausibility check shared by the humidity/temperature drivers: a converted temperature
// outside the chip's specified range means a garbled frame or a broken chip, not weather.
// Pure. Errors: hw_errc::out_of_range, e.g. "i2c-1 0x44 sht3x: temperature 130.02 °C
// (raw 0xFFFF) is outside the SHT3x range -40..125 °C".
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <string>

#include "util/result.hpp"

namespace piogate::hw {

util::result<void> check_temperature(const std::string& where, double celsius, unsigned raw,
                                     int raw_hex_digits, const char* chip, double min_celsius,
                                     double max_celsius);

}  // namespace piogate::hw
