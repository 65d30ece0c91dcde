// Generic register sensor: byte order, signedness and lengths, scale and offset, config
// checks, then end to end through a simulated register file: every injected fault, the probe.
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include <array>
#include <chrono>
#include <cmath>

#include "hw/sensors/generic_register.hpp"
#include "hw/sim/sim_register_device.hpp"

using namespace std::chrono_literals;
namespace hw = piogate::hw;
using hw::register_byte_order;

namespace {

std::int64_t raw(std::initializer_list<std::uint8_t> bytes, bool is_signed,
                 register_byte_order order = register_byte_order::big) {
    const std::vector<std::uint8_t> v(bytes);
    return hw::generic_register_raw(v, is_signed, order);
}

class generic_register_sim : public ::testing::Test {
protected:
    void SetUp() override {
        bus_.attach(0x36, chip_);
        // A fuel-gauge-like map: 0x04 state of charge (%, 1/256 % per bit, big-endian),
        // 0x10 a signed little-endian current in 0.1 mA, 0x20 a 32-bit counter.
        chip_->set_reg(0x04, 0x5A);
        chip_->set_reg(0x05, 0x80);
        chip_->set_reg(0x10, 0x18);
        chip_->set_reg(0x11, 0xFC);  // 0xFC18 = −1000
        for (std::uint8_t i = 0; i < 4; ++i)
            chip_->set_reg(0x20 + i, static_cast<std::uint8_t>(0x01 << i));
    }
    hw::sim_i2c_bus bus_{"sim-i2c-0"};
    std::shared_ptr<hw::sim_register_device> chip_ = std::make_shared<hw::sim_register_device>();
    hw::generic_register_config soc_{.address = 0x36,
                                     .reg = 0x04,
                                     .length = 2,
                                     .scale = 1.0 / 256,
                                     .name = "state_of_charge",
                                     .unit = "%"};
};

}  // namespace

TEST(generic_register_raw, byte_order_and_sign) {
    EXPECT_EQ(raw({0x12, 0x34}, false), 0x1234);
    EXPECT_EQ(raw({0x12, 0x34}, false, register_byte_order::little), 0x3412);
    EXPECT_EQ(raw({0xFF, 0xFE}, true), -2);
    EXPECT_EQ(raw({0xFF, 0xFE}, false), 0xFFFE);
    EXPECT_EQ(raw({0xFE, 0xFF}, true, register_byte_order::little), -2);
    EXPECT_EQ(raw({0x80}, true), -128);
    EXPECT_EQ(raw({0x80}, false), 128);
    EXPECT_EQ(raw({0x7F}, true), 127);
    EXPECT_EQ(raw({0x80, 0x00, 0x00}, true), -8388608);
    EXPECT_EQ(raw({0x00, 0x00, 0x80}, true, register_byte_order::little), -8388608);
    EXPECT_EQ(raw({0xFF, 0xFF, 0xFF, 0xFF}, true), -1);
    EXPECT_EQ(raw({0xFF, 0xFF, 0xFF, 0xFF}, false), 4294967295LL);
    EXPECT_EQ(raw({0x80, 0x00, 0x00, 0x00}, true), -2147483648LL);
    EXPECT_EQ(raw({0x01, 0x02, 0x03, 0x04}, false, register_byte_order::little), 0x04030201);
}

TEST(generic_register_reading, scale_and_offset) {
    hw::generic_register_config c{
        .length = 2, .scale = 0.01, .offset = -40.0, .name = "temperature", .unit = "°C"};
    const std::array<std::uint8_t, 2> bytes{0x19, 0x64};  // 6500
    auto r = hw::generic_register_reading(bytes, c);
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].name, "temperature");
    EXPECT_EQ(r[0].unit, "°C");
    EXPECT_DOUBLE_EQ(r[0].value, 25.0);
    c.is_signed = true;
    const std::array<std::uint8_t, 2> negative{0xFF, 0x9C};  // −100
    EXPECT_DOUBLE_EQ(hw::generic_register_reading(negative, c)[0].value, -41.0);
}

TEST(generic_register_config, problems) {
    hw::generic_register_config c;
    EXPECT_EQ(hw::generic_register_config_problem(c), "");
    c.length = 0;
    EXPECT_NE(hw::generic_register_config_problem(c), "");
    c.length = 5;
    EXPECT_NE(hw::generic_register_config_problem(c).find("1..4"), std::string::npos);
    c.length = 4;
    c.name.clear();
    EXPECT_NE(hw::generic_register_config_problem(c), "");
    c.name = "x";
    c.scale = 0;
    EXPECT_NE(hw::generic_register_config_problem(c), "");
    c.scale = std::nan("");
    EXPECT_NE(hw::generic_register_config_problem(c), "");
    c.scale = 1;
    c.offset = INFINITY;
    EXPECT_NE(hw::generic_register_config_problem(c), "");
}

TEST_F(generic_register_sim, reads_the_configured_register) {
    hw::generic_register sensor(bus_, soc_);
    EXPECT_EQ(sensor.type(), "generic_register");
    ASSERT_TRUE(sensor.open().ok());
    auto r = sensor.measure();
    ASSERT_TRUE(r.ok()) << r.err().message;
    ASSERT_EQ(r->size(), 1u);
    EXPECT_EQ((*r)[0].name, "state_of_charge");
    EXPECT_EQ((*r)[0].unit, "%");
    EXPECT_DOUBLE_EQ((*r)[0].value, 90.5);
    chip_->set_reg(0x04, 0x0A);
    chip_->set_reg(0x05, 0x40);
    r = sensor.measure();
    ASSERT_TRUE(r.ok());
    EXPECT_DOUBLE_EQ((*r)[0].value, 10.25);
}

TEST_F(generic_register_sim, signed_little_endian_and_four_bytes) {
    hw::generic_register current(bus_, {.address = 0x36,
                                        .reg = 0x10,
                                        .length = 2,
                                        .is_signed = true,
                                        .order = register_byte_order::little,
                                        .scale = 1e-4,
                                        .name = "current",
                                        .unit = "A"});
    auto r = current.measure();
    ASSERT_TRUE(r.ok());
    EXPECT_DOUBLE_EQ((*r)[0].value, -0.1);
    hw::generic_register counter(bus_,
                                 {.address = 0x36, .reg = 0x20, .length = 4, .name = "pulses"});
    r = counter.measure();
    ASSERT_TRUE(r.ok());
    EXPECT_DOUBLE_EQ((*r)[0].value, 0x01020408);
    hw::generic_register one(
        bus_, {.address = 0x36, .reg = 0x20, .length = 1, .offset = 0.5, .name = "b"});
    r = one.measure();
    ASSERT_TRUE(r.ok());
    EXPECT_DOUBLE_EQ((*r)[0].value, 1.5);
}

TEST_F(generic_register_sim, bad_config_is_not_supported) {
    auto c = soc_;
    c.length = 8;
    hw::generic_register sensor(bus_, c);
    auto o = sensor.open();
    ASSERT_FALSE(o.ok());
    EXPECT_EQ(o.err().code, hw::hw_errc::not_supported);
    EXPECT_NE(o.err().message.find("sim-i2c-0 0x36 reg 0x04: generic_register \"state_of_charge\""),
              std::string::npos)
        << o.err().message;
    EXPECT_EQ(sensor.measure().err().code, hw::hw_errc::not_supported);
}

TEST_F(generic_register_sim, nack_fault) {
    bus_.set_fault(0x36, {.nack = true});
    hw::generic_register sensor(bus_, soc_);
    auto o = sensor.open();
    ASSERT_FALSE(o.ok());
    EXPECT_EQ(o.err().code, hw::hw_errc::no_device);
    EXPECT_NE(o.err().message.find("sim-i2c-0 0x36 reg 0x04"), std::string::npos)
        << o.err().message;
    EXPECT_NE(o.err().message.find("state_of_charge"), std::string::npos) << o.err().message;
}

TEST_F(generic_register_sim, corrupt_fault_cannot_be_detected) {
    // No checksum and no range: the last byte arrives flipped and is taken as read.
    bus_.set_fault(0x36, {.corrupt = true});
    hw::generic_register sensor(bus_, soc_);
    auto r = sensor.measure();
    ASSERT_TRUE(r.ok());
    EXPECT_DOUBLE_EQ((*r)[0].value, (0x5A00 | (0x80 ^ 0xFF)) / 256.0);
}

TEST_F(generic_register_sim, stall_fault_times_out) {
    bus_.set_fault(0x36, {.stall = 50ms});
    hw::generic_register sensor(bus_, soc_);
    const auto start = std::chrono::steady_clock::now();
    auto r = sensor.measure();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.err().code, hw::hw_errc::timeout);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
}

TEST_F(generic_register_sim, absent_chip_and_probe) {
    hw::generic_register sensor(bus_, {.address = 0x37, .name = "x"});
    EXPECT_EQ(sensor.open().err().code, hw::hw_errc::no_device);
    EXPECT_TRUE(hw::generic_register_probe(bus_, 0x36));
    EXPECT_FALSE(hw::generic_register_probe(bus_, 0x37));
}
