#include "hw/i2c_bus.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <array>
#include <cstdio>

namespace piogate::hw {

std::string hex(unsigned value, int digits) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%0*X", digits, value);
    return buf;
}

util::error describe(const i2c_bus& bus, std::uint8_t address, int reg, const std::string& what,
                     const util::error& cause) {
    std::string where = bus.name() + " " + hex(address);
    if (reg >= 0) where += " reg " + hex(static_cast<unsigned>(reg));
    return {cause.code, where + ": " + what + ": " + cause.message};
}

util::result<void> read_registers(i2c_bus& bus, std::uint8_t address, std::uint8_t reg,
                                  std::span<std::uint8_t> out) {
    const std::array<std::uint8_t, 1> pointer{reg};
    return bus.write_read(address, pointer, out);
}

util::result<void> write_register(i2c_bus& bus, std::uint8_t address, std::uint8_t reg,
                                  std::uint8_t value) {
    const std::array<std::uint8_t, 2> bytes{reg, value};
    return bus.write(address, bytes);
}

}  // namespace piogate::hw
