// SHT3x: datasheet conversions and CRC, then end to end through the simulated chip: several
// climates, saturation, every injected fault, reading too early (on a manual clock: the
// chip's measuring window to the microsecond, without sleeps), the probe.
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <thread>

#include "hw/sensors/crc8.hpp"
#include "hw/sensors/sht3x.hpp"
#include "hw/sim/sim_register_device.hpp"
#include "hw/sim/sim_sht3x.hpp"
#include "util/clock.hpp"

using namespace std::chrono_literals;
namespace hw = piogate::hw;

namespace {

const std::string where = "i2c-1 0x44 sht3x";

std::array<std::uint8_t, 6> frame(std::uint16_t t, std::uint16_t rh) {
    std::array<std::uint8_t, 6> f{
        static_cast<std::uint8_t>(t >> 8),  static_cast<std::uint8_t>(t),  0,
        static_cast<std::uint8_t>(rh >> 8), static_cast<std::uint8_t>(rh), 0};
    f[2] = hw::crc8(std::span(f).first(2), 0x31, 0xFF);
    f[5] = hw::crc8(std::span(f).subspan(3, 2), 0x31, 0xFF);
    return f;
}

class sht3x_sim : public ::testing::Test {
protected:
    void SetUp() override { bus_.attach(0x44, chip_); }
    hw::sim_i2c_bus bus_{"sim-i2c-0"};
    std::shared_ptr<hw::sim_sht3x> chip_ = std::make_shared<hw::sim_sht3x>();
    hw::sht3x sensor_{bus_, {}};
};

}  // namespace

TEST(sht3x_convert, datasheet_formulas_at_the_ends_and_the_middle) {
    EXPECT_DOUBLE_EQ(hw::sht3x_celsius(0x0000), -45.0);
    EXPECT_DOUBLE_EQ(hw::sht3x_celsius(0xFFFF), 130.0);
    EXPECT_NEAR(hw::sht3x_celsius(0x6666), 25.0, 0.01);
    EXPECT_DOUBLE_EQ(hw::sht3x_humidity(0x0000), 0.0);
    EXPECT_DOUBLE_EQ(hw::sht3x_humidity(0xFFFF), 100.0);
    EXPECT_NEAR(hw::sht3x_humidity(0x8000), 50.0, 0.001);
}

TEST(sht3x_decode, datasheet_crc_example_as_a_frame) {
    // CRC(0xBEEF) = 0x92, datasheet table 20.
    const std::array<std::uint8_t, 6> f{0xBE, 0xEF, 0x92, 0xBE, 0xEF, 0x92};
    auto r = hw::sht3x_decode(f, where);
    ASSERT_TRUE(r.ok()) << r.err().message;
    ASSERT_EQ(r->size(), 2u);
    EXPECT_EQ((*r)[0].name, "temperature");
    EXPECT_EQ((*r)[0].unit, "°C");
    EXPECT_NEAR((*r)[0].value, -45.0 + 175.0 * 0xBEEF / 65535.0, 1e-9);
    EXPECT_EQ((*r)[1].name, "humidity");
    EXPECT_EQ((*r)[1].unit, "%RH");
    EXPECT_NEAR((*r)[1].value, 100.0 * 0xBEEF / 65535.0, 1e-9);
}

TEST(sht3x_decode, temperature_crc_mismatch_names_the_bytes) {
    auto f = frame(0x6666, 0x8000);
    f[2] ^= 0x01;
    auto r = hw::sht3x_decode(f, where);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.err().code, hw::hw_errc::crc_mismatch);
    EXPECT_NE(r.err().message.find("i2c-1 0x44 sht3x: temperature"), std::string::npos);
    EXPECT_NE(r.err().message.find("0x66 0x66"), std::string::npos) << r.err().message;
}

TEST(sht3x_decode, humidity_crc_mismatch) {
    auto f = frame(0x6666, 0x8000);
    f[4] ^= 0x40;  // a flipped data bit, CRC unchanged
    auto r = hw::sht3x_decode(f, where);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.err().code, hw::hw_errc::crc_mismatch);
    EXPECT_NE(r.err().message.find("humidity"), std::string::npos);
}

TEST(sht3x_decode, a_floating_bus_fails_the_crc) {
    const std::array<std::uint8_t, 6> f{0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
    EXPECT_EQ(hw::sht3x_decode(f, where).err().code, hw::hw_errc::crc_mismatch);
}

TEST(sht3x_decode, saturated_temperature_is_out_of_range) {
    for (std::uint16_t raw : {0x0000, 0xFFFF, 0x0700 /* -40.7 °C */, 0xFC00 /* 127.3 °C */}) {
        auto r = hw::sht3x_decode(frame(raw, 0x8000), where);
        ASSERT_FALSE(r.ok()) << raw;
        EXPECT_EQ(r.err().code, hw::hw_errc::out_of_range);
    }
    EXPECT_TRUE(hw::sht3x_decode(frame(0x0760 /* -39.9 °C */, 0), where).ok());
}

TEST_F(sht3x_sim, open_resets_and_the_first_measurement_reads_the_status_register) {
    ASSERT_TRUE(sensor_.open().ok());
    EXPECT_EQ(sensor_.type(), "sht3x");
    EXPECT_EQ(chip_->measurements_started(), 0);
    ASSERT_TRUE(sensor_.measure().ok());
    EXPECT_EQ(sensor_.status() & 0x0010, 0x0010) << "reset detected after the soft reset";
    EXPECT_EQ(chip_->measurements_started(), 1);
}

TEST_F(sht3x_sim, measures_across_the_range) {
    ASSERT_TRUE(sensor_.open().ok());
    struct climate {
        double celsius, rh;
    };
    for (const climate c : {climate{21.5, 45.0}, climate{-20.0, 0.0}, climate{0.0, 100.0},
                            climate{-39.9, 12.3}, climate{124.9, 99.9}, climate{37.0, 65.4}}) {
        chip_->set_environment(c.celsius, c.rh);
        auto r = sensor_.measure();
        ASSERT_TRUE(r.ok()) << c.celsius << ": " << r.err().message;
        EXPECT_NEAR((*r)[0].value, c.celsius, 0.003);  // one step is 175/65535 °C
        EXPECT_NEAR((*r)[1].value, c.rh, 0.002);
    }
    EXPECT_EQ(chip_->measurements_started(), 6);
}

TEST_F(sht3x_sim, humidity_saturates_at_the_range_ends) {
    chip_->set_environment(20.0, 104.0);
    auto r = sensor_.measure();
    ASSERT_TRUE(r.ok());
    EXPECT_DOUBLE_EQ((*r)[1].value, 100.0);
    chip_->set_environment(20.0, -3.0);
    r = sensor_.measure();
    ASSERT_TRUE(r.ok());
    EXPECT_DOUBLE_EQ((*r)[1].value, 0.0);
}

TEST_F(sht3x_sim, temperature_beyond_the_chip_is_an_error_not_a_reading) {
    for (double celsius : {-50.0, 140.0}) {
        chip_->set_environment(celsius, 50.0);
        auto r = sensor_.measure();
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.err().code, hw::hw_errc::out_of_range);
        EXPECT_NE(r.err().message.find("sim-i2c-0 0x44 sht3x"), std::string::npos);
    }
}

TEST_F(sht3x_sim, nack_fault) {
    bus_.set_fault(0x44, {.nack = true});
    auto o = sensor_.open();
    ASSERT_FALSE(o.ok());
    EXPECT_EQ(o.err().code, hw::hw_errc::no_device);
    EXPECT_NE(o.err().message.find("sim-i2c-0 0x44"), std::string::npos) << o.err().message;
    auto m = sensor_.measure();
    ASSERT_FALSE(m.ok());
    EXPECT_EQ(m.err().code, hw::hw_errc::no_device);
}

TEST_F(sht3x_sim, corrupt_fault_is_caught_by_the_crc) {
    bus_.set_fault(0x44, {.corrupt = true});
    ASSERT_TRUE(sensor_.open().ok());  // the reset is a write: nothing read yet
    auto o = sensor_.measure();        // the status word after the reset: its CRC fails
    ASSERT_FALSE(o.ok());
    EXPECT_EQ(o.err().code, hw::hw_errc::crc_mismatch);
    EXPECT_NE(o.err().message.find("status register (no SHT3x here?)"), std::string::npos)
        << o.err().message;
    EXPECT_EQ(chip_->measurements_started(), 0);
    bus_.set_fault(0x44, {});
    ASSERT_TRUE(sensor_.measure().ok()) << "resets again, and the status checks";
    bus_.set_fault(0x44, {.corrupt = true});
    auto m = sensor_.measure();
    ASSERT_FALSE(m.ok());
    EXPECT_EQ(m.err().code, hw::hw_errc::crc_mismatch);
    EXPECT_NE(m.err().message.find("humidity"), std::string::npos) << m.err().message;
    bus_.set_fault(0x44, {});
    EXPECT_TRUE(sensor_.measure().ok()) << "recovers once the fault is gone";
}

TEST_F(sht3x_sim, stall_fault_times_out) {
    bus_.set_fault(0x44, {.stall = 50ms});
    const auto start = std::chrono::steady_clock::now();
    auto m = sensor_.measure();
    ASSERT_FALSE(m.ok());
    EXPECT_EQ(m.err().code, hw::hw_errc::timeout);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
}

TEST_F(sht3x_sim, chip_nacks_a_read_before_the_measurement_is_done) {
    const std::array<std::uint8_t, 2> measure{0x24, 0x00};
    const std::array<std::uint8_t, 2> status{0xF3, 0x2D};
    std::array<std::uint8_t, 6> out{};
    piogate::util::manual_clock clock;
    chip_->set_clock(clock);
    ASSERT_TRUE(bus_.write(0x44, measure).ok());
    EXPECT_EQ(bus_.read(0x44, out).err().code, hw::hw_errc::no_device);
    EXPECT_EQ(bus_.write(0x44, status).err().code, hw::hw_errc::no_device) << "busy: no ACK";
    clock.advance(12499us);  // high repeatability: 12.5 ms
    EXPECT_EQ(bus_.read(0x44, out).err().code, hw::hw_errc::no_device);
    clock.advance(1us);
    ASSERT_TRUE(bus_.read(0x44, out).ok());
    EXPECT_TRUE(hw::sht3x_decode(out, where).ok());
    EXPECT_FALSE(bus_.read(0x44, out).ok()) << "a result is read once";
}

TEST_F(sht3x_sim, driver_gives_up_on_a_chip_that_never_finishes) {
    chip_->set_measurement_time(200ms);
    auto m = sensor_.measure();
    ASSERT_FALSE(m.ok());
    EXPECT_EQ(m.err().code, hw::hw_errc::timeout);
    EXPECT_NE(m.err().message.find("no result"), std::string::npos) << m.err().message;
}

TEST_F(sht3x_sim, clock_stretching_read_waits_for_the_result) {
    const std::array<std::uint8_t, 2> measure{0x2C, 0x06};
    std::array<std::uint8_t, 6> out{};
    piogate::util::manual_clock clock;
    chip_->set_clock(clock);
    chip_->set_environment(-20.0, 30.0);
    const auto start = clock.now();
    ASSERT_TRUE(bus_.write(0x44, measure).ok());
    clock.advance(2ms);
    ASSERT_TRUE(bus_.read(0x44, out).ok());
    EXPECT_EQ(clock.now() - start, 12500us);  // held until the result, not a moment longer
    auto r = hw::sht3x_decode(out, where);
    ASSERT_TRUE(r.ok());
    EXPECT_NEAR((*r)[0].value, -20.0, 0.003);
}

TEST_F(sht3x_sim, unknown_command_sets_the_command_status_bit) {
    const std::array<std::uint8_t, 2> bogus{0x12, 0x34};
    ASSERT_TRUE(bus_.write(0x44, bogus).ok());
    EXPECT_EQ(chip_->status() & 0x0002, 0x0002);
    ASSERT_TRUE(sensor_.open().ok());
    ASSERT_TRUE(sensor_.measure().ok());
    EXPECT_EQ(sensor_.status() & 0x0002, 0);
}

TEST_F(sht3x_sim, no_device_at_the_address) {
    hw::sht3x other(bus_, {.address = 0x45});
    auto o = other.open();
    ASSERT_FALSE(o.ok());
    EXPECT_EQ(o.err().code, hw::hw_errc::no_device);
    EXPECT_NE(o.err().message.find("0x45"), std::string::npos);
}

TEST_F(sht3x_sim, probe_finds_the_chip_and_changes_nothing) {
    bus_.attach(0x45, std::make_shared<hw::sim_sht3x>());
    const auto status = chip_->status();
    EXPECT_TRUE(hw::sht3x_probe(bus_, 0x44));
    EXPECT_TRUE(hw::sht3x_probe(bus_, 0x45));
    EXPECT_EQ(chip_->status(), status);
    EXPECT_EQ(chip_->measurements_started(), 0);
}

TEST_F(sht3x_sim, probe_rejects_empty_and_foreign_addresses) {
    EXPECT_FALSE(hw::sht3x_probe(bus_, 0x45));
    bus_.attach(0x45, std::make_shared<hw::sim_register_device>());  // answers zeros, no CRC
    EXPECT_FALSE(hw::sht3x_probe(bus_, 0x45));
    bus_.set_fault(0x44, {.corrupt = true});
    EXPECT_FALSE(hw::sht3x_probe(bus_, 0x44));
}

TEST_F(sht3x_sim, environment_changes_from_another_thread) {
    std::atomic<bool> stop{false};
    chip_->set_environment(10.0, 50.0);
    std::thread demo([&] {
        for (int i = 0; !stop; ++i) {
            chip_->set_environment(i % 2 ? 10.0 : 30.0, 50.0);
            std::this_thread::sleep_for(1ms);
        }
    });
    for (int i = 0; i < 5; ++i) {
        auto r = sensor_.measure();
        ASSERT_TRUE(r.ok());
        EXPECT_TRUE(std::abs((*r)[0].value - 10.0) < 0.01 || std::abs((*r)[0].value - 30.0) < 0.01);
    }
    stop = true;
    demo.join();
}
