// LM75 and TMP102: the datasheets' temperature tables, the format and range checks, then end
// to end through the simulated chips: several temperatures including negatives, saturation,
// extended mode, leaving shutdown, every injected fault, a foreign chip, the probes.
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include <array>
#include <chrono>

#include "hw/sensors/lm75.hpp"
#include "hw/sim/sim_ads1115.hpp"
#include "hw/sim/sim_ina219.hpp"
#include "hw/sim/sim_lm75.hpp"

using namespace std::chrono_literals;
namespace hw = piogate::hw;
using hw::lm75_variant;

namespace {

struct row {
    std::uint16_t word;
    double celsius;
};

class lm75_sim : public ::testing::Test {
protected:
    void SetUp() override {
        bus_.attach(0x48, lm75_chip_);
        bus_.attach(0x49, tmp102_chip_);
    }
    hw::sim_i2c_bus bus_{"sim-i2c-0"};
    std::shared_ptr<hw::sim_lm75> lm75_chip_ = std::make_shared<hw::sim_lm75>();
    std::shared_ptr<hw::sim_lm75> tmp102_chip_ =
        std::make_shared<hw::sim_lm75>(lm75_variant::tmp102);
    hw::lm75 lm75_{bus_, {}};
    hw::lm75 tmp102_{bus_, {.address = 0x49, .variant = lm75_variant::tmp102}};
};

}  // namespace

TEST(lm75_convert, datasheet_temperature_table) {
    // LM75 datasheet, "Temperature Data Format": 9 bits, 0.5 °C.
    for (const row r : {row{0x7D00, 125.0}, row{0x1900, 25.0}, row{0x0080, 0.5}, row{0x0000, 0.0},
                        row{0xFF80, -0.5}, row{0xE700, -25.0}, row{0xC900, -55.0}}) {
        EXPECT_DOUBLE_EQ(hw::lm75_celsius(r.word), r.celsius) << std::hex << r.word;
    }
}

TEST(tmp102_convert, datasheet_temperature_table_normal_mode) {
    // TMP102 datasheet, "Temperature Data Format": 12 bits, 0.0625 °C (shown as 16-bit words).
    for (const row r :
         {row{0x7FF0, 127.9375}, row{0x6400, 100.0}, row{0x5000, 80.0}, row{0x4B00, 75.0},
          row{0x3200, 50.0}, row{0x1900, 25.0}, row{0x0040, 0.25}, row{0x0000, 0.0},
          row{0xFFC0, -0.25}, row{0xE700, -25.0}, row{0xC900, -55.0}}) {
        EXPECT_DOUBLE_EQ(hw::tmp102_celsius(r.word, false), r.celsius) << std::hex << r.word;
    }
}

TEST(tmp102_convert, datasheet_temperature_table_extended_mode) {
    // 13 bits, shifted left by 3, bit 0 set: 150 °C = 0 1001 0110 0000 → 0x4B01.
    for (const row r :
         {row{0x4B01, 150.0}, row{0x4001, 128.0}, row{0x3FF9, 127.9375}, row{0x0C81, 25.0},
          row{0x0001, 0.0}, row{0xFFF9, -0.0625}, row{0xE481, -55.0}}) {
        EXPECT_DOUBLE_EQ(hw::tmp102_celsius(r.word, true), r.celsius) << std::hex << r.word;
    }
}

TEST(lm75_decode, checks) {
    const std::string where = "i2c-1 0x48 reg 0x00: lm75";
    EXPECT_DOUBLE_EQ(*hw::lm75_decode(lm75_variant::lm75, 0xE700, false, where), -25.0);
    EXPECT_DOUBLE_EQ(*hw::lm75_decode(lm75_variant::lm75, 0x19E0, false, where), 25.5)
        << "an 11-bit LM75B's extra bits are ignored";
    auto damaged = hw::lm75_decode(lm75_variant::lm75, 0x19FF, false, where);
    ASSERT_FALSE(damaged.ok());
    EXPECT_EQ(damaged.err().code, hw::hw_errc::out_of_range);
    EXPECT_NE(damaged.err().message.find("i2c-1 0x48 reg 0x00: lm75: temperature word 0x19FF"),
              std::string::npos)
        << damaged.err().message;
    auto hot = hw::lm75_decode(lm75_variant::lm75, 0x7F80, false, where);  // 127.5 °C
    ASSERT_FALSE(hot.ok());
    EXPECT_EQ(hot.err().code, hw::hw_errc::out_of_range);
    EXPECT_EQ(hw::lm75_decode(lm75_variant::lm75, 0xC880, false, where).err().code,
              hw::hw_errc::out_of_range)
        << "-55.5 °C";
}

TEST(tmp102_decode, checks) {
    const std::string where = "i2c-1 0x48 reg 0x00: tmp102";
    auto wrong_format = hw::tmp102_celsius(0x1900, false);
    EXPECT_DOUBLE_EQ(wrong_format, 25.0);
    auto f = hw::lm75_decode(lm75_variant::tmp102, 0x0C81, false, where);
    ASSERT_FALSE(f.ok());
    EXPECT_NE(f.err().message.find("extended format, configured normal"), std::string::npos)
        << f.err().message;
    EXPECT_FALSE(hw::lm75_decode(lm75_variant::tmp102, 0x1900, true, where).ok());
    auto saturated = hw::lm75_decode(lm75_variant::tmp102, 0x7FF0, false, where);
    ASSERT_FALSE(saturated.ok());
    EXPECT_NE(saturated.err().message.find("saturated"), std::string::npos);
    EXPECT_DOUBLE_EQ(*hw::lm75_decode(lm75_variant::tmp102, 0x4B01, true, where), 150.0);
    EXPECT_FALSE(hw::lm75_decode(lm75_variant::tmp102, 0x4B09, true, where).ok()) << "150.0625 °C";
    EXPECT_FALSE(hw::lm75_decode(lm75_variant::tmp102, 0x1902, false, where).ok()) << "bit 1";
    EXPECT_FALSE(hw::lm75_decode(lm75_variant::tmp102, 0x1908, false, where).ok()) << "bit 3";
}

TEST_F(lm75_sim, lm75_measures_across_the_range) {
    ASSERT_TRUE(lm75_.open().ok());
    EXPECT_EQ(lm75_.type(), "lm75");
    for (double c : {21.5, 0.0, -0.5, -10.0, -55.0, 124.9, 37.2}) {
        lm75_chip_->set_temperature(c);
        auto r = lm75_.measure();
        ASSERT_TRUE(r.ok()) << c << ": " << r.err().message;
        ASSERT_EQ(r->size(), 1u);
        EXPECT_EQ((*r)[0].name, "temperature");
        EXPECT_EQ((*r)[0].unit, "°C");
        EXPECT_NEAR((*r)[0].value, c, 0.25);
    }
}

TEST_F(lm75_sim, lm75_beyond_its_range_is_an_error) {
    for (double c : {130.0, 200.0, -60.0}) {
        lm75_chip_->set_temperature(c);
        auto r = lm75_.measure();
        ASSERT_FALSE(r.ok()) << c;
        EXPECT_EQ(r.err().code, hw::hw_errc::out_of_range);
        EXPECT_NE(r.err().message.find("sim-i2c-0 0x48 reg 0x00: lm75"), std::string::npos)
            << r.err().message;
    }
}

TEST_F(lm75_sim, tmp102_measures_across_the_range) {
    ASSERT_TRUE(tmp102_.open().ok());
    EXPECT_EQ(tmp102_.type(), "tmp102");
    EXPECT_EQ(tmp102_chip_->word(0x01), 0x60A0) << "nothing to change after reset";
    for (double c : {21.5, 0.0625, -0.25, -40.0, -55.0, 125.0, 99.99}) {
        tmp102_chip_->set_temperature(c);
        auto r = tmp102_.measure();
        ASSERT_TRUE(r.ok()) << c << ": " << r.err().message;
        EXPECT_NEAR((*r)[0].value, c, 0.032);
    }
    tmp102_chip_->set_temperature(140.0);
    EXPECT_EQ(tmp102_.measure().err().code, hw::hw_errc::out_of_range) << "normal mode saturates";
}

TEST_F(lm75_sim, tmp102_extended_mode_reads_above_128) {
    hw::lm75 sensor(bus_, {.address = 0x49, .variant = lm75_variant::tmp102, .extended = true});
    ASSERT_TRUE(sensor.open().ok());
    EXPECT_EQ(tmp102_chip_->word(0x01), 0x60B0);
    for (double c : {140.0, 150.0, 21.5, -54.9}) {
        tmp102_chip_->set_temperature(c);
        auto r = sensor.measure();
        ASSERT_TRUE(r.ok()) << c << ": " << r.err().message;
        EXPECT_NEAR((*r)[0].value, c, 0.032);
    }
    tmp102_chip_->set_temperature(160.0);
    EXPECT_EQ(sensor.measure().err().code, hw::hw_errc::out_of_range);
    // The normal-mode driver now sees the extended format and says so.
    auto r = tmp102_.measure();
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.err().message.find("extended format"), std::string::npos);
}

TEST_F(lm75_sim, open_leaves_shutdown) {
    const std::array<std::uint8_t, 2> lm75_shutdown{0x01, 0x01};
    ASSERT_TRUE(bus_.write(0x48, lm75_shutdown).ok());
    ASSERT_TRUE(lm75_chip_->shut_down());
    ASSERT_TRUE(lm75_.open().ok());
    EXPECT_FALSE(lm75_chip_->shut_down());
    EXPECT_EQ(lm75_chip_->word(0x01), 0x00);

    const std::array<std::uint8_t, 3> tmp102_shutdown{0x01, 0x61, 0xA0};
    ASSERT_TRUE(bus_.write(0x49, tmp102_shutdown).ok());
    ASSERT_TRUE(tmp102_chip_->shut_down());
    ASSERT_TRUE(tmp102_.open().ok());
    EXPECT_FALSE(tmp102_chip_->shut_down());
}

TEST_F(lm75_sim, shut_down_chip_keeps_its_last_value) {
    lm75_chip_->set_temperature(20.0);
    ASSERT_TRUE(lm75_.measure().ok());
    const std::array<std::uint8_t, 2> shutdown{0x01, 0x01};
    ASSERT_TRUE(bus_.write(0x48, shutdown).ok());
    lm75_chip_->set_temperature(30.0);
    auto r = lm75_.measure();
    ASSERT_TRUE(r.ok());
    EXPECT_DOUBLE_EQ((*r)[0].value, 20.0);
}

TEST_F(lm75_sim, tmp102_driver_on_an_lm75_is_a_bad_chip_id) {
    hw::lm75 sensor(bus_, {.address = 0x48, .variant = lm75_variant::tmp102});
    auto o = sensor.open();
    ASSERT_FALSE(o.ok());
    EXPECT_EQ(o.err().code, hw::hw_errc::bad_chip_id);
    EXPECT_NE(o.err().message.find("sim-i2c-0 0x48 reg 0x01: tmp102"), std::string::npos)
        << o.err().message;
}

TEST_F(lm75_sim, nack_fault) {
    bus_.set_fault(0x48, {.nack = true});
    auto o = lm75_.open();
    ASSERT_FALSE(o.ok());
    EXPECT_EQ(o.err().code, hw::hw_errc::no_device);
    EXPECT_NE(o.err().message.find("sim-i2c-0 0x48"), std::string::npos) << o.err().message;
    auto m = lm75_.measure();
    ASSERT_FALSE(m.ok());
    EXPECT_EQ(m.err().code, hw::hw_errc::no_device);
    EXPECT_NE(m.err().message.find("lm75: reading temperature"), std::string::npos)
        << m.err().message;
}

TEST_F(lm75_sim, corrupt_fault_shows_in_the_always_zero_bits) {
    bus_.set_fault(0x48, {.corrupt = true});
    bus_.set_fault(0x49, {.corrupt = true});
    EXPECT_EQ(lm75_.measure().err().code, hw::hw_errc::out_of_range);
    EXPECT_EQ(tmp102_.measure().err().code, hw::hw_errc::out_of_range);
    EXPECT_EQ(tmp102_.open().err().code, hw::hw_errc::bad_chip_id) << "config 0x605F";
    bus_.set_fault(0x48, {});
    EXPECT_TRUE(lm75_.measure().ok()) << "recovers once the fault is gone";
}

TEST_F(lm75_sim, stall_fault_times_out) {
    bus_.set_fault(0x49, {.stall = 50ms});
    const auto start = std::chrono::steady_clock::now();
    auto r = tmp102_.measure();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.err().code, hw::hw_errc::timeout);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
}

TEST_F(lm75_sim, probes_tell_the_chips_apart) {
    bus_.attach(0x4A, std::make_shared<hw::sim_ads1115>());
    bus_.attach(0x4B, std::make_shared<hw::sim_ina219>());
    EXPECT_TRUE(hw::lm75_probe(bus_, 0x48));
    EXPECT_FALSE(hw::lm75_probe(bus_, 0x49)) << "a TMP102's 16-bit configuration";
    EXPECT_FALSE(hw::lm75_probe(bus_, 0x4A));
    EXPECT_FALSE(hw::lm75_probe(bus_, 0x4B));
    EXPECT_FALSE(hw::lm75_probe(bus_, 0x4C));
    EXPECT_TRUE(hw::tmp102_probe(bus_, 0x49));
    EXPECT_FALSE(hw::tmp102_probe(bus_, 0x48));
    EXPECT_FALSE(hw::tmp102_probe(bus_, 0x4A));
    EXPECT_FALSE(hw::tmp102_probe(bus_, 0x4C));
    EXPECT_EQ(tmp102_chip_->word(0x01), 0x60A0) << "reads only";
}
