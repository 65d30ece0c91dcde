// A simulated Microchip MCP9808 on the datasheet's register map: 0x00 reserved (reads 0x001D),
// 0x01 configuration (reset 0x0000, bits 10..0 writable), 0x02..0x04 T_UPPER / T_LOWER /
// T_CRIT (reset 0, bits 12..2 writable: 0.25 °C steps), 0x05 T_A, 0x06 manufacturer id 0x0054,
// 0x07 device id 0x04 / revision 0x00, 0x08 resolution (8-bit, reset 0x03); pointers 0x09..
// are NACKed.
//
// T_A is computed on every read from set_temperature(): rounded down to the resolution's step
// (0.5 / 0.25 / 0.125 / 0.0625 °C; unused low bits read 0), clamped to the 13-bit code
// (−256..255.9375 °C), with the three alert flags set against the limit registers (after reset
// all limits are 0 °C, so any temperature ≥ 0 °C sets the T_CRIT flag, as on the chip). In
// shutdown T_A keeps its last value. Alert output, locks and hysteresis are not modelled.
// set_ids() replaces the id words, to test the driver's check.
//
// Thread-safe: the bus thread calls on_write/on_read while a test or the demo sets values.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include "hw/sim/sim_word_register_device.hpp"

namespace piogate::hw {

class sim_mcp9808 final : public sim_word_register_device {
public:
    sim_mcp9808();

    void set_temperature(double celsius);  // default 21.5 °C
    void set_ids(std::uint16_t manufacturer, std::uint16_t device);
    bool shut_down() const;

    // T_A word without flags for `celsius` at 0.0625 °C resolution.
    static std::uint16_t ambient_word(double celsius);

private:
    bool has_register(std::uint8_t reg) const override;
    int register_size(std::uint8_t reg) const override;
    void on_word_written(std::uint8_t reg, std::uint16_t value) override;
    std::uint16_t on_word_read(std::uint8_t reg) override;
    std::uint16_t ambient() const;

    double celsius_ = 21.5;
};

}  // namespace piogate::hw
