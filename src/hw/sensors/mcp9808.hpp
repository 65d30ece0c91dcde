// Microchip MCP9808 ±0.25 °C digital temperature sensor (datasheet DS25095A).
//
// Addresses: 0x18..0x1F (0011 A2 A1 A0; 0x18 with the address pins low, the usual default).
// Registers (pointer byte, then MSB first; all 16-bit except resolution): 0x01 configuration
//   (reset 0x0000; SHDN = bit 8), 0x02..0x04 alert limits T_UPPER / T_LOWER / T_CRIT,
//   0x05 ambient temperature T_A, 0x06 manufacturer id (0x0054), 0x07 device id (upper byte
//   0x04) and revision, 0x08 resolution (8-bit, reset 0x03 = 0.0625 °C, 250 ms conversion).
// T_A: bits 15..13 are the alert flags (T_A ≥ T_CRIT, > T_UPPER, < T_LOWER) and are masked;
//   bit 12 is the sign; bits 12..0 are a two's-complement count of 0.0625 °C.
// open(): manufacturer and device id (hw_errc::bad_chip_id naming what was found), resolution
//   0.0625 °C, leaves shutdown. It does not sleep: after a change the first attempt() answers
//   converting(one conversion, 300 ms) so the first reading is fresh.
// attempt(): reads T_A once (the chip converts continuously): "temperature" in °C. measure():
//   the same after that wait (measure_blocking, hw/sensor.hpp).
// Ranges: outside the operating range −40..125 °C is hw_errc::out_of_range.
//
// Thread: open(), attempt(), measure() and mcp9808_probe() block on the bus: call them on the
// bus's I2C worker thread. Only measure() sleeps. The bus must outlive the driver.
// Errors: results; bus errors carry bus, address, register and the step.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <cstdint>
#include <string>

#include "hw/i2c_bus.hpp"
#include "hw/sensor.hpp"

namespace piogate::hw {

inline constexpr std::uint8_t mcp9808_default_address = 0x18;
inline constexpr std::uint16_t mcp9808_manufacturer_id = 0x0054;
inline constexpr std::uint8_t mcp9808_device_id = 0x04;

// The T_A word with the flag bits masked: sign-extended bits 12..0 × 0.0625 °C.
double mcp9808_celsius(std::uint16_t raw);
// Converts and range-checks; `where` ("i2c-1 0x18 reg 0x05: mcp9808") starts the message.
util::result<double> mcp9808_decode(std::uint16_t raw, const std::string& where);

struct mcp9808_config {
    std::uint8_t address = mcp9808_default_address;
};

class mcp9808 final : public converting_sensor {
public:
    mcp9808(i2c_bus& bus, mcp9808_config config);
    const std::string& type() const override;
    util::result<void> open() override;
    measure_result attempt() override;
    std::uint8_t revision() const { return revision_; }  // after open()

private:
    util::result<reading> read_temperature();
    util::error fail(hw_errc code, int reg, const std::string& what) const;
    util::error step_failed(const char* step, const util::error& cause) const;

    i2c_bus& bus_;
    mcp9808_config config_;
    std::uint8_t revision_ = 0;
};

// i2cdetect-like check: reads the manufacturer and device id registers (reads only).
bool mcp9808_probe(i2c_bus& bus, std::uint8_t address);

}  // namespace piogate::hw
