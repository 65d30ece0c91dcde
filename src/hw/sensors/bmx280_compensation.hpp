// The pure half of the Bosch BME280 / BMP280 drivers: calibration words from the trimming
// registers, raw ADC words from the data registers, and the datasheet's integer compensation
// (32-bit temperature and humidity, 64-bit pressure) to °C, %RH and hPa. No bus, no clock.
//
// Sources: BME280 data sheet BST-BME280-DS002 (4.2.2 trimming parameters, 4.2.3 compensation
// formulas, 5.3 memory map, 9.1 measurement time); BMP280 data sheet BST-BMP280-DS001 (3.11
// compensation and its worked example, 4.3 registers).
// Thread: every function is pure and may be called from any thread.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <chrono>
#include <cstdint>
#include <span>

#include "util/result.hpp"

namespace piogate::hw {

inline constexpr std::uint8_t bme280_chip_id = 0x60;
inline constexpr std::uint8_t bmp280_chip_id = 0x58;

// osrs_t / osrs_p / osrs_h field values. `skipped` turns a channel off: its data registers then
// hold 0x80000 (20-bit channels) or 0x8000 (humidity).
enum class bmx280_oversampling : std::uint8_t { skipped = 0, x1, x2, x4, x8, x16 };
// filter[2:0] of register 0xF5 "config": IIR coefficient.
enum class bmx280_filter : std::uint8_t { off = 0, x2, x4, x8, x16 };

int oversampling_factor(bmx280_oversampling os);  // 0 for skipped

// Datasheet 9.1, the maximum ("t_measure,max") of a forced-mode measurement:
// 1.25 + 2.3·T + (2.3·P + 0.575) + (2.3·H + 0.575) ms, a skipped channel adding nothing.
std::chrono::microseconds bmx280_max_measurement_time(bmx280_oversampling t, bmx280_oversampling p,
                                                      bmx280_oversampling h);

// The trimming words dig_T1..dig_P9 (0x88..0x9F) and, on a BME280, dig_H1..dig_H6
// (0xA1, 0xE1..0xE7). dig_H4 and dig_H5 are signed 12-bit values sharing register 0xE5.
struct bmx280_calibration {
    std::uint16_t t1 = 0;
    std::int16_t t2 = 0, t3 = 0;
    std::uint16_t p1 = 0;
    std::int16_t p2 = 0, p3 = 0, p4 = 0, p5 = 0, p6 = 0, p7 = 0, p8 = 0, p9 = 0;
    std::uint8_t h1 = 0;
    std::int16_t h2 = 0;
    std::uint8_t h3 = 0;
    std::int16_t h4 = 0, h5 = 0;
    std::int8_t h6 = 0;
    bool operator==(const bmx280_calibration&) const = default;
};

inline constexpr std::uint8_t bmx280_calib0_reg = 0x88;  // 26 bytes, 0x88..0xA1
inline constexpr std::size_t bmx280_calib0_size = 26;
inline constexpr std::uint8_t bme280_calib1_reg = 0xE1;  // 7 bytes, 0xE1..0xE7 (BME280 only)
inline constexpr std::size_t bme280_calib1_size = 7;

// `block0` is 0x88..0xA1; `block1` is 0xE1..0xE7, or empty for a BMP280 (humidity words stay 0).
bmx280_calibration decode_bmx280_calibration(
    std::span<const std::uint8_t, bmx280_calib0_size> block0, std::span<const std::uint8_t> block1);
// The inverse, for chip models: the bytes a chip with these words holds.
void encode_bmx280_calibration(const bmx280_calibration& cal,
                               std::span<std::uint8_t, bmx280_calib0_size> block0,
                               std::span<std::uint8_t, bme280_calib1_size> block1);
// A blank (all 0x00 / 0xFF) or damaged NVM gives dig_T1 or dig_P1 of 0 (pressure would divide
// by zero): error out_of_range naming the word.
util::result<void> check_bmx280_calibration(const bmx280_calibration& cal);

// Raw words of a burst read of 0xF7..0xFE (pressure, temperature, humidity; 20/20/16 bit).
inline constexpr std::uint8_t bmx280_data_reg = 0xF7;
inline constexpr std::int32_t bmx280_skipped_20bit = 0x80000;
inline constexpr std::int32_t bme280_skipped_humidity = 0x8000;
struct bmx280_raw {
    std::int32_t adc_p = bmx280_skipped_20bit;
    std::int32_t adc_t = bmx280_skipped_20bit;
    std::int32_t adc_h = bme280_skipped_humidity;
};
// `data` is 6 bytes (BMP280, 0xF7..0xFC) or 8 bytes (BME280, 0xF7..0xFE).
bmx280_raw decode_bmx280_raw(std::span<const std::uint8_t> data);

// The datasheet's integer formulas, bit-exact for every input where its 32-bit code does not
// overflow (wider intermediates here, so no input is undefined behaviour).
struct bmx280_temperature {
    std::int32_t centi_celsius;  // 0.01 °C
    std::int32_t t_fine;         // carried into pressure and humidity
};
bmx280_temperature compensate_temperature(const bmx280_calibration& cal, std::int32_t adc_t);
std::uint32_t compensate_pressure_q24_8(const bmx280_calibration& cal, std::int32_t adc_p,
                                        std::int32_t t_fine);  // Pa·256; 0 if dig_P1 is 0
std::uint32_t compensate_humidity_q22_10(const bmx280_calibration& cal, std::int32_t adc_h,
                                         std::int32_t t_fine);  // %RH·1024, clamped 0..100

// Physical values of one measurement; a channel that was not measured is absent.
struct bmx280_values {
    double celsius = 0;
    bool has_pressure = false;
    double hpa = 0;
    bool has_humidity = false;
    double rh = 0;
};
// The chip's operating range (datasheet 1: −40..85 °C, 300..1100 hPa, 0..100 %RH), widened by
// one output step so an in-range value read through the ADC's quantization is not rejected.
inline constexpr double bmx280_min_celsius = -40.01, bmx280_max_celsius = 85.01;
inline constexpr double bmx280_min_hpa = 299.95, bmx280_max_hpa = 1100.05;
// Converts `raw`; `want_pressure` / `want_humidity` say which channels were enabled. A skipped
// word on an enabled channel, a value out of range or not finite: error out_of_range naming
// the quantity and the raw word ("pressure 1234.56 hPa out of range 300..1100 (raw 0x1F00A)").
util::result<bmx280_values> convert_bmx280(const bmx280_calibration& cal, const bmx280_raw& raw,
                                           bool want_pressure, bool want_humidity);

}  // namespace piogate::hw
