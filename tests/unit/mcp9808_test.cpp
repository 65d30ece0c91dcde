// MCP9808: the datasheet's T_A conversion (flags masked, sign, 0.0625 °C), then end to end
// through the simulated chip: ids, several temperatures including negatives, the range,
// resolution and shutdown handling, every injected fault, wrong ids, the probe.
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include <array>
#include <chrono>

#include "hw/sensors/mcp9808.hpp"
#include "hw/sim/sim_lm75.hpp"
#include "hw/sim/sim_mcp9808.hpp"
#include "hw/sim/sim_register_device.hpp"

using namespace std::chrono_literals;
namespace hw = piogate::hw;

namespace {

class mcp9808_sim : public ::testing::Test {
protected:
    void SetUp() override { bus_.attach(0x18, chip_); }
    hw::sim_i2c_bus bus_{"sim-i2c-0"};
    std::shared_ptr<hw::sim_mcp9808> chip_ = std::make_shared<hw::sim_mcp9808>();
    hw::mcp9808 sensor_{bus_, {}};
};

}  // namespace

TEST(mcp9808_convert, ambient_register_examples) {
    // Datasheet equation 5-1: upper byte × 2^4 + lower byte × 2^-4, minus 256 when the sign
    // bit (12) is set; bits 15..13 are flags.
    EXPECT_DOUBLE_EQ(hw::mcp9808_celsius(0x0190), 25.0);
    EXPECT_DOUBLE_EQ(hw::mcp9808_celsius(0xC190), 25.0) << "T_CRIT and T_UPPER flags";
    EXPECT_DOUBLE_EQ(hw::mcp9808_celsius(0x2190), 25.0) << "T_LOWER flag";
    EXPECT_DOUBLE_EQ(hw::mcp9808_celsius(0x07D0), 125.0);
    EXPECT_DOUBLE_EQ(hw::mcp9808_celsius(0x0001), 0.0625);
    EXPECT_DOUBLE_EQ(hw::mcp9808_celsius(0x0000), 0.0);
    EXPECT_DOUBLE_EQ(hw::mcp9808_celsius(0x1FFF), -0.0625);
    EXPECT_DOUBLE_EQ(hw::mcp9808_celsius(0x1FF0), -1.0);
    EXPECT_DOUBLE_EQ(hw::mcp9808_celsius(0x1E70), -25.0);
    EXPECT_DOUBLE_EQ(hw::mcp9808_celsius(0x1D80), -40.0);
    EXPECT_DOUBLE_EQ(hw::mcp9808_celsius(0xFD80), -40.0) << "with all flags";
    EXPECT_DOUBLE_EQ(hw::mcp9808_celsius(0x1000), -256.0);
    for (std::uint16_t w : {0x0190, 0x1E70, 0x1D80, 0x07D0}) {
        EXPECT_EQ(hw::sim_mcp9808::ambient_word(hw::mcp9808_celsius(w)), w);
    }
}

TEST(mcp9808_decode, operating_range) {
    const std::string where = "i2c-1 0x18 reg 0x05: mcp9808";
    EXPECT_DOUBLE_EQ(*hw::mcp9808_decode(0xE7D0, where), 125.0);
    EXPECT_DOUBLE_EQ(*hw::mcp9808_decode(0x1D80, where), -40.0);
    for (std::uint16_t w : {0x07D1, 0x1D7F, 0x0FFF, 0x1000}) {
        auto r = hw::mcp9808_decode(w, where);
        ASSERT_FALSE(r.ok()) << std::hex << w;
        EXPECT_EQ(r.err().code, hw::hw_errc::out_of_range);
        EXPECT_NE(r.err().message.find(where), std::string::npos);
    }
}

TEST_F(mcp9808_sim, open_checks_ids_and_measures_across_the_range) {
    ASSERT_TRUE(sensor_.open().ok());
    EXPECT_EQ(sensor_.type(), "mcp9808");
    EXPECT_EQ(sensor_.revision(), 0);
    for (double c : {21.5, 0.0, -0.0625, -10.03, -39.9, 124.9, 85.3}) {
        chip_->set_temperature(c);
        auto r = sensor_.measure();
        ASSERT_TRUE(r.ok()) << c << ": " << r.err().message;
        ASSERT_EQ(r->size(), 1u);
        EXPECT_EQ((*r)[0].name, "temperature");
        EXPECT_EQ((*r)[0].unit, "°C");
        EXPECT_NEAR((*r)[0].value, c, 0.0625);
    }
}

TEST_F(mcp9808_sim, alert_flags_do_not_leak_into_the_value) {
    // After reset all limits are 0 °C: T_CRIT and T_UPPER flags above 0, T_LOWER below.
    chip_->set_temperature(30.0);
    std::array<std::uint8_t, 1> pointer{0x05};
    std::array<std::uint8_t, 2> out{};
    ASSERT_TRUE(bus_.write_read(0x18, pointer, out).ok());
    EXPECT_EQ(out[0] & 0xE0, 0xC0);
    auto r = sensor_.measure();
    ASSERT_TRUE(r.ok());
    EXPECT_DOUBLE_EQ((*r)[0].value, 30.0);
    chip_->set_temperature(-5.0);
    ASSERT_TRUE(bus_.write_read(0x18, pointer, out).ok());
    EXPECT_EQ(out[0] & 0xE0, 0x20);
    r = sensor_.measure();
    ASSERT_TRUE(r.ok());
    EXPECT_DOUBLE_EQ((*r)[0].value, -5.0);
}

TEST_F(mcp9808_sim, beyond_the_operating_range_is_an_error) {
    for (double c : {130.0, -45.0, 300.0}) {
        chip_->set_temperature(c);
        auto r = sensor_.measure();
        ASSERT_FALSE(r.ok()) << c;
        EXPECT_EQ(r.err().code, hw::hw_errc::out_of_range);
        EXPECT_NE(r.err().message.find("sim-i2c-0 0x18 reg 0x05: mcp9808"), std::string::npos)
            << r.err().message;
    }
}

TEST_F(mcp9808_sim, open_restores_resolution_and_leaves_shutdown) {
    const std::array<std::uint8_t, 2> half_degree{0x08, 0x00};
    const std::array<std::uint8_t, 3> shutdown{0x01, 0x01, 0x00};
    ASSERT_TRUE(bus_.write(0x18, half_degree).ok());
    ASSERT_TRUE(bus_.write(0x18, shutdown).ok());
    ASSERT_TRUE(chip_->shut_down());
    ASSERT_TRUE(sensor_.open().ok());
    EXPECT_EQ(chip_->word(0x08), 0x03);
    EXPECT_FALSE(chip_->shut_down());
    chip_->set_temperature(23.1875);
    auto r = sensor_.measure();
    ASSERT_TRUE(r.ok());
    EXPECT_DOUBLE_EQ((*r)[0].value, 23.1875);
}

TEST_F(mcp9808_sim, wrong_manufacturer_id) {
    chip_->set_ids(0x0055, 0x0400);
    auto o = sensor_.open();
    ASSERT_FALSE(o.ok());
    EXPECT_EQ(o.err().code, hw::hw_errc::bad_chip_id);
    EXPECT_NE(o.err().message.find("sim-i2c-0 0x18 reg 0x06: mcp9808: manufacturer id 0x0055"),
              std::string::npos)
        << o.err().message;
}

TEST_F(mcp9808_sim, wrong_device_id) {
    chip_->set_ids(0x0054, 0x0201);  // an MCP9804
    auto o = sensor_.open();
    ASSERT_FALSE(o.ok());
    EXPECT_EQ(o.err().code, hw::hw_errc::bad_chip_id);
    EXPECT_NE(o.err().message.find("device id 0x02"), std::string::npos) << o.err().message;
}

TEST_F(mcp9808_sim, foreign_chips_are_rejected) {
    bus_.attach(0x19, std::make_shared<hw::sim_register_device>());
    hw::mcp9808 blank(bus_, {.address = 0x19});
    EXPECT_EQ(blank.open().err().code, hw::hw_errc::bad_chip_id);
    auto lm75 = std::make_shared<hw::sim_lm75>();
    bus_.attach(0x1A, lm75);
    hw::mcp9808 other(bus_, {.address = 0x1A});
    EXPECT_EQ(other.open().err().code, hw::hw_errc::no_device) << "an LM75 NACKs pointer 0x06";
}

TEST_F(mcp9808_sim, nack_fault) {
    bus_.set_fault(0x18, {.nack = true});
    auto o = sensor_.open();
    ASSERT_FALSE(o.ok());
    EXPECT_EQ(o.err().code, hw::hw_errc::no_device);
    EXPECT_NE(o.err().message.find("sim-i2c-0 0x18 reg 0x06"), std::string::npos)
        << o.err().message;
    EXPECT_EQ(sensor_.measure().err().code, hw::hw_errc::no_device);
}

TEST_F(mcp9808_sim, corrupt_fault) {
    bus_.set_fault(0x18, {.corrupt = true});
    auto o = sensor_.open();
    ASSERT_FALSE(o.ok());
    EXPECT_EQ(o.err().code, hw::hw_errc::bad_chip_id) << "0x0054 reads 0x00AB";
    // Without a checksum a flipped low byte of T_A is caught only when it leaves the range.
    chip_->set_temperature(20.0);  // 0x0140 → 0x01BF = 27.9375 °C
    auto r = sensor_.measure();
    ASSERT_TRUE(r.ok());
    EXPECT_DOUBLE_EQ((*r)[0].value, 27.9375);
    EXPECT_FALSE(hw::mcp9808_probe(bus_, 0x18));
}

TEST_F(mcp9808_sim, stall_fault_times_out) {
    bus_.set_fault(0x18, {.stall = 50ms});
    const auto start = std::chrono::steady_clock::now();
    auto r = sensor_.measure();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.err().code, hw::hw_errc::timeout);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
}

TEST_F(mcp9808_sim, probe) {
    bus_.attach(0x1F, std::make_shared<hw::sim_mcp9808>());
    bus_.attach(0x19, std::make_shared<hw::sim_register_device>());
    EXPECT_TRUE(hw::mcp9808_probe(bus_, 0x18));
    EXPECT_TRUE(hw::mcp9808_probe(bus_, 0x1F));
    EXPECT_FALSE(hw::mcp9808_probe(bus_, 0x19));
    EXPECT_FALSE(hw::mcp9808_probe(bus_, 0x1A));
}
