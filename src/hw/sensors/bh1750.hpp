// ROHM BH1750FVI ambient light sensor (datasheet "BH1750FVI", 2011.11 Rev.D).
//
// Addresses: 0x23 (ADDR pin low, the usual GY-30/GY-302 breakout default) and 0x5C (ADDR high).
// The chip has no id and no registers, only one-byte opcodes and a 16-bit result.
// open(): Power On (0x01), the measurement-time register (MTreg, default 69: opcodes
//   0x40|MT[7:5] and 0x60|MT[4:0]), Power Down (0x00). Only an ACK proves a chip is there.
// attempt(): the first call sends Power On and a one-time measurement opcode (0x20
//   H-resolution, 0x21 H-resolution mode 2, 0x23 L-resolution) and answers again(the
//   datasheet's maximum measurement time, 180 ms for H modes, 24 ms for L, scaled by MTreg/69,
//   rounded up to ms); the next reads two bytes MSB first. Never sleeps (hw/sensor.hpp);
//   measure() is the same, sleeping in between. The chip returns to Power
//   Down by itself. "illuminance" in lx = count / 1.2 × 69/MTreg (÷ 2 more in H-resolution
//   mode 2). The chip has no status: read too early, it returns the previous result.
// Ranges: 0xFFFF is a saturated sensor (more light than the range): hw_errc::out_of_range.
//
// Thread: open(), attempt(), measure() and bh1750_probe() block on the bus: call them on the
// bus's I2C worker thread. measure() sleeps (about 180 ms); the others do not. The bus must outlive
// the driver. Errors: results; bus errors carry bus, address and the step; a config outside the
// chip (MTreg outside 31..254) is hw_errc::not_supported.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <chrono>
#include <cstdint>
#include <span>
#include <string>

#include "hw/i2c_bus.hpp"
#include "hw/sensor.hpp"

namespace piogate::hw {

inline constexpr std::uint8_t bh1750_default_address = 0x23;
inline constexpr std::uint8_t bh1750_alternate_address = 0x5C;
inline constexpr std::uint8_t bh1750_default_mtreg = 69;
inline constexpr std::uint8_t bh1750_min_mtreg = 31;
inline constexpr std::uint8_t bh1750_max_mtreg = 254;

// One-time measurement opcodes (the continuous ones are 0x10, 0x11, 0x13).
enum class bh1750_mode : std::uint8_t { high = 0x20, high2 = 0x21, low = 0x23 };

// count / 1.2 × 69 / mtreg, halved in H-resolution mode 2.
double bh1750_lux(std::uint16_t count, bh1750_mode mode, std::uint8_t mtreg);
// The datasheet's maximum: 180 ms (H, H2) or 24 ms (L) at MTreg 69, proportional to MTreg.
std::chrono::microseconds bh1750_max_measurement_time(bh1750_mode mode, std::uint8_t mtreg);
// Converts the two result bytes (MSB first); `where` ("i2c-1 0x23 bh1750") starts messages.
util::result<reading> bh1750_decode(std::span<const std::uint8_t, 2> bytes, bh1750_mode mode,
                                    std::uint8_t mtreg, const std::string& where);

struct bh1750_config {
    std::uint8_t address = bh1750_default_address;
    bh1750_mode mode = bh1750_mode::high;
    std::uint8_t mtreg = bh1750_default_mtreg;  // sensitivity: larger is more sensitive, slower
};

class bh1750 final : public converting_sensor {
public:
    bh1750(i2c_bus& bus, bh1750_config config);
    const std::string& type() const override;
    util::result<void> open() override;
    measure_result attempt() override;

private:
    util::result<void> send(std::uint8_t opcode, const char* what);
    std::string where() const;

    i2c_bus& bus_;
    bh1750_config config_;
    bool converting_ = false;  // attempt() started a measurement, the next reads it
};

// i2cdetect-like check: a two-byte read (the last result) is acknowledged. Sends no opcode.
bool bh1750_probe(i2c_bus& bus, std::uint8_t address);

}  // namespace piogate::hw
