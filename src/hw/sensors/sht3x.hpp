// Sensirion SHT30 / SHT31 / SHT35 humidity and temperature sensor, single-shot mode
// (datasheet "SHT3x-DIS", version 5, May 2018).
//
// Addresses: 0x44 (ADDR pin to VSS, the usual breakout default) and 0x45 (ADDR pin to VDD).
// open(): soft reset (command 0x30A2, up to 1.5 ms); it does not wait for it.
// attempt(): after open() the first call answers converting(2 ms, the reset), the next reads
//   the status register (0xF32D) with its CRC before its first measurement: the SHT3x has no
//   chip id, a status word whose CRC checks is the identity check (when it fails, the next call
//   resets the chip again). A measurement: the first call sends command 0x2400 (high repeatability,
//   clock stretching disabled) and answers again(sht3x_measurement_time, the datasheet's
//   maximum, 15.5 ms at the lowest supply); the next reads six bytes: T MSB, T LSB, CRC, RH MSB, RH
//   LSB, CRC. The chip NACKs a read while it still measures; a NACKed read answers
//   again(sht3x_retry_interval), at most sht3x_read_retries times, then hw_errc::timeout. Never
//   sleeps (hw/sensor.hpp).
// measure(): the same, sleeping in between (tools, tests).
// Ranges: the formulas span -45..130 °C; a temperature outside the specified -40..125 °C
//   (0x0000 and 0xFFFF are saturation) is hw_errc::out_of_range, never a reading.
//
// Thread: open(), attempt(), measure() and sht3x_probe() block on the bus: call them on the
// bus's I2C worker thread. open() and attempt() never sleep, measure() about 16 ms (18 ms the
// first time after open()). The bus must outlive the driver. Errors: results. CRC mismatch:
// hw_errc::crc_mismatch, naming bus, address and the bytes.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <chrono>
#include <cstdint>
#include <span>
#include <string>

#include "hw/i2c_bus.hpp"
#include "hw/sensor.hpp"

namespace piogate::hw {

inline constexpr std::uint8_t sht3x_default_address = 0x44;
inline constexpr std::uint8_t sht3x_alternate_address = 0x45;
inline constexpr std::uint8_t sht3x_crc_polynomial = 0x31;
inline constexpr std::uint8_t sht3x_crc_init = 0xFF;
inline constexpr double sht3x_min_celsius = -40.0;  // specified operating range
inline constexpr double sht3x_max_celsius = 125.0;
inline constexpr std::chrono::milliseconds sht3x_measurement_time{16};  // tMEAS,h max 15.5 ms
inline constexpr std::chrono::milliseconds sht3x_retry_interval{5};     // after a NACKed read
inline constexpr int sht3x_read_retries = 3;

// Datasheet conversions (section 4.13), raw 16-bit signal to °C and %RH.
double sht3x_celsius(std::uint16_t raw);   // -45 + 175 * raw / 65535
double sht3x_humidity(std::uint16_t raw);  // 100 * raw / 65535

// Checks both CRCs, converts and range-checks one result frame (T MSB, LSB, CRC, RH MSB, LSB,
// CRC). `where` ("i2c-1 0x44 sht3x") starts every error message.
util::result<reading> sht3x_decode(std::span<const std::uint8_t, 6> frame,
                                   const std::string& where);

struct sht3x_config {
    std::uint8_t address = sht3x_default_address;
};

class sht3x final : public converting_sensor {
public:
    sht3x(i2c_bus& bus, sht3x_config config);
    const std::string& type() const override;
    util::result<void> open() override;
    measure_result attempt() override;
    // The status word read after open()'s reset (by the first attempt()).
    std::uint16_t status() const { return status_; }

private:
    util::result<void> send(std::uint16_t command, const char* what);
    util::result<void> read_status();
    measure_result start_measurement();
    std::string where() const;

    // idle: the next attempt() sends the measurement command. reset_due: it resets the chip
    // (after a failed status check). checking: it reads the status after the reset.
    // converting: it reads the result.
    enum class phase : std::uint8_t { idle, reset_due, checking, converting };

    i2c_bus& bus_;
    sht3x_config config_;
    std::uint16_t status_ = 0;
    phase phase_ = phase::idle;
};

// i2cdetect-like check: reads the status register and accepts the address only when the word's
// CRC checks. Sends only the status-read command: changes nothing on an SHT3x.
bool sht3x_probe(i2c_bus& bus, std::uint8_t address);

}  // namespace piogate::hw
