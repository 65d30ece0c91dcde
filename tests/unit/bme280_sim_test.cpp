// The simulated BME280/BMP280 against the data sheet's register map, byte by byte through the
// simulated bus (no driver involved): addresses, reset values, read-only registers, ctrl_hum
// latching, forced-mode timing (on a manual clock, to the microsecond), ADC resolution,
// skipped channels.
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include <array>
#include <vector>

#include "hw/sensors/bmx280_compensation.hpp"
#include "hw/sim/sim_bme280.hpp"
#include "hw/sim/sim_i2c_bus.hpp"
#include "util/clock.hpp"

using namespace std::chrono_literals;
namespace hw = piogate::hw;

namespace {

class sim_bme280_map : public ::testing::Test {
protected:
    void attach(hw::sim_bmx280_model model = hw::sim_bmx280_model::bme280) {
        chip_ = std::make_shared<hw::sim_bme280>(model);
        chip_->set_clock(clock_);
        bus_.attach(0x76, chip_);
    }
    std::vector<std::uint8_t> read(std::uint8_t reg, std::size_t n) {
        std::vector<std::uint8_t> out(n);
        EXPECT_TRUE(hw::read_registers(bus_, 0x76, reg, out));
        return out;
    }
    void write(std::uint8_t reg, std::uint8_t value) {
        EXPECT_TRUE(hw::write_register(bus_, 0x76, reg, value));
    }
    // Triggers a forced measurement and waits until "measuring" (0xF3 bit 3) clears.
    std::array<std::int32_t, 3> measure(std::uint8_t ctrl_meas) {
        write(0xF4, ctrl_meas);
        for (int i = 0; i < 200 && (read(0xF3, 1)[0] & 0x08); ++i) clock_.advance(1ms);
        const auto d = read(0xF7, 8);
        const auto raw = hw::decode_bmx280_raw(d);
        return {raw.adc_p, raw.adc_t, raw.adc_h};
    }
    piogate::util::manual_clock clock_;  // the chip's: time passes only when a test says so
    hw::sim_i2c_bus bus_{"sim-i2c-0"};
    std::shared_ptr<hw::sim_bme280> chip_;
};

}  // namespace

TEST_F(sim_bme280_map, chip_id_and_calibration_at_the_datasheet_addresses) {
    attach();
    EXPECT_EQ(read(0xD0, 1)[0], 0x60);
    // dig_T1 = 27504 = 0x6B70 at 0x88/0x89 (LSB first), dig_T3 = -1000 = 0xFC18 at 0x8C/0x8D,
    // dig_P9 = 6000 = 0x1770 at 0x9E/0x9F, dig_H1 = 75 at 0xA1.
    const auto b0 = read(0x88, 26);
    EXPECT_EQ(b0[0], 0x70);
    EXPECT_EQ(b0[1], 0x6B);
    EXPECT_EQ(b0[4], 0x18);
    EXPECT_EQ(b0[5], 0xFC);
    EXPECT_EQ(b0[22], 0x70);
    EXPECT_EQ(b0[23], 0x17);
    EXPECT_EQ(b0[25], 75);
    // dig_H2 = 362 = 0x016A at 0xE1/0xE2, dig_H3 = 0 at 0xE3, dig_H4 = 333 = 0x14D and
    // dig_H5 = 50 = 0x032 packed into 0xE4..0xE6, dig_H6 = 30 at 0xE7.
    const auto b1 = read(0xE1, 7);
    EXPECT_EQ(b1, (std::vector<std::uint8_t>{0x6A, 0x01, 0x00, 0x14, 0x2D, 0x03, 0x1E}));
}

TEST_F(sim_bme280_map, power_on_state) {
    attach();
    // Data registers reset to 0x80 0x00 0x00 (press), (temp), 0x80 0x00 (hum); controls to 0.
    EXPECT_EQ(read(0xF7, 8), (std::vector<std::uint8_t>{0x80, 0, 0, 0x80, 0, 0, 0x80, 0}));
    EXPECT_EQ(read(0xF2, 4), (std::vector<std::uint8_t>{0, 0, 0, 0}));
    EXPECT_EQ(read(0xE0, 1)[0], 0x00);
}

TEST_F(sim_bme280_map, read_only_registers_ignore_writes) {
    attach();
    write(0xD0, 0x12);
    write(0x88, 0x00);
    write(0xF7, 0x11);
    write(0xF3, 0xFF);
    EXPECT_EQ(read(0xD0, 1)[0], 0x60);
    EXPECT_EQ(read(0x88, 1)[0], 0x70);
    EXPECT_EQ(read(0xF7, 1)[0], 0x80);
    EXPECT_EQ(read(0xF3, 1)[0], 0x00);
}

TEST_F(sim_bme280_map, writes_are_register_value_pairs) {
    attach();
    const std::uint8_t pairs[] = {0xF2, 0x03, 0xF5, 0x10};
    ASSERT_TRUE(bus_.write(0x76, pairs));
    EXPECT_EQ(read(0xF2, 1)[0], 0x03);
    EXPECT_EQ(read(0xF5, 1)[0], 0x10);
    EXPECT_EQ(read(0xF3, 1)[0], 0x00);  // not auto-incremented into status
}

TEST_F(sim_bme280_map, forced_measurement_sets_measuring_then_returns_to_sleep) {
    attach();
    write(0xF2, 0x01);
    write(0xF4, 0x25);  // osrs_t x1, osrs_p x1, forced
    EXPECT_EQ(read(0xF3, 1)[0] & 0x08, 0x08);
    EXPECT_EQ(read(0xF7, 1)[0], 0x80);  // old data until the conversion is done
    clock_.advance(8ms - 1us);          // typical 1 + 2 + 2.5 + 2.5 ms at x1/x1/x1
    EXPECT_EQ(read(0xF3, 1)[0] & 0x08, 0x08);
    EXPECT_EQ(read(0xF7, 1)[0], 0x80);
    clock_.advance(1us);
    EXPECT_EQ(read(0xF3, 1)[0] & 0x08, 0x00);
    EXPECT_EQ(read(0xF4, 1)[0], 0x24);  // mode back to sleep, oversampling kept
    EXPECT_NE(read(0xF7, 8), (std::vector<std::uint8_t>{0x80, 0, 0, 0x80, 0, 0, 0x80, 0}));
    EXPECT_EQ(chip_->conversions_started(), 1);
}

TEST_F(sim_bme280_map, ctrl_hum_takes_effect_only_with_ctrl_meas) {
    attach();
    // ctrl_meas first, ctrl_hum after: this measurement still has humidity skipped.
    write(0xF4, 0x25);
    write(0xF2, 0x01);
    for (int i = 0; i < 50 && (read(0xF3, 1)[0] & 0x08); ++i) clock_.advance(1ms);
    EXPECT_EQ(hw::decode_bmx280_raw(read(0xF7, 8)).adc_h, 0x8000);
    // The next ctrl_meas write latches it.
    EXPECT_NE(measure(0x25)[2], 0x8000);
}

TEST_F(sim_bme280_map, skipped_channels_read_0x80000) {
    attach();
    write(0xF2, 0x00);
    auto raw = measure(0x21);  // temperature x1, pressure skipped, humidity skipped
    EXPECT_EQ(raw[0], 0x80000);
    EXPECT_NE(raw[1], 0x80000);
    EXPECT_EQ(raw[2], 0x8000);
}

TEST_F(sim_bme280_map, adc_resolution_follows_oversampling) {
    attach();
    chip_->set_environment(23.456, 40.0, 1001.234);
    write(0xF2, 0x01);
    auto x1 = measure(0x25);  // 16 bit: the low 4 bits of the 20-bit words are 0
    EXPECT_EQ(x1[0] & 0xF, 0);
    EXPECT_EQ(x1[1] & 0xF, 0);
    auto x2 = measure(0x49);  // 17 bit
    EXPECT_EQ(x2[0] & 0x7, 0);
    EXPECT_EQ(x2[1] & 0x7, 0);
    // x16 resolves all 20 bits; at least one of several nearby values shows a low bit.
    int low_bits = 0;
    for (double c : {23.451, 23.452, 23.453, 23.454}) {
        chip_->set_environment(c, 40.0, 1001.234);
        low_bits |= measure(0xB5)[1] & 0xF;
    }
    EXPECT_NE(low_bits, 0);
}

TEST_F(sim_bme280_map, soft_reset_restores_power_on_state) {
    attach();
    write(0xF2, 0x05);
    write(0xF5, 0xA0);
    measure(0x25);
    write(0xE0, 0x42);  // not the reset word: no effect
    EXPECT_EQ(read(0xF5, 1)[0], 0xA0);
    EXPECT_EQ(chip_->resets(), 0);
    write(0xE0, 0xB6);
    EXPECT_EQ(chip_->resets(), 1);
    EXPECT_EQ(read(0xE0, 1)[0], 0x00);
    EXPECT_EQ(read(0xF2, 1)[0], 0x00);
    EXPECT_EQ(read(0xF4, 2), (std::vector<std::uint8_t>{0, 0}));
    EXPECT_EQ(read(0xF3, 1)[0], 0x01);  // im_update: the NVM copy runs for t_startup, 2 ms
    clock_.advance(1999us);
    EXPECT_EQ(read(0xF3, 1)[0], 0x01);
    clock_.advance(1us);
    EXPECT_EQ(read(0xF3, 1)[0], 0x00);
    EXPECT_EQ(read(0xF7, 8), (std::vector<std::uint8_t>{0x80, 0, 0, 0x80, 0, 0, 0x80, 0}));
    EXPECT_EQ(read(0xD0, 1)[0], 0x60);
}

TEST_F(sim_bme280_map, a_slow_nvm_copy_keeps_im_update_set_longer) {
    attach();
    EXPECT_EQ(read(0xF3, 1)[0], 0x00);  // powered up long ago: copied
    chip_->set_extra_nvm_copy_time(3ms);
    write(0xE0, 0xB6);
    clock_.advance(4999us);
    EXPECT_EQ(read(0xF3, 1)[0], 0x01);
    clock_.advance(1us);
    EXPECT_EQ(read(0xF3, 1)[0], 0x00);
}

TEST_F(sim_bme280_map, bmp280_mode) {
    attach(hw::sim_bmx280_model::bmp280);
    EXPECT_EQ(read(0xD0, 1)[0], 0x58);
    EXPECT_EQ(read(0xA1, 1)[0], 0x00);  // reserved on the BMP280
    EXPECT_EQ(read(0xE1, 7), (std::vector<std::uint8_t>(7, 0)));
    write(0xF2, 0x01);  // no ctrl_hum on this chip
    EXPECT_EQ(read(0xF2, 1)[0], 0x00);
    const auto raw = measure(0x25);
    EXPECT_NE(raw[0], 0x80000);
    EXPECT_NE(raw[1], 0x80000);
    EXPECT_EQ(read(0xFD, 2), (std::vector<std::uint8_t>{0, 0}));
}

TEST_F(sim_bme280_map, normal_mode_samples_on_every_read) {
    attach();
    write(0xF2, 0x01);
    write(0xF4, 0x27);  // normal mode
    chip_->set_environment(10.0, 20.0, 900.0);
    const auto a = hw::decode_bmx280_raw(read(0xF7, 8));
    chip_->set_environment(30.0, 20.0, 900.0);
    const auto b = hw::decode_bmx280_raw(read(0xF7, 8));
    EXPECT_LT(a.adc_t, b.adc_t);
    EXPECT_EQ(chip_->conversions_started(), 0);
}

TEST_F(sim_bme280_map, raw_words_compensate_back_to_the_environment) {
    attach();
    const auto cal = hw::sim_bme280::datasheet_calibration();
    chip_->set_environment(-12.34, 56.78, 876.54);
    write(0xF2, 0x05);
    const auto raw = measure(0xB5);  // temperature x16, pressure x16, forced
    const auto t = hw::compensate_temperature(cal, raw[1]);
    EXPECT_NEAR(t.t_fine / 5120.0, -12.34, 0.002);
    EXPECT_NEAR(hw::compensate_pressure_q24_8(cal, raw[0], t.t_fine) / 25600.0, 876.54, 0.002);
    EXPECT_NEAR(hw::compensate_humidity_q22_10(cal, raw[2], t.t_fine) / 1024.0, 56.78, 0.01);
}
