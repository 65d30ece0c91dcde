// ADS1115 / ADS1015: the datasheets' config word, LSB sizes and output codes, then end to end
// through the simulated chip: all channels, a subset, each gain, saturation, both chips, the
// bounded OS poll, every injected fault, a foreign chip at the address, the probe.
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include <array>
#include <chrono>

#include "hw/sensors/ads1115.hpp"
#include "hw/sim/sim_ads1115.hpp"
#include "hw/sim/sim_lm75.hpp"

using namespace std::chrono_literals;
namespace hw = piogate::hw;
using hw::ads1x15_chip;
using hw::ads1x15_gain;

namespace {

class ads1115_sim : public ::testing::Test {
protected:
    void SetUp() override { bus_.attach(0x48, chip_); }
    hw::sim_i2c_bus bus_{"sim-i2c-0"};
    std::shared_ptr<hw::sim_ads1115> chip_ = std::make_shared<hw::sim_ads1115>();
    hw::ads1115 sensor_{bus_, {}};
};

}  // namespace

TEST(ads1x15_convert, full_scale_ranges_and_lsb_sizes) {
    EXPECT_DOUBLE_EQ(hw::ads1x15_full_scale(ads1x15_gain::fsr_6v144), 6.144);
    EXPECT_DOUBLE_EQ(hw::ads1x15_full_scale(ads1x15_gain::fsr_0v256), 0.256);
    EXPECT_DOUBLE_EQ(hw::ads1x15_full_scale(static_cast<ads1x15_gain>(7)), 0.256);
    // Datasheet "Full-Scale Range and Corresponding LSB Size": 187.5 µV .. 7.8125 µV (ADS1115),
    // 3 mV .. 0.125 mV (ADS1015).
    EXPECT_DOUBLE_EQ(hw::ads1x15_volts(ads1x15_chip::ads1115, 0x0001, ads1x15_gain::fsr_6v144),
                     187.5e-6);
    EXPECT_DOUBLE_EQ(hw::ads1x15_volts(ads1x15_chip::ads1115, 0x0001, ads1x15_gain::fsr_2v048),
                     62.5e-6);
    EXPECT_DOUBLE_EQ(hw::ads1x15_volts(ads1x15_chip::ads1115, 0x0001, ads1x15_gain::fsr_0v256),
                     7.8125e-6);
    EXPECT_DOUBLE_EQ(hw::ads1x15_volts(ads1x15_chip::ads1015, 0x0010, ads1x15_gain::fsr_6v144),
                     3e-3);
    EXPECT_DOUBLE_EQ(hw::ads1x15_volts(ads1x15_chip::ads1015, 0x0010, ads1x15_gain::fsr_0v256),
                     0.125e-3);
}

TEST(ads1x15_convert, output_codes_table) {
    // Datasheet "Output Data Format": +FS (2^15−1)/2^15, −1 LSB 0xFFFF, −FS 0x8000.
    const auto c = ads1x15_chip::ads1115;
    const auto g = ads1x15_gain::fsr_2v048;
    EXPECT_DOUBLE_EQ(hw::ads1x15_volts(c, 0x7FFF, g), 2.048 * 32767 / 32768);
    EXPECT_DOUBLE_EQ(hw::ads1x15_volts(c, 0x0000, g), 0.0);
    EXPECT_DOUBLE_EQ(hw::ads1x15_volts(c, 0xFFFF, g), -62.5e-6);
    EXPECT_DOUBLE_EQ(hw::ads1x15_volts(c, 0x8000, g), -2.048);
    // ADS1015: 12 bits left-justified.
    EXPECT_DOUBLE_EQ(hw::ads1x15_volts(ads1x15_chip::ads1015, 0x7FF0, g), 2.048 * 2047 / 2048);
    EXPECT_DOUBLE_EQ(hw::ads1x15_volts(ads1x15_chip::ads1015, 0xFFF0, g), -1e-3);
}

TEST(ads1x15_convert, single_shot_config_words) {
    // OS=1, MUX=100 (AIN0/GND), PGA=001 (±4.096 V), MODE=1, DR=100 (128 SPS), COMP_QUE=11.
    EXPECT_EQ(hw::ads1x15_single_shot_config(0, ads1x15_gain::fsr_4v096, 4), 0xC383);
    // AIN3/GND, ±6.144 V, 860 SPS.
    EXPECT_EQ(hw::ads1x15_single_shot_config(3, ads1x15_gain::fsr_6v144, 7), 0xF1E3);
    // The reset value with OS, MUX and nothing else changed: AIN0/AIN1 is not single-ended.
    EXPECT_EQ(hw::ads1x15_single_shot_config(0, ads1x15_gain::fsr_2v048, 4) & 0x0FFF,
              hw::ads1x15_config_reset & 0x0FFF);
}

TEST(ads1x15_convert, data_rates_per_chip) {
    std::uint8_t bits = 0xFF;
    EXPECT_TRUE(hw::ads1x15_data_rate_bits(ads1x15_chip::ads1115, 0, bits));
    EXPECT_EQ(bits, 4);
    EXPECT_TRUE(hw::ads1x15_data_rate_bits(ads1x15_chip::ads1115, 860, bits));
    EXPECT_EQ(bits, 7);
    EXPECT_TRUE(hw::ads1x15_data_rate_bits(ads1x15_chip::ads1115, 8, bits));
    EXPECT_EQ(bits, 0);
    EXPECT_FALSE(hw::ads1x15_data_rate_bits(ads1x15_chip::ads1115, 1600, bits));
    EXPECT_TRUE(hw::ads1x15_data_rate_bits(ads1x15_chip::ads1015, 1600, bits));
    EXPECT_EQ(bits, 4);
    EXPECT_EQ(hw::ads1x15_data_rates(ads1x15_chip::ads1015)[4], 1600u);
    EXPECT_EQ(hw::ads1x15_conversion_time(ads1x15_chip::ads1115, 4), 7813us);
    EXPECT_EQ(hw::ads1x15_conversion_time(ads1x15_chip::ads1115, 0), 125ms);
    EXPECT_EQ(hw::ads1x15_conversion_time(ads1x15_chip::ads1015, 4), 625us);
}

TEST(ads1x15_decode, saturation_damage_and_impossible_inputs) {
    const std::string where = "i2c-1 0x48 ads1115 AIN0";
    for (std::uint16_t raw : {0x7FFF, 0x8000}) {
        auto r = hw::ads1x15_decode(ads1x15_chip::ads1115, raw, ads1x15_gain::fsr_2v048, where);
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.err().code, hw::hw_errc::out_of_range);
        EXPECT_NE(r.err().message.find("saturated"), std::string::npos) << r.err().message;
    }
    EXPECT_TRUE(
        hw::ads1x15_decode(ads1x15_chip::ads1115, 0x7FFE, ads1x15_gain::fsr_2v048, where).ok());
    EXPECT_EQ(hw::ads1x15_decode(ads1x15_chip::ads1015, 0x7FF0, ads1x15_gain::fsr_2v048, where)
                  .err()
                  .code,
              hw::hw_errc::out_of_range);
    auto damaged =
        hw::ads1x15_decode(ads1x15_chip::ads1015, 0x1234, ads1x15_gain::fsr_2v048, where);
    ASSERT_FALSE(damaged.ok());
    EXPECT_NE(damaged.err().message.find("low 4 bits"), std::string::npos);
    // −0.5 V at ±6.144 V: code −2667 = 0xF595; single-ended inputs stop at GND − 0.3 V.
    EXPECT_EQ(hw::ads1x15_decode(ads1x15_chip::ads1115, 0xF595, ads1x15_gain::fsr_6v144, where)
                  .err()
                  .code,
              hw::hw_errc::out_of_range);
    auto slightly_negative =
        hw::ads1x15_decode(ads1x15_chip::ads1115, 0xFFFE, ads1x15_gain::fsr_2v048, where);
    ASSERT_TRUE(slightly_negative.ok()) << "offset noise around 0 V is a reading";
    EXPECT_DOUBLE_EQ(*slightly_negative, -125e-6);
}

TEST(ads1x15_identity, reset_values_and_what_an_lm75_reads) {
    EXPECT_TRUE(hw::ads1x15_registers_plausible(0x8583, 0x8000, 0x7FFF));
    EXPECT_TRUE(hw::ads1x15_registers_plausible(0xF3E3, 0x8000, 0x7FFF)) << "after our conversions";
    EXPECT_FALSE(hw::ads1x15_registers_plausible(0x8483, 0x8000, 0x7FFF)) << "continuous mode";
    EXPECT_FALSE(hw::ads1x15_registers_plausible(0x8580, 0x8000, 0x7FFF)) << "comparator on";
    EXPECT_FALSE(hw::ads1x15_registers_plausible(0x0000, 0x4B00, 0x5000)) << "an LM75";
}

TEST_F(ads1115_sim, measures_all_four_channels) {
    ASSERT_TRUE(sensor_.open().ok());
    EXPECT_EQ(sensor_.type(), "ads1115");
    chip_->set_inputs({0.0, 1.234, 3.3, 4.0});
    auto r = sensor_.measure();
    ASSERT_TRUE(r.ok()) << r.err().message;
    ASSERT_EQ(r->size(), 4u);
    const double expected[] = {0.0, 1.234, 3.3, 4.0};
    for (int i = 0; i < 4; ++i) {
        EXPECT_EQ((*r)[i].name, "voltage" + std::to_string(i));
        EXPECT_EQ((*r)[i].unit, "V");
        EXPECT_NEAR((*r)[i].value, expected[i], 63e-6) << "half an LSB of 125 µV";
    }
    EXPECT_EQ(chip_->conversions_started(), 4);
}

TEST_F(ads1115_sim, only_the_configured_channels) {
    hw::ads1115 sensor(bus_, {.channels = {false, true, false, true}});
    ASSERT_TRUE(sensor.open().ok());
    chip_->set_inputs({1.0, 2.0, 3.0, 0.5});
    auto r = sensor.measure();
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r->size(), 2u);
    EXPECT_EQ((*r)[0].name, "voltage1");
    EXPECT_NEAR((*r)[0].value, 2.0, 1e-4);
    EXPECT_EQ((*r)[1].name, "voltage3");
    EXPECT_NEAR((*r)[1].value, 0.5, 1e-4);
}

TEST_F(ads1115_sim, every_gain) {
    chip_->set_inputs({0.2, -0.01, 0.0, 0.0});
    for (int g = 0; g < 6; ++g) {
        const auto gain = static_cast<ads1x15_gain>(g);
        hw::ads1115 sensor(bus_, {.channels = {true, true, false, false}, .gain = gain});
        ASSERT_TRUE(sensor.open().ok());
        auto r = sensor.measure();
        ASSERT_TRUE(r.ok()) << g << ": " << r.err().message;
        const double lsb = hw::ads1x15_full_scale(gain) / 32768;
        EXPECT_NEAR((*r)[0].value, 0.2, lsb) << "gain " << g;
        EXPECT_NEAR((*r)[1].value, -0.01, lsb) << "a slightly negative input, gain " << g;
    }
}

TEST_F(ads1115_sim, saturated_input_is_an_error_naming_the_channel) {
    ASSERT_TRUE(sensor_.open().ok());
    chip_->set_inputs({1.0, 1.0, 4.5, 1.0});  // above ±4.096 V
    auto r = sensor_.measure();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.err().code, hw::hw_errc::out_of_range);
    EXPECT_NE(r.err().message.find("sim-i2c-0 0x48 ads1115 AIN2"), std::string::npos)
        << r.err().message;
}

TEST_F(ads1115_sim, ads1015_twelve_bits) {
    auto chip = std::make_shared<hw::sim_ads1115>(ads1x15_chip::ads1015);
    bus_.attach(0x49, chip);
    hw::ads1115 sensor(bus_, {.address = 0x49, .chip = ads1x15_chip::ads1015});
    ASSERT_TRUE(sensor.open().ok());
    EXPECT_EQ(sensor.type(), "ads1015");
    chip->set_inputs({0.0, 0.5, 2.5, 3.3});
    auto r = sensor.measure();
    ASSERT_TRUE(r.ok()) << r.err().message;
    const double expected[] = {0.0, 0.5, 2.5, 3.3};
    for (int i = 0; i < 4; ++i) EXPECT_NEAR((*r)[i].value, expected[i], 1e-3);
    chip->set_input(1, 5.0);
    EXPECT_EQ(sensor.measure().err().code, hw::hw_errc::out_of_range);
}

TEST_F(ads1115_sim, slowest_and_fastest_data_rates) {
    chip_->set_inputs({1.5, 0, 0, 0});
    for (unsigned sps : {8u, 860u}) {
        hw::ads1115 sensor(bus_, {.channels = {true, false, false, false}, .data_rate = sps});
        ASSERT_TRUE(sensor.open().ok());
        auto r = sensor.measure();
        ASSERT_TRUE(r.ok()) << sps;
        EXPECT_NEAR((*r)[0].value, 1.5, 1e-4);
    }
}

TEST_F(ads1115_sim, unsupported_configs) {
    hw::ads1115 rate(bus_, {.data_rate = 1600});  // an ADS1015 rate
    EXPECT_EQ(rate.open().err().code, hw::hw_errc::not_supported);
    hw::ads1115 none(bus_, {.channels = {false, false, false, false}});
    EXPECT_EQ(none.open().err().code, hw::hw_errc::not_supported);
    hw::ads1115 closed(bus_, {});
    EXPECT_EQ(closed.measure().err().code, hw::hw_errc::io_error);
}

TEST_F(ads1115_sim, conversion_that_never_finishes_times_out) {
    ASSERT_TRUE(sensor_.open().ok());
    chip_->set_stuck(true);
    auto r = sensor_.measure();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.err().code, hw::hw_errc::timeout);
    EXPECT_NE(r.err().message.find("OS stuck"), std::string::npos) << r.err().message;
}

TEST_F(ads1115_sim, nack_fault) {
    bus_.set_fault(0x48, {.nack = true});
    auto o = sensor_.open();
    ASSERT_FALSE(o.ok());
    EXPECT_EQ(o.err().code, hw::hw_errc::no_device);
    EXPECT_NE(o.err().message.find("sim-i2c-0 0x48 reg 0x01"), std::string::npos)
        << o.err().message;
}

TEST_F(ads1115_sim, corrupt_fault) {
    bus_.set_fault(0x48, {.corrupt = true});
    EXPECT_EQ(sensor_.open().err().code, hw::hw_errc::bad_chip_id) << "thresholds read wrong";
    bus_.set_fault(0x48, {});
    ASSERT_TRUE(sensor_.open().ok());
    // ADS1115: a flipped low byte is another plausible code; ADS1015: its zero nibble shows it.
    chip_->set_inputs({1.0, 1.0, 1.0, 1.0});
    bus_.set_fault(0x48, {.corrupt = true});
    auto r = sensor_.measure();
    ASSERT_TRUE(r.ok());
    EXPECT_NE((*r)[0].value, 1.0);
    EXPECT_NEAR((*r)[0].value, 1.0, 256 * 125e-6);

    auto chip = std::make_shared<hw::sim_ads1115>(ads1x15_chip::ads1015);
    bus_.attach(0x4A, chip);
    hw::ads1115 twelve(bus_, {.address = 0x4A, .chip = ads1x15_chip::ads1015});
    ASSERT_TRUE(twelve.open().ok());
    bus_.set_fault(0x4A, {.corrupt = true});
    auto t = twelve.measure();
    ASSERT_FALSE(t.ok());
    EXPECT_EQ(t.err().code, hw::hw_errc::out_of_range);
}

TEST_F(ads1115_sim, stall_fault_times_out) {
    ASSERT_TRUE(sensor_.open().ok());
    bus_.set_fault(0x48, {.stall = 50ms});
    const auto start = std::chrono::steady_clock::now();
    auto r = sensor_.measure();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.err().code, hw::hw_errc::timeout);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
}

TEST_F(ads1115_sim, a_temperature_sensor_at_the_address_is_a_bad_chip_id) {
    bus_.attach(0x49, std::make_shared<hw::sim_lm75>(hw::lm75_variant::tmp102));
    hw::ads1115 sensor(bus_, {.address = 0x49});
    auto o = sensor.open();
    ASSERT_FALSE(o.ok());
    EXPECT_EQ(o.err().code, hw::hw_errc::bad_chip_id);
    EXPECT_NE(o.err().message.find("sim-i2c-0 0x49"), std::string::npos) << o.err().message;
    EXPECT_NE(o.err().message.find("0x4B00"), std::string::npos) << o.err().message;
}

TEST_F(ads1115_sim, reopening_a_used_chip_works) {
    ASSERT_TRUE(sensor_.open().ok());
    ASSERT_TRUE(sensor_.measure().ok());
    hw::ads1115 again(bus_, {});
    EXPECT_TRUE(again.open().ok()) << "config no longer reads 0x8583, but is still plausible";
}

TEST_F(ads1115_sim, probe) {
    bus_.attach(0x49, std::make_shared<hw::sim_lm75>());
    EXPECT_TRUE(hw::ads1115_probe(bus_, 0x48));
    EXPECT_FALSE(hw::ads1115_probe(bus_, 0x49));
    EXPECT_FALSE(hw::ads1115_probe(bus_, 0x4B));
    EXPECT_EQ(chip_->conversions_started(), 0) << "reads only";
}

TEST_F(ads1115_sim, sim_differential_mux_and_continuous_mode) {
    // Not used by the driver, but the model follows the datasheet's MUX table.
    chip_->set_inputs({2.0, 0.5, 0.0, 1.0});
    const std::array<std::uint8_t, 3> continuous_ain0_ain1{0x01, 0x02,
                                                           0x83};  // MUX 000, PGA 001, MODE 0
    const std::array<std::uint8_t, 1> conversion{0x00};
    std::array<std::uint8_t, 2> out{};
    ASSERT_TRUE(bus_.write(0x48, continuous_ain0_ain1).ok());
    ASSERT_TRUE(bus_.write_read(0x48, conversion, out).ok());
    EXPECT_EQ(out[0] << 8 | out[1],
              hw::sim_ads1115::code(ads1x15_chip::ads1115, 1.5, ads1x15_gain::fsr_4v096));
}
