// Driver for the Bosch BME280 (temperature, humidity, pressure; chip id 0x60) and BMP280
// (temperature, pressure; chip id 0x58) on I2C. Default addresses: 0x76 (SDO to GND) and
// 0x77 (SDO to VDDIO); Adafruit-style breakouts usually ship at 0x77, most others at 0x76.
//
// open(): chip-id check and the optional soft reset; it does not wait for the chip.
// attempt(), without sleeping (hw/sensor.hpp): after open() the chip first has to come up: with
// a soft reset the first call answers converting(t_startup, 2 ms, data sheet table 1); then
// one reads status and answers converting(poll_interval) while im_update says the NVM copy is
// still running (data sheet 5.4.4; at most status_polls times, then a timeout error, and the
// next call resets the chip again), else reads the calibration, writes the configuration (sleep
// mode) and starts the first conversion. A conversion is the datasheet's forced-mode sequence:
// write ctrl_hum, then ctrl_meas with mode=forced, and answer converting(the maximum
// measurement time, datasheet 9.1, rounded up to ms); the next call reads status and answers
// converting(poll_interval) while it says "measuring" (at most status_polls times, then
// timeout), else burst reads 0xF7..0xFE and compensates. measure(): the same, sleeping in
// between. Quantities: "temperature" °C, "pressure" hPa, "humidity" %RH (BME280 only; a
// channel configured `skipped` is left out of the reading).
//
// Thread: open(), attempt() and measure() block on the bus: call them on the bus's I2C worker
// thread, one at a time. open() and attempt() never sleep; measure() sleeps the start-up (2 ms,
// once after open()) and the conversion time (about 10 ms at x1, 113 ms at x16). The bus
// must outlive the driver.
// Errors (results, never exceptions): the bus's own errors (no_device, timeout, ...) with the
// step in front; bad_chip_id naming bus, address and the id found; out_of_range for a blank
// calibration or an invalid reading (skipped word, outside −40..85 °C / 300..1100 hPa /
// 0..100 %RH); timeout if the chip still says "measuring" well after the maximum time, or its
// NVM copy runs for status_polls polls ("bus 0x76 reg 0xF3: bme280: NVM copy after reset still
// running after 20 polls (status stuck?)");
// not_supported for a configuration the chip cannot do.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <chrono>
#include <cstdint>
#include <string>

#include "hw/i2c_bus.hpp"
#include "hw/sensor.hpp"
#include "hw/sensors/bmx280_compensation.hpp"

namespace piogate::hw {

enum class bmx280_chip : std::uint8_t { any, bme280, bmp280 };

struct bme280_config {
    std::uint8_t address = 0x76;
    bmx280_chip expect = bmx280_chip::any;  // bme280/bmp280: any other id is bad_chip_id
    // Datasheet defaults for weather monitoring: x1 everywhere, filter off. `skipped` leaves a
    // quantity out (temperature cannot be skipped: the others are compensated with it).
    bmx280_oversampling temperature = bmx280_oversampling::x1;
    bmx280_oversampling pressure = bmx280_oversampling::x1;
    bmx280_oversampling humidity = bmx280_oversampling::x1;  // ignored on a BMP280
    bmx280_filter filter = bmx280_filter::off;
    bool soft_reset = true;  // write 0xB6 to 0xE0 in open(); attempt() waits for the NVM copy
    // After t_startup and after the maximum measurement time, poll status this often (rounded
    // up to ms in attempt()), at most `status_polls` times.
    std::chrono::microseconds poll_interval{1000};
    int status_polls = 20;
};

class bme280 final : public converting_sensor {
public:
    bme280(i2c_bus& bus, bme280_config config);

    // "bmp280" when configured to expect one, else "bme280" (the driver's name, whatever chip).
    const std::string& type() const override { return type_; }
    util::result<void> open() override;
    measure_result attempt() override;
    // The conversion time attempt() first answers again() with (datasheet 9.1's maximum).
    std::chrono::milliseconds conversion_time() const;

    // After a successful open(): which chip answered; after the first conversion started (the
    // first reading), its calibration words.
    bmx280_chip chip() const { return chip_; }
    bool has_humidity() const { return chip_ == bmx280_chip::bme280; }
    const bmx280_calibration& calibration() const { return cal_; }

private:
    util::error fail(std::error_code code, int reg, const std::string& what) const;
    util::error step_failed(const char* step, const util::error& cause) const;
    util::result<std::uint8_t> read_byte(std::uint8_t reg, const char* step);
    util::result<void> write_byte(std::uint8_t reg, std::uint8_t value, const char* step);
    std::uint8_t ctrl_meas(std::uint8_t mode) const;
    measure_result finish_start();
    util::error restart(util::error cause);
    util::result<void> configure();
    measure_result start_conversion();
    measure_result finish_conversion();
    util::result<reading> read_result();

    // closed: no successful open(). reset_due: the next attempt() resets the chip (after a
    // failed start). starting: waiting for the NVM copy, then calibration and configuration.
    // idle: the next attempt() starts a conversion. converting: the next reads it.
    enum class phase : std::uint8_t { closed, reset_due, starting, idle, converting };

    i2c_bus& bus_;
    bme280_config config_;
    std::string type_;
    bmx280_chip chip_ = bmx280_chip::any;  // `any` until open() succeeded
    bmx280_calibration cal_;
    phase phase_ = phase::closed;
};

// Reads the chip id at `address`: true for a BME280 (0x60) or a BMP280 (0x58). Blocks on the
// bus like open(); a bus error is simply false.
bool bme280_probe(i2c_bus& bus, std::uint8_t address);

}  // namespace piogate::hw
