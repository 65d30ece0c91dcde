#include "hw/sensors/word_register.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <array>

namespace piogate::hw {

util::result<std::uint16_t> read_word(i2c_bus& bus, std::uint8_t address, std::uint8_t reg) {
    std::array<std::uint8_t, 2> bytes{};
    if (auto r = read_registers(bus, address, reg, bytes); !r) return r.err();
    return static_cast<std::uint16_t>(bytes[0] << 8 | bytes[1]);
}

util::result<void> write_word(i2c_bus& bus, std::uint8_t address, std::uint8_t reg,
                              std::uint16_t value) {
    const std::array<std::uint8_t, 3> bytes{reg, static_cast<std::uint8_t>(value >> 8),
                                            static_cast<std::uint8_t>(value & 0xFF)};
    return bus.write(address, bytes);
}

}  // namespace piogate::hw
