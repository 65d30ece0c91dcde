#include "hw/sensors/temperature_range.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <cstdio>

#include "hw/hw_error.hpp"
#include "hw/i2c_bus.hpp"

namespace piogate::hw {

util::result<void> check_temperature(const std::string& where, double celsius, unsigned raw,
                                     int raw_hex_digits, const char* chip, double min_celsius,
                                     double max_celsius) {
    if (celsius >= min_celsius && celsius <= max_celsius) return {};
    char value[32];
    std::snprintf(value, sizeof value, "%.2f", celsius);
    char range[64];
    std::snprintf(range, sizeof range, "%g..%g", min_celsius, max_celsius);
    return hw_fail(hw_errc::out_of_range, where + ": temperature " + value + " °C (raw " +
                                              hex(raw, raw_hex_digits) + ") is outside the " +
                                              chip + " range " + range + " °C");
}

}  // namespace piogate::hw
