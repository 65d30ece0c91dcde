// The pure BME280/BMP280 part against the data sheets: the BMP280 worked example, the
// trimming-register layout (BME280 4.2.2, Table 16) including the dig_H4/dig_H5 nibble packing,
// the integer formulas against the data sheet's double-precision formulas (Appendix 8.1), the
// measurement-time formula (9.1), and invalid data.
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <array>
#include <cstdint>
#include <random>

#include "hw/hw_error.hpp"
#include "hw/sensors/bmx280_compensation.hpp"

namespace hw = piogate::hw;

namespace {

// BMP280 data sheet, worked example: the trimming words and the raw ADC words it uses.
hw::bmx280_calibration example() {
    hw::bmx280_calibration c;
    c.t1 = 27504, c.t2 = 26435, c.t3 = -1000;
    c.p1 = 36477, c.p2 = -10685, c.p3 = 3024, c.p4 = 2855, c.p5 = 140, c.p6 = -7;
    c.p7 = 15500, c.p8 = -14600, c.p9 = 6000;
    c.h1 = 75, c.h2 = 362, c.h3 = 0, c.h4 = 333, c.h5 = 50, c.h6 = 30;  // a typical BME280
    return c;
}
constexpr std::int32_t example_adc_t = 519888;
constexpr std::int32_t example_adc_p = 415148;

// The data sheets' double-precision formulas (BME280 Appendix 8.1), as an independent reference.
struct reference_temperature {
    std::int32_t t_fine;
    double celsius;
};
reference_temperature reference_t(const hw::bmx280_calibration& c, double adc_t) {
    const double v1 = (adc_t / 16384.0 - c.t1 / 1024.0) * c.t2;
    const double d = adc_t / 131072.0 - c.t1 / 8192.0;
    const double v2 = d * d * c.t3;
    return {static_cast<std::int32_t>(v1 + v2), (v1 + v2) / 5120.0};
}
double reference_pa(const hw::bmx280_calibration& c, std::int32_t t_fine, double adc_p) {
    double v1 = t_fine / 2.0 - 64000.0;
    double v2 = v1 * v1 * c.p6 / 32768.0;
    v2 = v2 + v1 * c.p5 * 2.0;
    v2 = v2 / 4.0 + c.p4 * 65536.0;
    v1 = (c.p3 * v1 * v1 / 524288.0 + c.p2 * v1) / 524288.0;
    v1 = (1.0 + v1 / 32768.0) * c.p1;
    double p = 1048576.0 - adc_p;
    p = (p - v2 / 4096.0) * 6250.0 / v1;
    v1 = c.p9 * p * p / 2147483648.0;
    v2 = p * c.p8 / 32768.0;
    return p + (v1 + v2 + c.p7) / 16.0;
}
double reference_rh(const hw::bmx280_calibration& c, std::int32_t t_fine, double adc_h) {
    double h = t_fine - 76800.0;
    h = (adc_h - (c.h4 * 64.0 + c.h5 / 16384.0 * h)) *
        (c.h2 / 65536.0 * (1.0 + c.h6 / 67108864.0 * h * (1.0 + c.h3 / 67108864.0 * h)));
    h = h * (1.0 - c.h1 * h / 524288.0);
    return std::clamp(h, 0.0, 100.0);
}

}  // namespace

TEST(bmx280_compensation, bmp280_datasheet_worked_example) {
    const auto c = example();
    const auto t = hw::compensate_temperature(c, example_adc_t);
    EXPECT_EQ(t.t_fine, 128422);       // data sheet: t_fine = 128422
    EXPECT_EQ(t.centi_celsius, 2508);  // data sheet: T = 25.08 °C
    const auto p = hw::compensate_pressure_q24_8(c, example_adc_p, t.t_fine);
    EXPECT_NEAR(p / 256.0, 100653.27, 0.05);  // data sheet: p = 100653.27 Pa
    EXPECT_EQ(p, 25767233u);                  // the 64-bit formula's exact Q24.8 word

    const auto ref = reference_t(c, example_adc_t);
    EXPECT_EQ(ref.t_fine, 128422);
    EXPECT_NEAR(ref.celsius, 25.08, 0.005);
    EXPECT_NEAR(reference_pa(c, ref.t_fine, example_adc_p), 100653.27, 0.02);
}

TEST(bmx280_compensation, raw_words_from_the_burst_read) {
    // The worked example's ADC words as they sit in 0xF7..0xFC, plus a humidity word.
    const std::array<std::uint8_t, 8> data{0x65, 0x5A, 0xC0, 0x7E, 0xED, 0x00, 0x6F, 0xF0};
    const auto raw = hw::decode_bmx280_raw(data);
    EXPECT_EQ(raw.adc_p, example_adc_p);
    EXPECT_EQ(raw.adc_t, example_adc_t);
    EXPECT_EQ(raw.adc_h, 0x6FF0);
    // A BMP280 burst stops at 0xFC: humidity stays "skipped".
    const auto bmp = hw::decode_bmx280_raw(std::span(data).first(6));
    EXPECT_EQ(bmp.adc_t, example_adc_t);
    EXPECT_EQ(bmp.adc_h, hw::bme280_skipped_humidity);
    // The power-on reset values (0x80 0x00 0x00 ...) are the "skipped" words.
    const std::array<std::uint8_t, 8> reset{0x80, 0, 0, 0x80, 0, 0, 0x80, 0};
    const auto r = hw::decode_bmx280_raw(reset);
    EXPECT_EQ(r.adc_p, 0x80000);
    EXPECT_EQ(r.adc_t, 0x80000);
    EXPECT_EQ(r.adc_h, 0x8000);
    // The low nibble of the xlsb registers is not part of the word.
    const std::array<std::uint8_t, 6> xlsb{0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x1F};
    EXPECT_EQ(hw::decode_bmx280_raw(xlsb).adc_p, 0xFFFFF);
    EXPECT_EQ(hw::decode_bmx280_raw(xlsb).adc_t, 0x00001);
}

TEST(bmx280_compensation, calibration_block_little_endian_and_signed) {
    std::array<std::uint8_t, 26> b0{};
    std::array<std::uint8_t, 7> b1{};
    // dig_T1 27504 = 0x6B70, dig_T2 26435 = 0x6743, dig_T3 -1000 = 0xFC18, dig_P1 36477 = 0x8E7D
    // (above 0x7FFF: unsigned), dig_P2 -10685 = 0xD643, dig_P9 6000 = 0x1770, dig_H1 75 at 0xA1.
    const std::uint8_t head[] = {0x70, 0x6B, 0x43, 0x67, 0x18, 0xFC, 0x7D, 0x8E, 0x43, 0xD6};
    std::copy(std::begin(head), std::end(head), b0.begin());
    b0[24] = 0x70, b0[25] = 0x4B;  // 0xA0 reserved, 0xA1 dig_H1
    b0[22] = 0x70, b0[23] = 0x17;  // dig_P9 at 0x9E/0x9F
    // dig_H2 -300 = 0xFED4, dig_H3 0xC8 = 200 (unsigned), dig_H6 0xE2 = -30 (signed char).
    b1 = {0xD4, 0xFE, 0xC8, 0x14, 0x2D, 0x03, 0xE2};
    const auto c = hw::decode_bmx280_calibration(b0, b1);
    EXPECT_EQ(c.t1, 27504);
    EXPECT_EQ(c.t2, 26435);
    EXPECT_EQ(c.t3, -1000);
    EXPECT_EQ(c.p1, 36477);
    EXPECT_EQ(c.p2, -10685);
    EXPECT_EQ(c.p9, 6000);
    EXPECT_EQ(c.h1, 75);
    EXPECT_EQ(c.h2, -300);
    EXPECT_EQ(c.h3, 200);
    EXPECT_EQ(c.h6, -30);
    // 0xE4 = dig_H4[11:4], 0xE5[3:0] = dig_H4[3:0]: 0x14D = 333.
    // 0xE6 = dig_H5[11:4], 0xE5[7:4] = dig_H5[3:0]: 0x032 = 50.
    EXPECT_EQ(c.h4, 333);
    EXPECT_EQ(c.h5, 50);
}

TEST(bmx280_compensation, h4_h5_are_signed_12_bit_sharing_0xE5) {
    std::array<std::uint8_t, 26> b0{};
    // dig_H4 = -349 = 0xEA3: 0xE4 = 0xEA, 0xE5[3:0] = 0x3.
    // dig_H5 = -30 = 0xFE2: 0xE6 = 0xFE, 0xE5[7:4] = 0x2.
    const std::array<std::uint8_t, 7> neg{0, 0, 0, 0xEA, 0x23, 0xFE, 0};
    auto c = hw::decode_bmx280_calibration(b0, neg);
    EXPECT_EQ(c.h4, -349);
    EXPECT_EQ(c.h5, -30);
    // The 12-bit extremes.
    const std::array<std::uint8_t, 7> ext{0, 0, 0, 0x80, 0xF0, 0x7F, 0};
    c = hw::decode_bmx280_calibration(b0, ext);
    EXPECT_EQ(c.h4, -2048);
    EXPECT_EQ(c.h5, 2047);
    // Every 12-bit value survives encode → decode, whatever the neighbour nibble holds.
    for (int v = -2048; v <= 2047; ++v) {
        hw::bmx280_calibration in = example();
        in.h4 = static_cast<std::int16_t>(v);
        in.h5 = static_cast<std::int16_t>(-1 - v);
        std::array<std::uint8_t, 26> e0{};
        std::array<std::uint8_t, 7> e1{};
        hw::encode_bmx280_calibration(in, e0, e1);
        ASSERT_EQ(hw::decode_bmx280_calibration(e0, e1), in) << v;
    }
}

TEST(bmx280_compensation, bmp280_calibration_has_no_humidity_words) {
    std::array<std::uint8_t, 26> b0{};
    std::array<std::uint8_t, 7> b1{};
    hw::encode_bmx280_calibration(example(), b0, b1);
    const auto c = hw::decode_bmx280_calibration(b0, {});
    EXPECT_EQ(c.t1, 27504);
    EXPECT_EQ(c.p9, 6000);
    EXPECT_EQ(c.h1, 0);  // 0xA1 is reserved on the BMP280
    EXPECT_EQ(c.h2, 0);
    EXPECT_EQ(c.h4, 0);
}

TEST(bmx280_compensation, blank_calibration_is_rejected) {
    EXPECT_TRUE(hw::check_bmx280_calibration(example()));
    auto c = example();
    c.t1 = 0;
    auto r = hw::check_bmx280_calibration(c);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.err().code, hw::hw_errc::out_of_range);
    EXPECT_NE(r.err().message.find("dig_T1"), std::string::npos);
    c = example();
    c.p1 = 0;
    r = hw::check_bmx280_calibration(c);
    ASSERT_FALSE(r);
    EXPECT_NE(r.err().message.find("dig_P1"), std::string::npos);
    // The formula's own guard: dig_P1 = 0 would divide by zero.
    EXPECT_EQ(hw::compensate_pressure_q24_8(c, example_adc_p, 128422), 0u);
}

TEST(bmx280_compensation, integer_formulas_agree_with_double_precision_ones) {
    const auto c = example();
    for (std::int32_t adc_t = 300000; adc_t <= 700000; adc_t += 7919) {
        const auto t = hw::compensate_temperature(c, adc_t);
        const auto ref = reference_t(c, adc_t);
        // The integer formula drops adc_T's low 3 bits (adc_T >> 3): up to 7/8 of
        // dig_T2 / 2048 ≈ 11 t_fine units (0.002 °C) below the double one.
        ASSERT_NEAR(t.centi_celsius / 100.0, ref.celsius, 0.01) << adc_t;
        ASSERT_NEAR(t.t_fine, ref.t_fine, 16) << adc_t;
        // Pressure and humidity compared at the same t_fine.
        for (std::int32_t adc_p = 150000; adc_p <= 800000; adc_p += 13001) {
            const auto p = hw::compensate_pressure_q24_8(c, adc_p, t.t_fine) / 256.0;
            ASSERT_NEAR(p, reference_pa(c, t.t_fine, adc_p), 0.2) << adc_t << " " << adc_p;
        }
        for (std::int32_t adc_h = 20000; adc_h <= 50000; adc_h += 3001) {
            const auto h = hw::compensate_humidity_q22_10(c, adc_h, t.t_fine) / 1024.0;
            ASSERT_NEAR(h, reference_rh(c, t.t_fine, adc_h), 0.02) << adc_t << " " << adc_h;
        }
    }
}

TEST(bmx280_compensation, humidity_is_clamped_to_0_and_100) {
    const auto c = example();
    const auto t = hw::compensate_temperature(c, example_adc_t);
    EXPECT_EQ(hw::compensate_humidity_q22_10(c, 0, t.t_fine), 0u);
    EXPECT_EQ(hw::compensate_humidity_q22_10(c, 0xFFFF, t.t_fine), 100u * 1024);
}

TEST(bmx280_compensation, maximum_measurement_time) {
    using os = hw::bmx280_oversampling;
    using us = std::chrono::microseconds;
    // 1.25 + 2.3 + (2.3 + 0.575) + (2.3 + 0.575) ms
    EXPECT_EQ(hw::bmx280_max_measurement_time(os::x1, os::x1, os::x1), us(9300));
    // The data sheet's example: T x1, P x4, no humidity: 1.25 + 2.3 + 9.2 + 0.575 ms.
    EXPECT_EQ(hw::bmx280_max_measurement_time(os::x1, os::x4, os::skipped), us(13325));
    // Everything x16: 112.8 ms.
    EXPECT_EQ(hw::bmx280_max_measurement_time(os::x16, os::x16, os::x16), us(112800));
    EXPECT_EQ(hw::bmx280_max_measurement_time(os::x2, os::skipped, os::x8),
              us(1250 + 4600 + 18975));
}

TEST(bmx280_compensation, convert_gives_physical_values) {
    hw::bmx280_raw raw{example_adc_p, example_adc_t, 0x6FF0};
    auto v = hw::convert_bmx280(example(), raw, true, true);
    ASSERT_TRUE(v) << v.err().message;
    EXPECT_DOUBLE_EQ(v->celsius, 25.08);
    EXPECT_NEAR(v->hpa, 1006.5327, 0.0005);
    EXPECT_TRUE(v->has_pressure);
    EXPECT_TRUE(v->has_humidity);
    EXPECT_GT(v->rh, 0);
    EXPECT_LT(v->rh, 100);
    v = hw::convert_bmx280(example(), raw, false, false);
    ASSERT_TRUE(v);
    EXPECT_FALSE(v->has_pressure);
    EXPECT_FALSE(v->has_humidity);
}

TEST(bmx280_compensation, skipped_words_are_errors_not_readings) {
    const auto c = example();
    struct row {
        hw::bmx280_raw raw;
        bool want_p, want_h;
        const char* names;
    };
    const row rows[] = {
        {{example_adc_p, 0x80000, 0x6FF0}, true, true, "temperature"},
        {{example_adc_p, 0x80000, 0x6FF0}, false, false, "temperature"},
        {{0x80000, example_adc_t, 0x6FF0}, true, true, "pressure"},
        {{example_adc_p, example_adc_t, 0x8000}, true, true, "humidity"},
    };
    for (const auto& r : rows) {
        auto v = hw::convert_bmx280(c, r.raw, r.want_p, r.want_h);
        ASSERT_FALSE(v) << r.names;
        EXPECT_EQ(v.err().code, hw::hw_errc::out_of_range);
        EXPECT_NE(v.err().message.find(r.names), std::string::npos) << v.err().message;
        EXPECT_NE(v.err().message.find("skipped"), std::string::npos) << v.err().message;
    }
    // A skipped channel that was not asked for is fine.
    EXPECT_TRUE(hw::convert_bmx280(c, {0x80000, example_adc_t, 0x8000}, false, false));
}

TEST(bmx280_compensation, values_outside_the_chip_range_are_errors) {
    const auto c = example();
    // adc_T 0 → −140.88 °C, 0xFFFFF → 187.55 °C: words the chip can send, values it cannot.
    for (std::int32_t adc_t : {0, 0xFFFF0}) {
        auto v = hw::convert_bmx280(c, {example_adc_p, adc_t, 0x6FF0}, true, true);
        ASSERT_FALSE(v);
        EXPECT_EQ(v.err().code, hw::hw_errc::out_of_range);
        EXPECT_NE(v.err().message.find("temperature"), std::string::npos) << v.err().message;
        EXPECT_NE(v.err().message.find("out of range"), std::string::npos) << v.err().message;
    }
    // adc_P 0 → 1732 hPa; 0xFFFF0 → 0 hPa (the formula floors at 0).
    for (std::int32_t adc_p : {0, 900000, 0xFFFF0}) {
        auto v = hw::convert_bmx280(c, {adc_p, example_adc_t, 0x6FF0}, true, true);
        ASSERT_FALSE(v) << adc_p;
        EXPECT_EQ(v.err().code, hw::hw_errc::out_of_range);
        EXPECT_NE(v.err().message.find("pressure"), std::string::npos) << v.err().message;
    }
}

TEST(bmx280_compensation, any_input_is_defined_behaviour) {
    // Damaged calibration and raw words must give values or errors, never UB (the sanitizer
    // build runs this with -fsanitize=undefined).
    std::mt19937 rng(280);
    std::uniform_int_distribution<int> byte(0, 255);
    for (int i = 0; i < 20000; ++i) {
        std::array<std::uint8_t, 26> b0{};
        std::array<std::uint8_t, 7> b1{};
        std::array<std::uint8_t, 8> data{};
        for (auto& b : b0) b = static_cast<std::uint8_t>(byte(rng));
        for (auto& b : b1) b = static_cast<std::uint8_t>(byte(rng));
        for (auto& b : data) b = static_cast<std::uint8_t>(byte(rng));
        const auto c = hw::decode_bmx280_calibration(b0, b1);
        const auto raw = hw::decode_bmx280_raw(data);
        const auto t = hw::compensate_temperature(c, raw.adc_t);
        (void)hw::compensate_pressure_q24_8(c, raw.adc_p, t.t_fine);
        EXPECT_LE(hw::compensate_humidity_q22_10(c, raw.adc_h, t.t_fine), 100u * 1024);
        auto v = hw::convert_bmx280(c, raw, true, true);
        if (v) {
            EXPECT_GE(v->celsius, -40.01);
            EXPECT_LE(v->hpa, 1100.05);
        }
    }
}
