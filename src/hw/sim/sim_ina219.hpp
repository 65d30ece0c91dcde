// A simulated TI INA219 on the datasheet's register map: 0x00 configuration (reset 0x399F;
// writing RST resets every register), 0x01 shunt voltage, 0x02 bus voltage (CNVR, OVF),
// 0x03 power, 0x04 current, 0x05 calibration (bit 0 reads 0); pointers 0x06.. are NACKed.
//
// A conversion samples set_bus(): the shunt code is amps × shunt ohms / 10 µV, clipped to the
// PGA's full scale (±4000 × 2^PG); the bus code is volts / 4 mV, clipped to the range (16 or
// 32 V). With a calibration programmed the chip then computes current = shunt × cal / 4096 and
// power = |current| × bus / 5000, setting OVF when either leaves its register; without one
// both read 0. Triggered modes (MODE 1..3) convert once, taking the datasheet's typical ADC
// time (532 µs per 12-bit sample, × averaging; shunt and bus one after the other), and then
// set CNVR; continuous modes (5..7) convert on every read. Reading power, or writing a new
// mode, clears CNVR.
//
// Thread-safe: the bus thread calls on_write/on_read while a test or the demo sets values.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <chrono>

#include "hw/sim/sim_word_register_device.hpp"

namespace piogate::hw {

class sim_ina219 final : public sim_word_register_device {
public:
    explicit sim_ina219(double shunt_ohms = 0.1);

    // Bus voltage (IN− to GND) and the current through the shunt. Default 5 V, 0.1 A.
    void set_bus(double volts, double amps);
    // Fault: triggered conversions never finish (CNVR stays 0).
    void set_stuck(bool stuck);
    int conversions_started() const;
    int resets() const;

private:
    bool has_register(std::uint8_t reg) const override;
    void on_word_written(std::uint8_t reg, std::uint16_t value) override;
    std::uint16_t on_word_read(std::uint8_t reg) override;
    void reset();
    void update(util::steady_time now);
    void convert();

    const double shunt_ohms_;
    double volts_ = 5.0, amps_ = 0.1;
    bool stuck_ = false;
    bool converting_ = false;
    bool cnvr_ = false, ovf_ = false;
    util::steady_time ready_at_{};
    int conversions_ = 0, resets_ = 0;
};

}  // namespace piogate::hw
