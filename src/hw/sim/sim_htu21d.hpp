// A simulated TE HTU21D / Silicon Labs Si7021 at 0x40: measurements in hold (0xE3, 0xE5) and
// no-hold (0xF3, 0xF5) mode, user register read/write (0xE7, 0xE6), soft reset (0xFE). A
// result is MSB, LSB with the status bits (bit 1: 0 temperature, 1 humidity), CRC-8 (0x31,
// init 0x00), computed from the physical values the test or demo sets at the resolution the
// user register selects (default RH 12 bit, T 14 bit).
//
// Timing like the chip: in no-hold mode the read header and any command are NACKed until the
// conversion is done (defaults 44 ms for T and 14 ms for RH, the HTU21D's typical times); in
// hold mode the read waits (on the device's clock, sim_i2c_device::set_clock). A result is read
// once; with nothing to send the chip NACKs. Unknown commands are NACKed.
//
// Thread-safe: the bus thread calls on_write/on_read while a test or the demo sets values.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <chrono>
#include <cstdint>
#include <mutex>

#include "hw/sim/sim_i2c_bus.hpp"

namespace piogate::hw {

class sim_htu21d final : public sim_i2c_device {
public:
    // HTU21D powers up with user register 0x02; the Si7021 with 0x3A.
    explicit sim_htu21d(std::uint8_t user_register = 0x02);
    void set_environment(double celsius, double relative_humidity);
    void set_conversion_times(std::chrono::microseconds temperature,
                              std::chrono::microseconds humidity);
    std::uint8_t user_register() const;
    int measurements_started() const;

    bool on_write(std::span<const std::uint8_t> data) override;
    bool on_read(std::span<std::uint8_t> out) override;

private:
    enum class pending { none, measurement, user_register };

    void start(bool humidity, bool hold);

    mutable std::mutex mutex_;
    const std::uint8_t power_up_register_;
    double celsius_ = 21.5;
    double humidity_ = 45.0;
    std::chrono::microseconds temperature_time_{44000};
    std::chrono::microseconds humidity_time_{14000};
    std::uint8_t user_register_;
    pending pending_ = pending::none;
    bool hold_ = false;
    util::steady_time ready_at_{};
    std::uint8_t result_[3] = {};
    int measurements_ = 0;
};

}  // namespace piogate::hw
