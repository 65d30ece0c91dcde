// A simulated Aosong AHT20 at 0x38: status command 0x71, initialization 0xBE 0x08 0x00, trigger
// 0xAC 0x33 0x00, soft reset 0xBA. Every read starts with the status byte (busy bit 7,
// calibrated bit 3, bit 4 set as on real parts), then 20-bit humidity and 20-bit temperature,
// then CRC-8 (0x31, init 0xFF) over those six bytes. Values come from the physical ones set by
// the test or demo, clamped to what the chip encodes (0..100 %RH, -50..150 °C).
//
// Timing like the chip: after a trigger the busy bit stays set for the measurement time
// (default 75 ms, under the datasheet's 80 ms) and the data bytes still hold the previous
// result. Other writes are NACKed. A chip created uncalibrated reports bit 3 clear until it
// gets the initialization command.
//
// Thread-safe: the bus thread calls on_write/on_read while a test or the demo sets values.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <chrono>
#include <cstdint>
#include <mutex>

#include "hw/sim/sim_i2c_bus.hpp"

namespace piogate::hw {

class sim_aht20 final : public sim_i2c_device {
public:
    explicit sim_aht20(bool calibrated = true);
    void set_environment(double celsius, double relative_humidity);
    void set_measurement_time(std::chrono::microseconds time);
    // Lets a test model a chip that ignores the initialization command.
    void set_accepts_initialization(bool accepts);
    bool calibrated() const;
    int measurements_started() const;

    static std::uint32_t raw_temperature(double celsius);
    static std::uint32_t raw_humidity(double relative_humidity);

    bool on_write(std::span<const std::uint8_t> data) override;
    bool on_read(std::span<std::uint8_t> out) override;

private:
    mutable std::mutex mutex_;
    double celsius_ = 21.5;
    double humidity_ = 45.0;
    std::chrono::microseconds measurement_time_{75000};
    bool calibrated_;
    bool accepts_initialization_ = true;
    bool measuring_ = false;
    util::steady_time ready_at_{};
    std::uint8_t data_[5] = {};  // the last finished measurement
    std::uint8_t next_[5] = {};  // the one in progress
    int measurements_ = 0;
};

}  // namespace piogate::hw
