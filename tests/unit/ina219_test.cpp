// INA219: the datasheet's calibration equations and worked example, then end to end through
// the simulated chip: several loads including reverse current, clipping, overflow, both bus
// ranges, averaging, the identity check and reset, every injected fault, the probe.
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include <array>
#include <chrono>

#include "hw/sensors/ina219.hpp"
#include "hw/sim/sim_ads1115.hpp"
#include "hw/sim/sim_ina219.hpp"
#include "hw/sim/sim_lm75.hpp"
#include "hw/sim/sim_register_device.hpp"

using namespace std::chrono_literals;
namespace hw = piogate::hw;

namespace {

class ina219_sim : public ::testing::Test {
protected:
    void SetUp() override { bus_.attach(0x40, chip_); }
    hw::sim_i2c_bus bus_{"sim-i2c-0"};
    std::shared_ptr<hw::sim_ina219> chip_ = std::make_shared<hw::sim_ina219>(0.1);
    hw::ina219 sensor_{bus_, {}};
};

double value(const hw::reading& r, const std::string& name) {
    for (const auto& m : r) {
        if (m.name == name) return m.value;
    }
    ADD_FAILURE() << "no " << name;
    return 0;
}

}  // namespace

TEST(ina219_calibration, datasheet_equations) {
    // Datasheet example: 10 A through a 2 mΩ shunt with a 1 mA current LSB: Cal = 20480.
    EXPECT_EQ(hw::ina219_calibration(0.001, 0.002), 20480);
    EXPECT_DOUBLE_EQ(hw::ina219_effective_current_lsb(20480, 0.002), 0.001);
    // 0.1 Ω, 2 A expected: minimum LSB 2 / 2^15 = 61.04 µA, Cal = trunc(6710.9) = 6710.
    EXPECT_NEAR(hw::ina219_min_current_lsb(2.0), 61.035e-6, 1e-9);
    EXPECT_EQ(hw::ina219_calibration(hw::ina219_min_current_lsb(2.0), 0.1), 6710);
    // 1 A: trunc(13421.8) = 13421; bit 0 does not exist in the register.
    EXPECT_EQ(hw::ina219_calibration(hw::ina219_min_current_lsb(1.0), 0.1), 13420);
    EXPECT_EQ(hw::ina219_calibration(hw::ina219_min_current_lsb(3.2), 0.1), 4194);
    EXPECT_EQ(hw::ina219_calibration(1e-6, 0.1), 0) << "409600 does not fit";
    EXPECT_EQ(hw::ina219_calibration(0.0, 0.1), 0);
}

TEST(ina219_calibration, pga_averaging_and_timing) {
    EXPECT_EQ(hw::ina219_pga_for(0.04), 0);
    EXPECT_EQ(hw::ina219_pga_for(0.05), 1);
    EXPECT_EQ(hw::ina219_pga_for(0.16), 2);
    EXPECT_EQ(hw::ina219_pga_for(0.32), 3);
    EXPECT_EQ(hw::ina219_pga_for(0.33), -1);
    EXPECT_EQ(hw::ina219_adc_bits(1), 0x3);
    EXPECT_EQ(hw::ina219_adc_bits(2), 0x9);
    EXPECT_EQ(hw::ina219_adc_bits(128), 0xF);
    EXPECT_EQ(hw::ina219_adc_bits(3), -1);
    EXPECT_EQ(hw::ina219_adc_time(0x3), 532us);
    EXPECT_EQ(hw::ina219_adc_time(0x0), 84us);
    EXPECT_EQ(hw::ina219_adc_time(0xF), 68100us);
}

TEST(ina219_decode, datasheet_worked_example) {
    // 12 V bus: 3000 × 4 mV, CNVR set; 20 mV shunt: 2000 × 10 µV; current register
    // 2000 × 20480 / 4096 = 10000; power register 10000 × 3000 / 5000 = 6000.
    EXPECT_DOUBLE_EQ(hw::ina219_bus_volts(0x5DC2), 12.0);
    EXPECT_DOUBLE_EQ(hw::ina219_shunt_volts(0x07D0), 0.02);
    EXPECT_DOUBLE_EQ(hw::ina219_shunt_volts(0xF060), -0.04);
    const hw::ina219_raw raw{.bus = 0x5DC2, .shunt = 2000, .current = 10000, .power = 6000};
    auto r = hw::ina219_decode(raw, 0.001, 0, true, "i2c-1 0x40 ina219");
    ASSERT_TRUE(r.ok()) << r.err().message;
    ASSERT_EQ(r->size(), 3u);
    EXPECT_EQ((*r)[0].name, "voltage");
    EXPECT_EQ((*r)[0].unit, "V");
    EXPECT_DOUBLE_EQ((*r)[0].value, 12.0);
    EXPECT_EQ((*r)[1].name, "current");
    EXPECT_EQ((*r)[1].unit, "A");
    EXPECT_DOUBLE_EQ((*r)[1].value, 10.0);
    EXPECT_EQ((*r)[2].name, "power");
    EXPECT_EQ((*r)[2].unit, "W");
    EXPECT_DOUBLE_EQ((*r)[2].value, 120.0);
}

TEST(ina219_decode, impossible_values) {
    const std::string where = "i2c-1 0x40 ina219";
    const hw::ina219_raw ovf{.bus = 0x5DC3, .shunt = 2000, .current = 10000, .power = 6000};
    auto r = hw::ina219_decode(ovf, 0.001, 0, true, where);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.err().code, hw::hw_errc::out_of_range);
    EXPECT_NE(r.err().message.find("i2c-1 0x40 ina219: overflow"), std::string::npos);
    const hw::ina219_raw clipped{.bus = 0x5DC2, .shunt = 4000};
    EXPECT_EQ(hw::ina219_decode(clipped, 0.001, 0, true, where).err().code,
              hw::hw_errc::out_of_range);
    EXPECT_TRUE(hw::ina219_decode(clipped, 0.001, 1, true, where).ok()) << "±80 mV range";
    const hw::ina219_raw reverse{.bus = 0x5DC2, .shunt = 0xF830, .current = 0xD8F0, .power = 6000};
    auto rev = hw::ina219_decode(reverse, 0.001, 0, true, where);
    ASSERT_TRUE(rev.ok());
    EXPECT_DOUBLE_EQ((*rev)[1].value, -10.0);
    EXPECT_DOUBLE_EQ((*rev)[2].value, 120.0);
    const hw::ina219_raw damaged{.bus = 0x5DC6};
    EXPECT_NE(hw::ina219_decode(damaged, 0.001, 0, true, where).err().message.find("damaged"),
              std::string::npos);
    const hw::ina219_raw at_16v{.bus = 4000 << 3 | 2};
    EXPECT_EQ(hw::ina219_decode(at_16v, 0.001, 0, false, where).err().code,
              hw::hw_errc::out_of_range);
    EXPECT_TRUE(hw::ina219_decode(at_16v, 0.001, 0, true, where).ok());
    const hw::ina219_raw at_27v{.bus = 6750 << 3 | 2};
    EXPECT_EQ(hw::ina219_decode(at_27v, 0.001, 0, true, where).err().code,
              hw::hw_errc::out_of_range);
}

TEST(ina219_identity, plausible_registers) {
    EXPECT_TRUE(hw::ina219_registers_plausible(0x019B, 0x1062, 0x5DC2));
    EXPECT_FALSE(hw::ina219_registers_plausible(0x8000, 0, 0));
    EXPECT_FALSE(hw::ina219_registers_plausible(0x4000, 0, 0));
    EXPECT_FALSE(hw::ina219_registers_plausible(0x399F, 0x0001, 0));
    EXPECT_FALSE(hw::ina219_registers_plausible(0x399F, 0, 0x0004));
}

TEST_F(ina219_sim, measures_several_loads) {
    ASSERT_TRUE(sensor_.open().ok());
    EXPECT_EQ(sensor_.type(), "ina219");
    EXPECT_EQ(sensor_.calibration(), 4194);
    EXPECT_EQ(chip_->word(0x05), 4194);
    EXPECT_EQ(chip_->resets(), 0) << "a chip in its reset state needs no reset";
    struct load {
        double volts, amps;
    };
    for (const load l : {load{12.0, 1.5}, load{5.0, 0.0}, load{3.3, -0.5}, load{24.0, 3.0},
                         load{0.0, 0.25}, load{25.9, 0.001}}) {
        chip_->set_bus(l.volts, l.amps);
        auto r = sensor_.measure();
        ASSERT_TRUE(r.ok()) << l.volts << " V " << l.amps << " A: " << r.err().message;
        EXPECT_NEAR(value(*r, "voltage"), l.volts, 0.002);
        EXPECT_NEAR(value(*r, "current"), l.amps, 2 * sensor_.current_lsb());
        EXPECT_NEAR(value(*r, "power"), l.volts * std::abs(l.amps), 0.005 + 0.001 * l.volts);
    }
    EXPECT_EQ(chip_->word(0x00), 0x399B) << "reset settings, MODE = shunt and bus, triggered";
    EXPECT_EQ(chip_->conversions_started(), 6);
}

TEST_F(ina219_sim, clipped_shunt_is_an_error) {
    ASSERT_TRUE(sensor_.open().ok());
    chip_->set_bus(5.0, 4.0);  // 400 mV across 0.1 Ω: beyond ±320 mV
    auto r = sensor_.measure();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.err().code, hw::hw_errc::out_of_range);
    EXPECT_NE(r.err().message.find("sim-i2c-0 0x40 ina219: shunt voltage"), std::string::npos)
        << r.err().message;
}

TEST_F(ina219_sim, overflow_flag_is_an_error) {
    hw::ina219 sensor(bus_, {.max_current = 1.0});  // ±160 mV, Cal 13420
    ASSERT_TRUE(sensor.open().ok());
    EXPECT_EQ(sensor.calibration(), 13420);
    chip_->set_bus(5.0, 1.5);  // 150 mV fits the PGA, 49145 does not fit the current register
    auto r = sensor.measure();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.err().code, hw::hw_errc::out_of_range);
    EXPECT_NE(r.err().message.find("overflow"), std::string::npos) << r.err().message;
    chip_->set_bus(5.0, 0.9);
    EXPECT_TRUE(sensor.measure().ok());
}

TEST_F(ina219_sim, bus_ranges) {
    hw::ina219 low(bus_, {.bus_32v = false});
    ASSERT_TRUE(low.open().ok());
    chip_->set_bus(12.0, 0.1);
    auto r = low.measure();
    ASSERT_TRUE(r.ok());
    EXPECT_NEAR(value(*r, "voltage"), 12.0, 0.002);
    EXPECT_EQ(chip_->word(0x00) & 0x2000, 0);
    chip_->set_bus(20.0, 0.1);
    EXPECT_EQ(low.measure().err().code, hw::hw_errc::out_of_range) << "clipped at 16 V";
    ASSERT_TRUE(sensor_.open().ok());
    chip_->set_bus(28.0, 0.1);
    EXPECT_EQ(sensor_.measure().err().code, hw::hw_errc::out_of_range) << "above the pins' 26 V";
}

TEST_F(ina219_sim, averaging) {
    hw::ina219 sensor(bus_, {.samples = 4});
    ASSERT_TRUE(sensor.open().ok());
    chip_->set_bus(7.2, 0.8);
    auto r = sensor.measure();
    ASSERT_TRUE(r.ok());
    EXPECT_NEAR(value(*r, "current"), 0.8, 2 * sensor.current_lsb());
    EXPECT_EQ(chip_->word(0x00), 0x3D53);
}

TEST_F(ina219_sim, unsupported_configs) {
    hw::ina219 too_much(bus_, {.max_current = 5.0});  // 500 mV
    EXPECT_EQ(too_much.open().err().code, hw::hw_errc::not_supported);
    hw::ina219 odd(bus_, {.samples = 3});
    EXPECT_EQ(odd.open().err().code, hw::hw_errc::not_supported);
    hw::ina219 fine(bus_, {.current_lsb = 1e-6});
    EXPECT_EQ(fine.open().err().code, hw::hw_errc::not_supported);
    hw::ina219 closed(bus_, {});
    EXPECT_EQ(closed.measure().err().code, hw::hw_errc::io_error);
}

TEST_F(ina219_sim, tiny_shunt_voltage_uses_the_finest_calibration) {
    auto chip = std::make_shared<hw::sim_ina219>(0.001);
    bus_.attach(0x41, chip);
    hw::ina219 sensor(bus_, {.address = 0x41, .shunt_ohms = 0.001, .max_current = 1.0});
    ASSERT_TRUE(sensor.open().ok());
    EXPECT_EQ(sensor.calibration(), 0xFFFE);
    chip->set_bus(5.0, 0.5);
    auto r = sensor.measure();
    ASSERT_TRUE(r.ok());
    EXPECT_NEAR(value(*r, "current"), 0.5, 0.011) << "10 µV over 1 mΩ: 10 mA steps";
}

TEST_F(ina219_sim, open_resets_a_configured_chip) {
    const std::array<std::uint8_t, 3> custom{0x00, 0x01, 0x9F};
    ASSERT_TRUE(bus_.write(0x40, custom).ok());
    ASSERT_TRUE(sensor_.open().ok());
    EXPECT_EQ(chip_->resets(), 1);
    ASSERT_TRUE(sensor_.measure().ok());
    hw::ina219 again(bus_, {});
    ASSERT_TRUE(again.open().ok()) << "after our own use";
    EXPECT_EQ(chip_->resets(), 2);
}

TEST_F(ina219_sim, chip_that_does_not_reset_like_an_ina219) {
    auto blank = std::make_shared<hw::sim_register_device>();
    bus_.attach(0x41, blank);
    hw::ina219 sensor(bus_, {.address = 0x41});
    auto o = sensor.open();
    ASSERT_FALSE(o.ok());
    EXPECT_EQ(o.err().code, hw::hw_errc::bad_chip_id);
    EXPECT_NE(o.err().message.find("sim-i2c-0 0x41 reg 0x00: ina219"), std::string::npos)
        << o.err().message;
    EXPECT_NE(o.err().message.find("after reset"), std::string::npos) << o.err().message;
}

TEST_F(ina219_sim, implausible_chip_is_not_reset) {
    auto other = std::make_shared<hw::sim_register_device>();
    other->set_reg(0x00, 0xFF);
    bus_.attach(0x42, other);
    hw::ina219 sensor(bus_, {.address = 0x42});
    auto o = sensor.open();
    ASSERT_FALSE(o.ok());
    EXPECT_EQ(o.err().code, hw::hw_errc::bad_chip_id);
    EXPECT_NE(o.err().message.find("not resetting"), std::string::npos) << o.err().message;
    EXPECT_EQ(other->reg(0x00), 0xFF) << "nothing written";
}

TEST_F(ina219_sim, conversion_that_never_finishes_times_out) {
    ASSERT_TRUE(sensor_.open().ok());
    chip_->set_stuck(true);
    auto r = sensor_.measure();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.err().code, hw::hw_errc::timeout);
    EXPECT_NE(r.err().message.find("CNVR"), std::string::npos) << r.err().message;
}

TEST_F(ina219_sim, nack_fault) {
    bus_.set_fault(0x40, {.nack = true});
    auto o = sensor_.open();
    ASSERT_FALSE(o.ok());
    EXPECT_EQ(o.err().code, hw::hw_errc::no_device);
    EXPECT_NE(o.err().message.find("sim-i2c-0 0x40 reg 0x00"), std::string::npos)
        << o.err().message;
}

TEST_F(ina219_sim, corrupt_fault) {
    bus_.set_fault(0x40, {.corrupt = true});
    auto o = sensor_.open();
    ASSERT_FALSE(o.ok());
    EXPECT_EQ(o.err().code, hw::hw_errc::bad_chip_id);
    EXPECT_EQ(chip_->resets(), 0) << "an implausible chip is not reset";
    bus_.set_fault(0x40, {});
    ASSERT_TRUE(sensor_.open().ok());
    bus_.set_fault(0x40, {.corrupt = true});
    auto r = sensor_.measure();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.err().code, hw::hw_errc::out_of_range);
    EXPECT_NE(r.err().message.find("damaged"), std::string::npos) << r.err().message;
}

TEST_F(ina219_sim, stall_fault_times_out) {
    ASSERT_TRUE(sensor_.open().ok());
    bus_.set_fault(0x40, {.stall = 50ms});
    const auto start = std::chrono::steady_clock::now();
    auto r = sensor_.measure();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.err().code, hw::hw_errc::timeout);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
}

TEST_F(ina219_sim, probe) {
    bus_.attach(0x48, std::make_shared<hw::sim_ads1115>());
    bus_.attach(0x49, std::make_shared<hw::sim_lm75>());
    EXPECT_TRUE(hw::ina219_probe(bus_, 0x40));
    ASSERT_TRUE(sensor_.open().ok());
    ASSERT_TRUE(sensor_.measure().ok());
    EXPECT_TRUE(hw::ina219_probe(bus_, 0x40)) << "configured, still recognised";
    EXPECT_FALSE(hw::ina219_probe(bus_, 0x41));
    EXPECT_FALSE(hw::ina219_probe(bus_, 0x48));
    EXPECT_FALSE(hw::ina219_probe(bus_, 0x49));
    EXPECT_EQ(chip_->resets(), 0);
}
