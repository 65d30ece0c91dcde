// AHT20: datasheet conversions, CRC and status checks, then end to end through the simulated
// chip: calibration, several climates, saturation, every injected fault, busy polling, probe.
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include <array>
#include <chrono>
#include <thread>

#include "hw/sensors/aht20.hpp"
#include "hw/sensors/crc8.hpp"
#include "hw/sim/sim_aht20.hpp"

using namespace std::chrono_literals;
namespace hw = piogate::hw;

namespace {

const std::string where = "i2c-1 0x38 aht20";

std::array<std::uint8_t, 7> frame(std::uint8_t status, std::uint32_t rh, std::uint32_t t) {
    std::array<std::uint8_t, 7> f{status,
                                  static_cast<std::uint8_t>(rh >> 12),
                                  static_cast<std::uint8_t>(rh >> 4),
                                  static_cast<std::uint8_t>(((rh & 0x0F) << 4) | (t >> 16)),
                                  static_cast<std::uint8_t>(t >> 8),
                                  static_cast<std::uint8_t>(t),
                                  0};
    f[6] = hw::crc8(std::span(f).first(6), 0x31, 0xFF);
    return f;
}

class ff_device final : public hw::sim_i2c_device {  // a floating bus: reads all ones
public:
    bool on_write(std::span<const std::uint8_t>) override { return true; }
    bool on_read(std::span<std::uint8_t> out) override {
        for (auto& b : out) b = 0xFF;
        return true;
    }
};

class aht20_sim : public ::testing::Test {
protected:
    void SetUp() override { bus_.attach(0x38, chip_); }
    hw::sim_i2c_bus bus_{"sim-i2c-0"};
    std::shared_ptr<hw::sim_aht20> chip_ = std::make_shared<hw::sim_aht20>();
    hw::aht20 sensor_{bus_, {}};
};

}  // namespace

TEST(aht20_convert, datasheet_formulas) {
    EXPECT_DOUBLE_EQ(hw::aht20_humidity(0), 0.0);
    EXPECT_DOUBLE_EQ(hw::aht20_humidity(0x80000), 50.0);
    EXPECT_NEAR(hw::aht20_humidity(0xFFFFF), 100.0, 0.0001);
    EXPECT_DOUBLE_EQ(hw::aht20_celsius(0), -50.0);
    EXPECT_DOUBLE_EQ(hw::aht20_celsius(0x40000), 0.0);
    EXPECT_DOUBLE_EQ(hw::aht20_celsius(0x80000), 50.0);
    EXPECT_NEAR(hw::aht20_celsius(0xFFFFF), 150.0, 0.0002);
}

TEST(aht20_decode, a_frame_captured_from_a_real_chip) {
    // Seven bytes a real AHT20 sent (published capture): status 0x1C, CRC 0x76 checks.
    const std::array<std::uint8_t, 7> f{0x1C, 0x26, 0x9A, 0x76, 0x42, 0xE7, 0x76};
    auto r = hw::aht20_decode(f, where);
    ASSERT_TRUE(r.ok()) << r.err().message;
    EXPECT_EQ((*r)[0].name, "temperature");
    EXPECT_EQ((*r)[0].unit, "°C");
    EXPECT_NEAR((*r)[0].value, 28.2667, 0.0001);  // raw 0x642E7
    EXPECT_EQ((*r)[1].name, "humidity");
    EXPECT_EQ((*r)[1].unit, "%RH");
    EXPECT_NEAR((*r)[1].value, 15.0794, 0.0001);  // raw 0x269A7
}

TEST(aht20_decode, crc_mismatch_names_the_bytes) {
    auto f = frame(0x18, 0x80000, 0x60000);
    f[2] ^= 0x10;
    auto r = hw::aht20_decode(f, where);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.err().code, hw::hw_errc::crc_mismatch);
    EXPECT_NE(r.err().message.find("i2c-1 0x38 aht20"), std::string::npos);
    EXPECT_NE(r.err().message.find("0x18 0x80 0x10 0x06 0x00 0x00"), std::string::npos)
        << r.err().message;
}

TEST(aht20_decode, all_zero_and_all_ones_frames_fail_the_crc) {
    const std::array<std::uint8_t, 7> zeros{};
    const std::array<std::uint8_t, 7> ones{0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
    EXPECT_EQ(hw::aht20_decode(zeros, where).err().code, hw::hw_errc::crc_mismatch);
    EXPECT_EQ(hw::aht20_decode(ones, where).err().code, hw::hw_errc::crc_mismatch);
}

TEST(aht20_decode, busy_or_uncalibrated_status_is_not_a_reading) {
    auto busy = hw::aht20_decode(frame(0x98, 0x80000, 0x60000), where);
    ASSERT_FALSE(busy.ok());
    EXPECT_EQ(busy.err().code, hw::hw_errc::out_of_range);
    EXPECT_NE(busy.err().message.find("busy"), std::string::npos);
    auto uncalibrated = hw::aht20_decode(frame(0x10, 0x80000, 0x60000), where);
    ASSERT_FALSE(uncalibrated.ok());
    EXPECT_EQ(uncalibrated.err().code, hw::hw_errc::out_of_range);
}

TEST(aht20_decode, temperature_outside_the_chip_range) {
    for (std::uint32_t raw :
         {0x00000U, 0xFFFFFU, 0x0C000U /* -40.6 °C */, 0xB0000U /* 87.5 °C */}) {
        auto r = hw::aht20_decode(frame(0x18, 0x80000, raw), where);
        ASSERT_FALSE(r.ok()) << raw;
        EXPECT_EQ(r.err().code, hw::hw_errc::out_of_range);
    }
    EXPECT_TRUE(hw::aht20_decode(frame(0x18, 0, 0x0CD00 /* -39.96 °C */), where).ok());
}

TEST_F(aht20_sim, open_accepts_a_calibrated_chip) {
    ASSERT_TRUE(sensor_.open().ok());
    EXPECT_EQ(sensor_.type(), "aht20");
    EXPECT_EQ(chip_->measurements_started(), 0);
}

TEST_F(aht20_sim, open_initializes_an_uncalibrated_chip) {
    auto fresh = std::make_shared<hw::sim_aht20>(false);
    bus_.attach(0x38, fresh);
    ASSERT_TRUE(sensor_.open().ok());
    EXPECT_TRUE(fresh->calibrated());
    EXPECT_TRUE(sensor_.measure().ok());
}

TEST_F(aht20_sim, open_rejects_a_chip_that_stays_uncalibrated) {
    auto stubborn = std::make_shared<hw::sim_aht20>(false);
    stubborn->set_accepts_initialization(false);
    bus_.attach(0x38, stubborn);
    auto o = sensor_.open();
    ASSERT_FALSE(o.ok());
    EXPECT_EQ(o.err().code, hw::hw_errc::bad_chip_id);
    EXPECT_NE(o.err().message.find("sim-i2c-0 0x38 aht20"), std::string::npos);
}

TEST_F(aht20_sim, measures_across_the_range) {
    ASSERT_TRUE(sensor_.open().ok());
    struct climate {
        double celsius, rh;
    };
    for (const climate c : {climate{21.5, 45.0}, climate{-20.0, 0.0}, climate{0.0, 100.0},
                            climate{-39.9, 3.2}, climate{84.9, 99.9}}) {
        chip_->set_environment(c.celsius, c.rh);
        auto r = sensor_.measure();
        ASSERT_TRUE(r.ok()) << c.celsius << ": " << r.err().message;
        EXPECT_NEAR((*r)[0].value, c.celsius, 0.001);  // one step is 200/2^20 °C
        EXPECT_NEAR((*r)[1].value, c.rh, 0.001);
    }
}

TEST_F(aht20_sim, humidity_saturates_at_the_range_ends) {
    chip_->set_environment(20.0, 107.0);
    auto r = sensor_.measure();
    ASSERT_TRUE(r.ok());
    EXPECT_NEAR((*r)[1].value, 100.0, 0.0001);
    chip_->set_environment(20.0, -2.0);
    r = sensor_.measure();
    ASSERT_TRUE(r.ok());
    EXPECT_DOUBLE_EQ((*r)[1].value, 0.0);
}

TEST_F(aht20_sim, temperature_beyond_the_chip_is_an_error_not_a_reading) {
    for (double celsius : {-60.0, 100.0}) {
        chip_->set_environment(celsius, 50.0);
        auto r = sensor_.measure();
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.err().code, hw::hw_errc::out_of_range);
    }
}

TEST_F(aht20_sim, nack_fault) {
    bus_.set_fault(0x38, {.nack = true});
    auto o = sensor_.open();
    ASSERT_FALSE(o.ok());
    EXPECT_EQ(o.err().code, hw::hw_errc::no_device);
    EXPECT_NE(o.err().message.find("sim-i2c-0 0x38"), std::string::npos) << o.err().message;
    auto m = sensor_.measure();
    ASSERT_FALSE(m.ok());
    EXPECT_EQ(m.err().code, hw::hw_errc::no_device);
}

TEST_F(aht20_sim, corrupt_fault_is_caught) {
    bus_.set_fault(0x38, {.corrupt = true});
    auto m = sensor_.measure();
    ASSERT_FALSE(m.ok());
    EXPECT_EQ(m.err().code, hw::hw_errc::crc_mismatch);
    // The status read of open() is one byte: flipped it says busy and uncalibrated.
    auto o = sensor_.open();
    ASSERT_FALSE(o.ok());
    EXPECT_EQ(o.err().code, hw::hw_errc::bad_chip_id);
    bus_.set_fault(0x38, {});
    EXPECT_TRUE(sensor_.measure().ok()) << "recovers once the fault is gone";
}

TEST_F(aht20_sim, stall_fault_times_out) {
    bus_.set_fault(0x38, {.stall = 50ms});
    auto m = sensor_.measure();
    ASSERT_FALSE(m.ok());
    EXPECT_EQ(m.err().code, hw::hw_errc::timeout);
    auto o = sensor_.open();
    ASSERT_FALSE(o.ok());
    EXPECT_EQ(o.err().code, hw::hw_errc::timeout);
}

TEST_F(aht20_sim, busy_bit_and_stale_data_when_read_too_early) {
    chip_->set_environment(10.0, 20.0);
    ASSERT_TRUE(sensor_.measure().ok());
    chip_->set_environment(30.0, 60.0);
    const std::array<std::uint8_t, 3> trigger{0xAC, 0x33, 0x00};
    std::array<std::uint8_t, 7> out{};
    ASSERT_TRUE(bus_.write(0x38, trigger).ok());
    ASSERT_TRUE(bus_.read(0x38, out).ok());
    EXPECT_EQ(out[0] & 0x80, 0x80) << "busy";
    auto stale = hw::aht20_decode(out, where);
    EXPECT_EQ(stale.err().code, hw::hw_errc::out_of_range);
    out[0] &= 0x7F;  // pretend the busy bit was missed: the bytes are still the old result
    out[6] = hw::crc8(std::span(out).first(6), 0x31, 0xFF);
    EXPECT_NEAR((*hw::aht20_decode(out, where))[0].value, 10.0, 0.001);
    std::this_thread::sleep_for(80ms);
    ASSERT_TRUE(bus_.read(0x38, out).ok());
    auto fresh = hw::aht20_decode(out, where);
    ASSERT_TRUE(fresh.ok());
    EXPECT_NEAR((*fresh)[0].value, 30.0, 0.001);
}

TEST_F(aht20_sim, driver_polls_a_slow_chip) {
    chip_->set_measurement_time(100ms);
    chip_->set_environment(-20.0, 80.0);
    auto r = sensor_.measure();
    ASSERT_TRUE(r.ok()) << r.err().message;
    EXPECT_NEAR((*r)[0].value, -20.0, 0.001);
}

TEST_F(aht20_sim, driver_gives_up_on_a_chip_that_stays_busy) {
    chip_->set_measurement_time(500ms);
    auto r = sensor_.measure();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.err().code, hw::hw_errc::timeout);
    EXPECT_NE(r.err().message.find("still busy"), std::string::npos) << r.err().message;
}

TEST_F(aht20_sim, unknown_commands_are_nacked) {
    const std::array<std::uint8_t, 2> bogus{0xE1, 0x08};
    EXPECT_EQ(bus_.write(0x38, bogus).err().code, hw::hw_errc::no_device);
}

TEST_F(aht20_sim, probe) {
    EXPECT_TRUE(hw::aht20_probe(bus_, 0x38));
    EXPECT_EQ(chip_->measurements_started(), 0);
    EXPECT_FALSE(hw::aht20_probe(bus_, 0x39));
    bus_.attach(0x39, std::make_shared<ff_device>());
    EXPECT_FALSE(hw::aht20_probe(bus_, 0x39));
    bus_.set_fault(0x38, {.nack = true});
    EXPECT_FALSE(hw::aht20_probe(bus_, 0x38));
}
