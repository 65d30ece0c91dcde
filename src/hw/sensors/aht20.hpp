// Aosong AHT20 humidity and temperature sensor (datasheet "AHT20", version 1.1).
//
// Address: 0x38, fixed (the AHT10/AHT21/DHT20 family shares it).
// open(): waits the 40 ms the chip needs after power-on, reads the status byte (command 0x71);
//   when the calibration bit (bit 3) is clear, sends the initialization 0xBE 0x08 0x00, waits
//   10 ms and reads it again: a chip that stays uncalibrated is hw_errc::bad_chip_id.
// attempt(): the first call sends the trigger 0xAC 0x33 0x00 and answers again(80 ms); the
//   next reads seven bytes (status, 20-bit humidity, 20-bit temperature, CRC-8 over the first
//   six); while the busy bit (bit 7) is set it answers again(10 ms), at most 5 times, then fails
//   with hw_errc::timeout. Never sleeps (hw/sensor.hpp). measure(): the same, sleeping between.
// Ranges: RH = S / 2^20 * 100 covers 0..100 %RH; T = S / 2^20 * 200 - 50 spans -50..150 °C,
//   and a temperature outside the specified -40..85 °C is hw_errc::out_of_range.
//
// Thread: open(), attempt(), measure() and aht20_probe() block on the bus: call them on the
// bus's I2C worker thread. open() sleeps (power-up 40 ms, initialization 10 ms), measure()
// about 80 ms, attempt() never. The bus must outlive the
// driver.
// Errors: results. CRC mismatch: hw_errc::crc_mismatch naming bus, address and the bytes; a
// frame whose status says busy or uncalibrated is hw_errc::out_of_range, never a reading.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <chrono>
#include <cstdint>
#include <span>
#include <string>

#include "hw/i2c_bus.hpp"
#include "hw/sensor.hpp"

namespace piogate::hw {

inline constexpr std::uint8_t aht20_default_address = 0x38;
inline constexpr std::uint8_t aht20_crc_polynomial = 0x31;
inline constexpr std::uint8_t aht20_crc_init = 0xFF;
inline constexpr std::uint8_t aht20_status_busy = 0x80;
inline constexpr std::uint8_t aht20_status_calibrated = 0x08;
inline constexpr double aht20_min_celsius = -40.0;  // specified operating range
inline constexpr double aht20_max_celsius = 85.0;
inline constexpr std::chrono::milliseconds aht20_measurement_time{80};  // datasheet: > 75 ms
inline constexpr std::chrono::milliseconds aht20_poll_interval{10};     // while busy
inline constexpr int aht20_polls = 5;

// Datasheet conversions, raw 20-bit signal to %RH and °C.
double aht20_humidity(std::uint32_t raw);  // raw / 2^20 * 100
double aht20_celsius(std::uint32_t raw);   // raw / 2^20 * 200 - 50

// Checks CRC, status (not busy, calibrated) and range of one seven-byte frame and converts it.
// `where` ("i2c-1 0x38 aht20") starts every error message.
util::result<reading> aht20_decode(std::span<const std::uint8_t, 7> frame,
                                   const std::string& where);

struct aht20_config {
    std::uint8_t address = aht20_default_address;
};

class aht20 final : public converting_sensor {
public:
    aht20(i2c_bus& bus, aht20_config config);
    const std::string& type() const override;
    util::result<void> open() override;
    measure_result attempt() override;

private:
    util::result<std::uint8_t> read_status();
    std::string where() const;

    i2c_bus& bus_;
    aht20_config config_;
    bool converting_ = false;  // attempt() sent the trigger, the next reads
};

// i2cdetect-like check: one plain read of the status byte (no command is sent). True when the
// address answers with something other than 0xFF (a floating bus).
bool aht20_probe(i2c_bus& bus, std::uint8_t address);

}  // namespace piogate::hw
