// BH1750: the datasheet's conversion example and timing, then end to end through the simulated
// chip: several illuminances, the three modes, MTreg, saturation, every injected fault, the
// probe. Each measurement waits the datasheet's 180 ms, so the end-to-end tests stay few.
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include <array>
#include <atomic>
#include <chrono>
#include <thread>

#include "hw/sensors/bh1750.hpp"
#include "hw/sim/sim_bh1750.hpp"

using namespace std::chrono_literals;
namespace hw = piogate::hw;

namespace {

const std::string where = "i2c-1 0x23 bh1750";

class bh1750_sim : public ::testing::Test {
protected:
    void SetUp() override { bus_.attach(0x23, chip_); }
    hw::sim_i2c_bus bus_{"sim-i2c-0"};
    std::shared_ptr<hw::sim_bh1750> chip_ = std::make_shared<hw::sim_bh1750>();
    hw::bh1750 sensor_{bus_, {}};
};

}  // namespace

TEST(bh1750_convert, datasheet_example_high_resolution) {
    // Datasheet, "Measurement sequence example": 1000_0011 1001_0000 → 28067 lx.
    EXPECT_NEAR(hw::bh1750_lux(0x8390, hw::bh1750_mode::high, 69), 28066.67, 0.01);
    EXPECT_DOUBLE_EQ(hw::bh1750_lux(0, hw::bh1750_mode::high, 69), 0.0);
    EXPECT_DOUBLE_EQ(hw::bh1750_lux(12, hw::bh1750_mode::high, 69), 10.0);
}

TEST(bh1750_convert, mode2_halves_and_mtreg_scales) {
    EXPECT_DOUBLE_EQ(hw::bh1750_lux(12, hw::bh1750_mode::high2, 69), 5.0);
    EXPECT_DOUBLE_EQ(hw::bh1750_lux(12, hw::bh1750_mode::low, 69), 10.0);
    // MTreg 138: twice the counts for the same light.
    EXPECT_DOUBLE_EQ(hw::bh1750_lux(24, hw::bh1750_mode::high, 138), 10.0);
    EXPECT_NEAR(hw::bh1750_lux(24, hw::bh1750_mode::high, 31), 24 / 1.2 * 69 / 31, 1e-9);
}

TEST(bh1750_convert, maximum_measurement_times) {
    EXPECT_EQ(hw::bh1750_max_measurement_time(hw::bh1750_mode::high, 69), 180ms);
    EXPECT_EQ(hw::bh1750_max_measurement_time(hw::bh1750_mode::high2, 69), 180ms);
    EXPECT_EQ(hw::bh1750_max_measurement_time(hw::bh1750_mode::low, 69), 24ms);
    EXPECT_EQ(hw::bh1750_max_measurement_time(hw::bh1750_mode::high, 138), 360ms);
    // 180 ms × 254 / 69 = 662.6 ms, rounded up.
    EXPECT_EQ(hw::bh1750_max_measurement_time(hw::bh1750_mode::high, 254), 662609us);
}

TEST(bh1750_decode, result_and_saturation) {
    const std::array<std::uint8_t, 2> ok{0x01, 0x68};  // 360 counts
    auto r = hw::bh1750_decode(ok, hw::bh1750_mode::high, 69, where);
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r->size(), 1u);
    EXPECT_EQ((*r)[0].name, "illuminance");
    EXPECT_EQ((*r)[0].unit, "lx");
    EXPECT_DOUBLE_EQ((*r)[0].value, 300.0);

    const std::array<std::uint8_t, 2> full{0xFF, 0xFF};
    auto s = hw::bh1750_decode(full, hw::bh1750_mode::high, 69, where);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.err().code, hw::hw_errc::out_of_range);
    EXPECT_NE(s.err().message.find("i2c-1 0x23 bh1750: result 0xFFFF"), std::string::npos)
        << s.err().message;
    const std::array<std::uint8_t, 2> almost{0xFF, 0xFE};
    EXPECT_TRUE(hw::bh1750_decode(almost, hw::bh1750_mode::high, 69, where).ok());
}

TEST_F(bh1750_sim, open_sets_mtreg_and_powers_down) {
    ASSERT_TRUE(sensor_.open().ok());
    EXPECT_EQ(sensor_.type(), "bh1750");
    EXPECT_EQ(chip_->mtreg(), 69);
    EXPECT_FALSE(chip_->powered());
    EXPECT_EQ(chip_->measurements_started(), 0);
}

TEST_F(bh1750_sim, measures_several_illuminances) {
    ASSERT_TRUE(sensor_.open().ok());
    for (double lux : {0.0, 0.9, 300.0, 54000.0}) {
        chip_->set_lux(lux);
        auto r = sensor_.measure();
        ASSERT_TRUE(r.ok()) << lux << ": " << r.err().message;
        EXPECT_NEAR((*r)[0].value, lux, 0.42) << "one count is 1/1.2 lx";
    }
    EXPECT_EQ(chip_->measurements_started(), 4);
    EXPECT_FALSE(chip_->powered()) << "one-time mode ends in power down";
}

TEST_F(bh1750_sim, saturation_and_darkness) {
    chip_->set_lux(100000.0);
    auto r = sensor_.measure();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.err().code, hw::hw_errc::out_of_range);
    EXPECT_NE(r.err().message.find("sim-i2c-0 0x23 bh1750"), std::string::npos) << r.err().message;
    chip_->set_lux(-5.0);  // a sensor cannot see less than nothing
    r = sensor_.measure();
    ASSERT_TRUE(r.ok());
    EXPECT_DOUBLE_EQ((*r)[0].value, 0.0);
}

TEST_F(bh1750_sim, high_resolution_mode2_and_low_resolution) {
    hw::bh1750 fine(bus_, {.mode = hw::bh1750_mode::high2});
    chip_->set_lux(12.3);
    auto r = fine.measure();
    ASSERT_TRUE(r.ok());
    EXPECT_NEAR((*r)[0].value, 12.3, 0.21) << "mode 2 resolves 0.5 lx";
    hw::bh1750 quick(bus_, {.mode = hw::bh1750_mode::low});
    chip_->set_lux(1000.0);
    r = quick.measure();
    ASSERT_TRUE(r.ok());
    EXPECT_NEAR((*r)[0].value, 1000.0, 0.42);
}

TEST_F(bh1750_sim, other_measurement_time_register) {
    hw::bh1750 sensor(bus_, {.mtreg = 31});
    ASSERT_TRUE(sensor.open().ok());
    EXPECT_EQ(chip_->mtreg(), 31);
    chip_->set_lux(500.0);
    auto r = sensor.measure();
    ASSERT_TRUE(r.ok());
    EXPECT_NEAR((*r)[0].value, 500.0, 1.0) << "one count is 1.86 lx at MTreg 31";
}

TEST_F(bh1750_sim, mtreg_outside_the_chip_is_not_supported) {
    for (std::uint8_t mt : {30, 255}) {
        hw::bh1750 sensor(bus_, {.mtreg = mt});
        auto o = sensor.open();
        ASSERT_FALSE(o.ok());
        EXPECT_EQ(o.err().code, hw::hw_errc::not_supported);
    }
}

TEST_F(bh1750_sim, an_early_read_returns_the_previous_result) {
    chip_->set_lux(120.0);
    ASSERT_TRUE(sensor_.measure().ok());
    chip_->set_lux(600.0);
    const std::array<std::uint8_t, 1> power_on{0x01}, one_time{0x20};
    std::array<std::uint8_t, 2> out{};
    ASSERT_TRUE(bus_.write(0x23, power_on).ok());
    ASSERT_TRUE(bus_.write(0x23, one_time).ok());
    ASSERT_TRUE(bus_.read(0x23, out).ok());
    EXPECT_EQ(out[0] << 8 | out[1], 144) << "still 120 lx";
}

TEST_F(bh1750_sim, nack_fault) {
    bus_.set_fault(0x23, {.nack = true});
    auto o = sensor_.open();
    ASSERT_FALSE(o.ok());
    EXPECT_EQ(o.err().code, hw::hw_errc::no_device);
    EXPECT_NE(o.err().message.find("sim-i2c-0 0x23"), std::string::npos) << o.err().message;
    EXPECT_NE(o.err().message.find("power on"), std::string::npos) << o.err().message;
    auto m = sensor_.measure();
    ASSERT_FALSE(m.ok());
    EXPECT_EQ(m.err().code, hw::hw_errc::no_device);
}

TEST_F(bh1750_sim, corrupt_fault_cannot_be_detected_without_a_checksum) {
    // The chip sends two bare bytes: a flipped low byte is a different, plausible count.
    chip_->set_lux(300.0);  // 360 counts = 0x0168
    bus_.set_fault(0x23, {.corrupt = true});
    auto r = sensor_.measure();
    ASSERT_TRUE(r.ok());
    EXPECT_DOUBLE_EQ((*r)[0].value, (0x0100 | (0x68 ^ 0xFF)) / 1.2);
}

TEST_F(bh1750_sim, stall_fault_times_out) {
    bus_.set_fault(0x23, {.stall = 50ms});
    const auto start = std::chrono::steady_clock::now();
    auto o = sensor_.open();
    ASSERT_FALSE(o.ok());
    EXPECT_EQ(o.err().code, hw::hw_errc::timeout);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
}

TEST_F(bh1750_sim, probe_is_presence_only_and_sends_no_opcode) {
    EXPECT_TRUE(hw::bh1750_probe(bus_, 0x23));
    EXPECT_FALSE(hw::bh1750_probe(bus_, 0x5C));
    EXPECT_FALSE(chip_->powered());
    EXPECT_EQ(chip_->measurements_started(), 0);
    bus_.set_fault(0x23, {.nack = true});
    EXPECT_FALSE(hw::bh1750_probe(bus_, 0x23));
}

TEST_F(bh1750_sim, alternate_address) {
    auto other = std::make_shared<hw::sim_bh1750>();
    bus_.attach(hw::bh1750_alternate_address, other);
    other->set_lux(42.0);
    hw::bh1750 sensor(bus_, {.address = hw::bh1750_alternate_address});
    ASSERT_TRUE(sensor.open().ok());
    auto r = sensor.measure();
    ASSERT_TRUE(r.ok());
    EXPECT_NEAR((*r)[0].value, 42.0, 0.42);
    EXPECT_EQ(chip_->measurements_started(), 0);
}

TEST_F(bh1750_sim, light_changes_from_another_thread) {
    std::atomic<bool> stop{false};
    std::thread demo([&] {
        for (int i = 0; !stop; ++i) {
            chip_->set_lux(i % 2 ? 100.0 : 200.0);
            std::this_thread::sleep_for(1ms);
        }
    });
    for (int i = 0; i < 2; ++i) {
        auto r = sensor_.measure();
        ASSERT_TRUE(r.ok());
        EXPECT_TRUE(std::abs((*r)[0].value - 100.0) < 0.5 || std::abs((*r)[0].value - 200.0) < 0.5);
    }
    stop = true;
    demo.join();
}
