// A simulated LM75 (9-bit) or TI TMP102 (12-bit, 13-bit in extended mode) on the datasheets'
// register map: 0x00 temperature (read-only), 0x01 configuration (LM75: 8 bits, reset 0x00;
// TMP102: 16 bits, reset 0x60A0, R1:R0 and the low nibble read-only), 0x02 T_HYST / T_LOW
// (reset 75 °C, 0x4B00), 0x03 T_OS / T_HIGH (reset 80 °C, 0x5000); pointers 0x04.. are NACKed.
//
// The temperature word is computed on every read from set_temperature(), rounded to the step
// (0.5 / 0.0625 °C) and clamped to what the format can hold (LM75 −128..127.5 °C, TMP102
// normal −128..127.9375 °C, extended −256..255.9375 °C). In shutdown the word keeps the last
// value. A new TMP102 EM setting takes effect at once (the chip waits for its next conversion;
// the driver waits that long). Alerts, fault queues and the one-shot bit are not modelled.
//
// Thread-safe: the bus thread calls on_write/on_read while a test or the demo sets values.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include "hw/sensors/lm75.hpp"
#include "hw/sim/sim_word_register_device.hpp"

namespace piogate::hw {

class sim_lm75 final : public sim_word_register_device {
public:
    explicit sim_lm75(lm75_variant variant = lm75_variant::lm75);

    void set_temperature(double celsius);  // default 21.5 °C
    bool shut_down() const;

    // The temperature word the chip would send for `celsius`.
    static std::uint16_t temperature_word(lm75_variant variant, double celsius, bool extended);

private:
    bool has_register(std::uint8_t reg) const override;
    int register_size(std::uint8_t reg) const override;
    void on_word_written(std::uint8_t reg, std::uint16_t value) override;
    std::uint16_t on_word_read(std::uint8_t reg) override;
    bool shutdown_bit() const;
    bool extended() const;

    const lm75_variant variant_;
    double celsius_ = 21.5;
};

}  // namespace piogate::hw
