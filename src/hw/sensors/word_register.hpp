// 16-bit register access for the "pointer byte, then MSB, LSB" chips (TI ADS1x15, INA219,
// TMP102, LM75, Microchip MCP9808): one register per transaction, big-endian, no
// auto-increment. Also the two's-complement helpers their temperature and ADC words need.
//
// Thread: blocks on the bus: call on the bus's I2C worker thread.
// Errors: the bus's own errors, which already name bus, address and register.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <cstdint>

#include "hw/i2c_bus.hpp"
#include "util/result.hpp"

namespace piogate::hw {

util::result<std::uint16_t> read_word(i2c_bus& bus, std::uint8_t address, std::uint8_t reg);
util::result<void> write_word(i2c_bus& bus, std::uint8_t address, std::uint8_t reg,
                              std::uint16_t value);

// The low `bits` bits of `raw` as a two's-complement number (1 <= bits <= 32).
constexpr std::int32_t sign_extend(std::uint32_t raw, int bits) {
    const std::uint64_t modulus = std::uint64_t{1} << bits;
    const auto value = static_cast<std::int64_t>(raw & (modulus - 1));
    const bool negative = (value >> (bits - 1)) & 1;
    return static_cast<std::int32_t>(negative ? value - static_cast<std::int64_t>(modulus) : value);
}

}  // namespace piogate::hw
