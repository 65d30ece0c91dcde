// A simulated ROHM BH1750FVI: the datasheet's opcodes (Power Down 0x00, Power On 0x01, Reset
// 0x07, continuous 0x10/0x11/0x13, one-time 0x20/0x21/0x23, MTreg 0x40|MT[7:5] and
// 0x60|MT[4:0]) and the 16-bit result read MSB first.
//
// A measurement samples the illuminance set by set_lux() when it completes and turns it into
// counts (lx × 1.2 × MTreg/69, × 2 in H-resolution mode 2; clamped to 0..0xFFFF). It takes
// the typical time (120 ms for H modes, 16 ms for L at MTreg 69, proportional to MTreg;
// set_measurement_time() changes the H-mode figure). Until then a read returns the previous
// result. A one-time measurement ends in Power Down. Reset is ignored in Power Down, as on the
// chip. Opcodes the chip does not have are acknowledged and ignored.
//
// Thread-safe: the bus thread calls on_write/on_read while a test or the demo sets values.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <chrono>
#include <cstdint>
#include <mutex>

#include "hw/sim/sim_i2c_bus.hpp"

namespace piogate::hw {

class sim_bh1750 final : public sim_i2c_device {
public:
    void set_lux(double lux);
    // H-mode measurement time at MTreg 69 (default 120 ms, the datasheet's typical).
    void set_measurement_time(std::chrono::microseconds time);
    bool powered() const;
    std::uint8_t mtreg() const;
    int measurements_started() const;

    bool on_write(std::span<const std::uint8_t> data) override;
    bool on_read(std::span<std::uint8_t> out) override;

private:
    void opcode(std::uint8_t op, util::steady_time now);
    void start(std::uint8_t op, util::steady_time now);
    void update(util::steady_time now);
    std::uint16_t counts() const;

    mutable std::mutex mutex_;
    double lux_ = 300.0;
    std::chrono::microseconds h_time_{120000};
    bool powered_ = false;
    std::uint8_t mtreg_ = 69;
    std::uint8_t mode_ = 0;  // the opcode of the running measurement, 0 when none
    util::steady_time ready_at_{};
    std::uint16_t data_ = 0;
    int measurements_ = 0;
};

}  // namespace piogate::hw
