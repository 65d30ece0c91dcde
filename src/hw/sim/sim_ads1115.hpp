// A simulated TI ADS1115 (or, constructed so, ADS1015) on the datasheet's register map:
// conversion 0x00 (reset 0x0000), config 0x01 (reset 0x8583), Lo_thresh 0x02 (0x8000),
// Hi_thresh 0x03 (0x7FFF); pointer values 0x04.. are NACKed.
//
// Writing config with OS=1 in single-shot mode starts one conversion of the MUX inputs
// (single-ended AINx vs GND, or the four differential pairs) at the PGA's full scale: OS reads
// 0 for 1/DR, then the conversion register holds the code of the inputs at that moment:
// round(V / FSR × 32768) clamped to 16 bits (ADS1015: 12 bits, left-justified). OS=1 written
// during a conversion has no effect, as on the chip. Continuous mode converts on every read.
// The comparator and ALERT/RDY pin are not modelled.
//
// Thread-safe: the bus thread calls on_write/on_read while a test or the demo sets inputs.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <array>
#include <chrono>

#include "hw/sensors/ads1115.hpp"
#include "hw/sim/sim_word_register_device.hpp"

namespace piogate::hw {

class sim_ads1115 final : public sim_word_register_device {
public:
    explicit sim_ads1115(ads1x15_chip chip = ads1x15_chip::ads1115);

    void set_inputs(std::array<double, 4> volts);  // AIN0..AIN3 against GND, default 0 V
    void set_input(unsigned channel, double volts);
    // Fault: conversions never finish (OS stays 0).
    void set_stuck(bool stuck);
    int conversions_started() const;

    // The conversion word for `volts` at `gain` (clamped to the chip's codes).
    static std::uint16_t code(ads1x15_chip chip, double volts, ads1x15_gain gain);

private:
    bool has_register(std::uint8_t reg) const override;
    void on_word_written(std::uint8_t reg, std::uint16_t value) override;
    std::uint16_t on_word_read(std::uint8_t reg) override;
    void update(util::steady_time now);
    std::uint16_t sample() const;  // the conversion of the current inputs and config

    const ads1x15_chip chip_;
    std::array<double, 4> inputs_{};
    bool stuck_ = false;
    bool converting_ = false;
    util::steady_time ready_at_{};
    int conversions_ = 0;
};

}  // namespace piogate::hw
