// A simulated Sensirion SHT3x (SHT30/31/35) answering the datasheet's 16-bit commands:
// single-shot measurements in all three repeatabilities, with and without clock stretching,
// status register read and clear, soft reset, heater on/off, serial number (0x3780/0x3682).
// Results carry CRC-8 (0x31, init 0xFF) and are computed from the physical values the test or
// demo sets, clamped to what the chip can encode (-45..130 °C, 0..100 %RH).
//
// Timing like the chip: without clock stretching, reads and commands are NACKed until the
// measurement time has passed (default 12.5 ms, the datasheet's typical high-repeatability
// time); with clock stretching the read waits (on the device's clock,
// sim_i2c_device::set_clock). A result is read once, then the chip has no
// data and NACKs. An unknown command is ACKed and sets status bit 1 (command not processed).
//
// Thread-safe: the bus thread calls on_write/on_read while a test or the demo sets values.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <chrono>
#include <cstdint>
#include <mutex>

#include "hw/sim/sim_i2c_bus.hpp"

namespace piogate::hw {

class sim_sht3x final : public sim_i2c_device {
public:
    void set_environment(double celsius, double relative_humidity);
    // Time of a high-repeatability measurement (medium and low take 4.5 and 2.5 ms).
    void set_measurement_time(std::chrono::microseconds time);
    std::uint16_t status() const;
    int measurements_started() const;

    // What the chip would send for a physical value (clamped to the codable range).
    static std::uint16_t raw_temperature(double celsius);
    static std::uint16_t raw_humidity(double relative_humidity);

    bool on_write(std::span<const std::uint8_t> data) override;
    bool on_read(std::span<std::uint8_t> out) override;

private:
    enum class pending { none, measurement, status, serial };

    void start_measurement(std::chrono::microseconds time, bool stretch);
    static void put_word(std::uint8_t* out, std::uint16_t word);

    mutable std::mutex mutex_;
    double celsius_ = 21.5;
    double humidity_ = 45.0;
    std::chrono::microseconds measurement_time_{12500};
    std::uint16_t status_ = 0x8010;  // alert pending and reset detected after power-up
    pending pending_ = pending::none;
    bool stretch_ = false;
    util::steady_time ready_at_{};
    std::uint8_t result_[6] = {};
    int measurements_ = 0;
};

}  // namespace piogate::hw
