// HTU21D / Si7021: datasheet conversions and CRC, the kind bit, RH clipping, then end to end
// through the simulated chip: several climates, saturation, every fault, reading too early.
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include <array>
#include <chrono>
#include <thread>

#include "hw/sensors/crc8.hpp"
#include "hw/sensors/htu21d.hpp"
#include "hw/sim/sim_htu21d.hpp"
#include "hw/sim/sim_register_device.hpp"

using namespace std::chrono_literals;
namespace hw = piogate::hw;
using q = hw::htu21d_quantity;

namespace {

const std::string where = "i2c-1 0x40 htu21d";

std::array<std::uint8_t, 3> frame(std::uint16_t raw) {
    std::array<std::uint8_t, 3> f{static_cast<std::uint8_t>(raw >> 8),
                                  static_cast<std::uint8_t>(raw), 0};
    f[2] = hw::crc8(std::span(f).first(2), 0x31, 0x00);
    return f;
}

class htu21d_sim : public ::testing::Test {
protected:
    void SetUp() override { bus_.attach(0x40, chip_); }
    hw::sim_i2c_bus bus_{"sim-i2c-0"};
    std::shared_ptr<hw::sim_htu21d> chip_ = std::make_shared<hw::sim_htu21d>();
    hw::htu21d sensor_{bus_, {}};
};

}  // namespace

TEST(htu21d_convert, datasheet_formulas) {
    // 0x7C80: the humidity word of the datasheet's no-hold example, 54.8 %RH.
    EXPECT_NEAR(hw::htu21d_humidity(0x7C80), 54.79, 0.01);
    EXPECT_NEAR(hw::htu21d_celsius(0x683A), 24.69, 0.01);  // status bits are masked off
    EXPECT_DOUBLE_EQ(hw::htu21d_celsius(0x0000), -46.85);
    EXPECT_DOUBLE_EQ(hw::htu21d_humidity(0x0000), -6.0);
    EXPECT_NEAR(hw::htu21d_humidity(0xFFFE), 118.99, 0.01);
    EXPECT_DOUBLE_EQ(hw::htu21d_humidity(0x0003), -6.0);
}

TEST(htu21d_decode, datasheet_frame_with_its_crc) {
    // The no-hold sequence example: 0x7C 0x82 (status 10: humidity), checksum 0x97.
    const std::array<std::uint8_t, 3> f{0x7C, 0x82, 0x97};
    auto r = hw::htu21d_decode(f, q::humidity, where);
    ASSERT_TRUE(r.ok()) << r.err().message;
    EXPECT_NEAR(*r, 54.79, 0.01);
}

TEST(htu21d_decode, crc_mismatch_names_the_bytes) {
    const std::array<std::uint8_t, 3> f{0x7C, 0x82, 0x98};
    auto r = hw::htu21d_decode(f, q::humidity, where);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.err().code, hw::hw_errc::crc_mismatch);
    EXPECT_NE(r.err().message.find("i2c-1 0x40 htu21d: humidity"), std::string::npos);
    EXPECT_NE(r.err().message.find("0x7C 0x82"), std::string::npos) << r.err().message;
    EXPECT_NE(r.err().message.find("0x98"), std::string::npos);
}

TEST(htu21d_decode, the_kind_bit_must_match_the_command) {
    auto as_t = hw::htu21d_decode(frame(0x7C82), q::temperature, where);
    ASSERT_FALSE(as_t.ok());
    EXPECT_EQ(as_t.err().code, hw::hw_errc::out_of_range);
    auto as_rh = hw::htu21d_decode(frame(0x6838), q::humidity, where);
    ASSERT_FALSE(as_rh.ok());
    EXPECT_EQ(as_rh.err().code, hw::hw_errc::out_of_range);
}

TEST(htu21d_decode, an_all_zero_frame_passes_the_crc_but_is_rejected) {
    // CRC(0x00 0x00) with init 0x00 is 0x00: a bus stuck low checks; its value does not.
    const std::array<std::uint8_t, 3> zeros{};
    EXPECT_EQ(hw::htu21d_decode(zeros, q::temperature, where).err().code,
              hw::hw_errc::out_of_range);
    EXPECT_EQ(hw::htu21d_decode(zeros, q::humidity, where).err().code, hw::hw_errc::out_of_range);
    const std::array<std::uint8_t, 3> ones{0xFF, 0xFF, 0xFF};
    EXPECT_EQ(hw::htu21d_decode(ones, q::humidity, where).err().code, hw::hw_errc::crc_mismatch);
}

TEST(htu21d_decode, humidity_is_clipped_to_0_100) {
    EXPECT_DOUBLE_EQ(*hw::htu21d_decode(frame(0x0002), q::humidity, where), 0.0);
    EXPECT_DOUBLE_EQ(*hw::htu21d_decode(frame(0xFFF2), q::humidity, where), 100.0);
    EXPECT_NEAR(*hw::htu21d_decode(frame(0x0C4A), q::humidity, where), 0.0, 0.01);
}

TEST(htu21d_decode, temperature_outside_the_chip_range) {
    for (std::uint16_t raw : {0x0000, 0xFFFC, 0x0680 /* -42.4 °C */, 0xFC00 /* 126.2 °C */}) {
        auto r = hw::htu21d_decode(frame(raw), q::temperature, where);
        ASSERT_FALSE(r.ok()) << raw;
        EXPECT_EQ(r.err().code, hw::hw_errc::out_of_range);
        EXPECT_NE(r.err().message.find("outside"), std::string::npos);
    }
    EXPECT_TRUE(hw::htu21d_decode(frame(0x0A00 /* -39.99 °C */), q::temperature, where).ok());
}

TEST_F(htu21d_sim, open_reads_the_user_register) {
    ASSERT_TRUE(sensor_.open().ok());
    EXPECT_EQ(sensor_.type(), "htu21d");
    EXPECT_EQ(sensor_.user_register(), 0x02);
    auto si7021 = std::make_shared<hw::sim_htu21d>(0x3A);
    bus_.attach(0x40, si7021);
    ASSERT_TRUE(sensor_.open().ok());
    EXPECT_EQ(sensor_.user_register(), 0x3A);
}

TEST_F(htu21d_sim, measures_across_the_range) {
    ASSERT_TRUE(sensor_.open().ok());
    struct climate {
        double celsius, rh;
    };
    for (const climate c : {climate{21.5, 45.0}, climate{-20.0, 0.0}, climate{0.0, 100.0},
                            climate{-39.9, 7.5}, climate{124.9, 99.9}}) {
        chip_->set_environment(c.celsius, c.rh);
        auto r = sensor_.measure();
        ASSERT_TRUE(r.ok()) << c.celsius << ": " << r.err().message;
        EXPECT_EQ((*r)[0].name, "temperature");
        EXPECT_EQ((*r)[0].unit, "°C");
        EXPECT_NEAR((*r)[0].value, c.celsius, 0.006);  // 14 bit: 175.72/16384 °C a step
        EXPECT_EQ((*r)[1].name, "humidity");
        EXPECT_EQ((*r)[1].unit, "%RH");
        EXPECT_NEAR((*r)[1].value, c.rh, 0.016);  // 12 bit: 125/4096 %RH a step
    }
    EXPECT_EQ(chip_->measurements_started(), 10);
}

TEST_F(htu21d_sim, humidity_beyond_the_ends_is_clipped) {
    chip_->set_environment(20.0, 104.0);
    auto r = sensor_.measure();
    ASSERT_TRUE(r.ok());
    EXPECT_DOUBLE_EQ((*r)[1].value, 100.0);
    chip_->set_environment(20.0, -3.0);
    r = sensor_.measure();
    ASSERT_TRUE(r.ok());
    EXPECT_DOUBLE_EQ((*r)[1].value, 0.0);
}

TEST_F(htu21d_sim, temperature_beyond_the_chip_is_an_error_not_a_reading) {
    for (double celsius : {-45.0, 130.0}) {
        chip_->set_environment(celsius, 50.0);
        auto r = sensor_.measure();
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.err().code, hw::hw_errc::out_of_range);
    }
}

TEST_F(htu21d_sim, nack_fault) {
    bus_.set_fault(0x40, {.nack = true});
    auto o = sensor_.open();
    ASSERT_FALSE(o.ok());
    EXPECT_EQ(o.err().code, hw::hw_errc::no_device);
    EXPECT_NE(o.err().message.find("sim-i2c-0 0x40"), std::string::npos) << o.err().message;
    auto m = sensor_.measure();
    ASSERT_FALSE(m.ok());
    EXPECT_EQ(m.err().code, hw::hw_errc::no_device);
}

TEST_F(htu21d_sim, corrupt_fault_is_caught) {
    bus_.set_fault(0x40, {.corrupt = true});
    auto m = sensor_.measure();
    ASSERT_FALSE(m.ok());
    EXPECT_EQ(m.err().code, hw::hw_errc::crc_mismatch);
    EXPECT_NE(m.err().message.find("temperature"), std::string::npos) << m.err().message;
    auto o = sensor_.open();  // 0x02 flipped is 0xFD: bit 1 clear
    ASSERT_FALSE(o.ok());
    EXPECT_EQ(o.err().code, hw::hw_errc::bad_chip_id);
    bus_.set_fault(0x40, {});
    EXPECT_TRUE(sensor_.measure().ok()) << "recovers once the fault is gone";
}

TEST_F(htu21d_sim, stall_fault_times_out) {
    bus_.set_fault(0x40, {.stall = 50ms});
    auto m = sensor_.measure();
    ASSERT_FALSE(m.ok());
    EXPECT_EQ(m.err().code, hw::hw_errc::timeout);
    auto o = sensor_.open();
    ASSERT_FALSE(o.ok());
    EXPECT_EQ(o.err().code, hw::hw_errc::timeout);
}

TEST_F(htu21d_sim, chip_nacks_while_converting) {
    const std::array<std::uint8_t, 1> measure_t{0xF3};
    const std::array<std::uint8_t, 1> user{0xE7};
    std::array<std::uint8_t, 3> out{};
    chip_->set_environment(-20.0, 50.0);
    ASSERT_TRUE(bus_.write(0x40, measure_t).ok());
    EXPECT_EQ(bus_.read(0x40, out).err().code, hw::hw_errc::no_device);
    EXPECT_EQ(bus_.write(0x40, user).err().code, hw::hw_errc::no_device);
    std::this_thread::sleep_for(50ms);
    ASSERT_TRUE(bus_.read(0x40, out).ok());
    auto r = hw::htu21d_decode(out, q::temperature, where);
    ASSERT_TRUE(r.ok());
    EXPECT_NEAR(*r, -20.0, 0.006);
    EXPECT_FALSE(bus_.read(0x40, out).ok()) << "a result is read once";
}

TEST_F(htu21d_sim, hold_master_read_waits) {
    const std::array<std::uint8_t, 1> measure_rh{0xE5};
    std::array<std::uint8_t, 3> out{};
    chip_->set_environment(20.0, 33.3);
    ASSERT_TRUE(bus_.write(0x40, measure_rh).ok());
    ASSERT_TRUE(bus_.read(0x40, out).ok());
    EXPECT_NEAR(*hw::htu21d_decode(out, q::humidity, where), 33.3, 0.016);
}

TEST_F(htu21d_sim, driver_gives_up_on_a_chip_that_never_finishes) {
    chip_->set_conversion_times(200ms, 200ms);
    auto m = sensor_.measure();
    ASSERT_FALSE(m.ok());
    EXPECT_EQ(m.err().code, hw::hw_errc::timeout);
    EXPECT_NE(m.err().message.find("no result"), std::string::npos) << m.err().message;
}

TEST_F(htu21d_sim, lower_resolution_from_the_user_register) {
    const std::array<std::uint8_t, 2> low_res{0xE6, 0x03};  // RH 8 bit, T 12 bit
    ASSERT_TRUE(bus_.write(0x40, low_res).ok());
    EXPECT_EQ(chip_->user_register(), 0x03);
    chip_->set_environment(22.22, 44.44);
    auto r = sensor_.measure();
    ASSERT_TRUE(r.ok());
    EXPECT_NEAR((*r)[0].value, 22.22, 0.03);
    EXPECT_NEAR((*r)[1].value, 44.44, 0.25);
    const std::array<std::uint8_t, 1> reset{0xFE};
    ASSERT_TRUE(bus_.write(0x40, reset).ok());
    EXPECT_EQ(chip_->user_register(), 0x02);
}

TEST_F(htu21d_sim, probe) {
    EXPECT_TRUE(hw::htu21d_probe(bus_, 0x40));
    EXPECT_EQ(chip_->measurements_started(), 0);
    EXPECT_FALSE(hw::htu21d_probe(bus_, 0x41));
    bus_.attach(0x41, std::make_shared<hw::sim_register_device>());  // reads zeros
    EXPECT_FALSE(hw::htu21d_probe(bus_, 0x41));
    bus_.set_fault(0x40, {.stall = 50ms});
    EXPECT_FALSE(hw::htu21d_probe(bus_, 0x40));
}
