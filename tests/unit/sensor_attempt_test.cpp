// The I2C drivers' attempt() state machines (issue 11 §1: drivers say how long to wait instead
// of sleeping on the worker): the first attempt() starts the conversion and answers
// again(the datasheet's conversion time), the next reads the result; a chip that is slower
// answers again(poll interval); one that never finishes ends in an error after the bound. The
// simulated chips run on a manual clock, so no test waits, and a driver that slept inside
// attempt() would show in the real time the sequence took.
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "hw/sensors/ads1115.hpp"
#include "hw/sensors/aht20.hpp"
#include "hw/sensors/bh1750.hpp"
#include "hw/sensors/bme280.hpp"
#include "hw/sensors/htu21d.hpp"
#include "hw/sensors/ina219.hpp"
#include "hw/sensors/lm75.hpp"
#include "hw/sensors/mcp9808.hpp"
#include "hw/sensors/sht3x.hpp"
#include "hw/sim/sim_ads1115.hpp"
#include "hw/sim/sim_aht20.hpp"
#include "hw/sim/sim_bh1750.hpp"
#include "hw/sim/sim_bme280.hpp"
#include "hw/sim/sim_htu21d.hpp"
#include "hw/sim/sim_i2c_bus.hpp"
#include "hw/sim/sim_ina219.hpp"
#include "hw/sim/sim_lm75.hpp"
#include "hw/sim/sim_mcp9808.hpp"
#include "hw/sim/sim_sht3x.hpp"
#include "util/clock.hpp"

using namespace std::chrono_literals;
namespace hw = piogate::hw;
namespace util = piogate::util;

namespace {

class sensor_attempt : public ::testing::Test {
protected:
    template <class Chip>
    std::shared_ptr<Chip> attach(std::uint8_t address, std::shared_ptr<Chip> chip) {
        chip->set_clock(clock_);
        bus_.attach(address, chip);
        return chip;
    }
    // attempt() once more after the delay the last one asked for, on the chip's clock.
    hw::measure_result after(hw::sensor& s, const hw::measure_result& last) {
        clock_.advance(last.retry_after());
        return s.attempt();
    }
    // Answers every "again" (counting them) until a reading or an error.
    hw::measure_result run(hw::sensor& s, int& agains) {
        agains = 0;
        auto r = s.attempt();
        while (r.is_again() && agains < 1000) {  // (a driver without a bound would stop here)
            ++agains;
            r = after(s, r);
        }
        return r;
    }

    // `dev` on a chip that `wake_up` (a register write) leaves needing a fresh conversion:
    // open() does not sleep, the first attempt() answers converting(`wait`) without a reading,
    // the next the reading; a second open() that changes nothing leaves no wait.
    void expect_one_wait_after_open(hw::sensor& dev, std::uint8_t address,
                                    std::vector<std::uint8_t> wake_up,
                                    std::chrono::milliseconds wait) {
        ASSERT_TRUE(bus_.write(address, wake_up));
        ASSERT_TRUE(dev.open());
        const auto first = dev.attempt();
        ASSERT_TRUE(first.is_again()) << dev.type();
        EXPECT_TRUE(first.is_converting());
        EXPECT_EQ(first.retry_after(), wait) << dev.type();
        const auto r = after(dev, first);
        ASSERT_TRUE(r) << r.err().message;
        EXPECT_NEAR((*r)[0].value, 23.5, 0.01);
        ASSERT_TRUE(dev.open());
        const auto again = dev.attempt();
        EXPECT_TRUE(again) << dev.type() << ": nothing changed, so no wait";
    }

    util::manual_clock clock_;
    hw::sim_i2c_bus bus_{"sim-i2c-0"};
    std::chrono::steady_clock::time_point real_start_ = std::chrono::steady_clock::now();
    // Real time since the test began: a driver sleeping in attempt() would spend it.
    std::chrono::steady_clock::duration real_elapsed() const {
        return std::chrono::steady_clock::now() - real_start_;
    }
};

// Without the soft reset, so that the first attempt() starts the conversion (the reset's wait
// has tests of its own).
hw::bme280_config bme280_config() {
    hw::bme280_config cfg;
    cfg.soft_reset = false;
    cfg.status_polls = 5;
    return cfg;
}

hw::bme280_config bme280_reset_config() {
    auto cfg = bme280_config();
    cfg.soft_reset = true;
    return cfg;
}

}  // namespace

TEST_F(sensor_attempt, bme280_answers_the_datasheet_conversion_time_then_the_reading) {
    auto chip = attach(0x76, std::make_shared<hw::sim_bme280>());
    chip->set_environment(21.5, 48.0, 1009.3);
    hw::bme280 dev(bus_, bme280_config());
    ASSERT_TRUE(dev.open());
    const auto first = dev.attempt();
    ASSERT_TRUE(first.is_again());
    // Datasheet 9.1, x1/x1/x1: 1.25 + 2.3 + 2.875 + 2.875 = 9.3 ms, rounded up.
    EXPECT_EQ(first.retry_after(), 10ms);
    EXPECT_TRUE(first.is_converting());  // the channel waits for it even past its interval
    EXPECT_EQ(dev.conversion_time(), 10ms);
    EXPECT_NE(first.err().message.find("bme280: conversion running"), std::string::npos);
    const auto second = after(dev, first);
    ASSERT_TRUE(second) << second.err().message;
    ASSERT_EQ(second->size(), 3u);
    EXPECT_NEAR((*second)[0].value, 21.5, 0.01);
    // The next attempt starts a new conversion.
    EXPECT_TRUE(dev.attempt().is_again());
}

TEST_F(sensor_attempt, bme280_x16_waits_113_ms_without_sleeping) {
    auto chip = attach(0x76, std::make_shared<hw::sim_bme280>());
    auto cfg = bme280_config();
    cfg.temperature = cfg.pressure = cfg.humidity = hw::bmx280_oversampling::x16;
    hw::bme280 dev(bus_, cfg);
    ASSERT_TRUE(dev.open());
    const auto first = dev.attempt();
    ASSERT_TRUE(first.is_again());
    EXPECT_EQ(first.retry_after(), 113ms);  // 1.25 + 36.8 + 37.375 + 37.375 = 112.8 ms
    EXPECT_TRUE(after(dev, first));
    EXPECT_LT(real_elapsed(), 60ms);  // a driver sleeping the 113 ms could not be this quick
}

TEST_F(sensor_attempt, bme280_slower_than_the_datasheet_answers_the_poll_interval) {
    auto chip = attach(0x76, std::make_shared<hw::sim_bme280>());
    chip->set_extra_conversion_time(2500us);
    hw::bme280 dev(bus_, bme280_config());
    ASSERT_TRUE(dev.open());
    const auto first = dev.attempt();
    const auto polled = after(dev, first);  // 10 ms: the chip measures until 10.5 ms
    ASSERT_TRUE(polled.is_again());
    EXPECT_EQ(polled.retry_after(), 1ms);  // poll_interval 1000 µs
    const auto r = after(dev, polled);
    ASSERT_TRUE(r) << r.err().message;
}

TEST_F(sensor_attempt, bme280_open_resets_and_attempt_waits_for_the_nvm_copy) {
    auto chip = attach(0x76, std::make_shared<hw::sim_bme280>());
    chip->set_extra_nvm_copy_time(2500us);  // the copy ends 4.5 ms after the reset
    hw::bme280 dev(bus_, bme280_reset_config());
    const auto t0 = clock_.now();
    ASSERT_TRUE(dev.open());
    EXPECT_EQ(chip->resets(), 1);
    const auto up = dev.attempt();
    ASSERT_TRUE(up.is_again());
    EXPECT_TRUE(up.is_converting());
    EXPECT_EQ(up.retry_after(), 2ms);  // t_startup after the reset, before touching the chip
    // 2, 3 and 4 ms after the reset the status says im_update: polled every 1 ms.
    auto copy = up;
    for (int poll = 0; poll < 3; ++poll) {
        copy = after(dev, copy);
        ASSERT_TRUE(copy.is_again()) << "poll " << poll;
        EXPECT_TRUE(copy.is_converting());
        EXPECT_EQ(copy.retry_after(), 1ms);
        EXPECT_NE(copy.err().message.find("bme280: NVM copy after reset running"),
                  std::string::npos)
            << copy.err().message;
        EXPECT_EQ(chip->conversions_started(), 0) << "nothing starts before the NVM copy ends";
        EXPECT_NE(dev.calibration(), hw::sim_bme280::datasheet_calibration())
            << "calibration read before the NVM copy ended";
    }
    // 5 ms: copied; the calibration is read and the first conversion starts.
    const auto conversion = after(dev, copy);
    ASSERT_TRUE(conversion.is_again()) << conversion.err().message;
    EXPECT_EQ(conversion.retry_after(), 10ms);
    EXPECT_EQ(chip->conversions_started(), 1);
    EXPECT_EQ(dev.calibration(), hw::sim_bme280::datasheet_calibration());
    const auto r = after(dev, conversion);
    ASSERT_TRUE(r) << r.err().message;
    EXPECT_EQ(clock_.now() - t0, 15ms);
    EXPECT_EQ(chip->resets(), 1);
    EXPECT_LT(real_elapsed(), 60ms);  // open() no longer sleeps for the reset
}

TEST_F(sensor_attempt, bme280_without_soft_reset_still_waits_for_a_running_nvm_copy) {
    auto chip = attach(0x76, std::make_shared<hw::sim_bme280>());
    chip->set_extra_nvm_copy_time(1ms);
    ASSERT_TRUE(hw::write_register(bus_, 0x76, 0xE0, 0xB6));  // e.g. just powered up
    hw::bme280 dev(bus_, bme280_config());
    ASSERT_TRUE(dev.open());
    EXPECT_EQ(chip->resets(), 1);
    const auto copy = dev.attempt();  // no reset of its own, so no t_startup: status at once
    ASSERT_TRUE(copy.is_again());
    EXPECT_EQ(copy.retry_after(), 1ms);
    EXPECT_NE(copy.err().message.find("bme280: NVM copy running"), std::string::npos)
        << copy.err().message;
    const auto before = clock_.now();
    const auto r = hw::measure_blocking(dev, clock_);
    ASSERT_TRUE(r) << r.err().message;
    EXPECT_EQ(clock_.now() - before, 3ms + 10ms);  // the copy ends 3 ms after the reset
}

TEST_F(sensor_attempt, measure_blocking_sleeps_on_the_clock_it_is_given) {
    auto chip = attach(0x76, std::make_shared<hw::sim_bme280>());
    hw::bme280 dev(bus_, bme280_config());
    ASSERT_TRUE(dev.open());
    const auto before = clock_.now();
    const auto r = hw::measure_blocking(dev, clock_);
    ASSERT_TRUE(r) << r.err().message;
    EXPECT_EQ(clock_.now() - before, 10ms);  // exactly the conversion time, on the manual clock

    // After a soft reset: t_startup, then the conversion (the NVM copy is done by then).
    hw::bme280 reset(bus_, bme280_reset_config());
    ASSERT_TRUE(reset.open());
    const auto opened = clock_.now();
    EXPECT_TRUE(hw::measure_blocking(reset, clock_));
    EXPECT_EQ(clock_.now() - opened, 2ms + 10ms);
    EXPECT_LT(real_elapsed(), 60ms);
}

TEST_F(sensor_attempt, measure_blocking_gives_up_after_max_agains) {
    struct never_ready final : hw::sensor {
        std::string name = "never";
        int calls = 0;
        const std::string& type() const override { return name; }
        piogate::util::result<void> open() override { return {}; }
        piogate::util::result<hw::reading> measure() override { return hw::reading{}; }
        hw::measure_result attempt() override {
            ++calls;
            return hw::measure_result::again(7ms, "never: still converting");
        }
    } s;
    const auto before = clock_.now();
    const auto r = hw::measure_blocking(s, clock_, 3);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.err().code, hw::hw_errc::timeout);
    EXPECT_NE(r.err().message.find("never: still converting"), std::string::npos);
    EXPECT_EQ(s.calls, 4);
    EXPECT_EQ(clock_.now() - before, 21ms);
}

TEST_F(sensor_attempt, sht3x_waits_its_reset_then_16_ms_then_retries_a_nacked_read) {
    auto chip = attach(0x44, std::make_shared<hw::sim_sht3x>());
    chip->set_environment(22.0, 40.0);
    hw::sht3x dev(bus_, {});
    ASSERT_TRUE(dev.open());
    EXPECT_EQ(dev.status(), 0) << "the status is read after the reset's time, not in open()";
    const auto reset = dev.attempt();
    ASSERT_TRUE(reset.is_again());
    EXPECT_TRUE(reset.is_converting());
    EXPECT_EQ(reset.retry_after(), 2ms);  // tSR max 1.5 ms
    EXPECT_EQ(chip->measurements_started(), 0);
    const auto first = after(dev, reset);  // reads the status (its CRC), starts the measurement
    EXPECT_EQ(dev.status() & 0x0010, 0x0010) << "reset detected after the soft reset";
    ASSERT_TRUE(first.is_again());
    EXPECT_EQ(first.retry_after(), hw::sht3x_measurement_time);
    EXPECT_EQ(hw::sht3x_measurement_time, 16ms);  // tMEAS,h max 15.5 ms
    const auto r = after(dev, first);
    ASSERT_TRUE(r) << r.err().message;
    EXPECT_NEAR((*r)[0].value, 22.0, 0.05);

    chip->set_measurement_time(20ms);
    const auto start = dev.attempt();
    const auto nacked = after(dev, start);
    ASSERT_TRUE(nacked.is_again());
    EXPECT_EQ(nacked.retry_after(), 5ms);
    EXPECT_TRUE(nacked.is_converting());
    EXPECT_TRUE(after(dev, nacked)) << "20 ms after the command the result is there";
    EXPECT_LT(real_elapsed(), 60ms);
}

TEST_F(sensor_attempt, aht20_waits_80_ms_then_polls_busy_every_10_ms) {
    auto chip = attach(0x38, std::make_shared<hw::sim_aht20>());
    chip->set_environment(24.0, 50.0);
    hw::aht20 dev(bus_, {});
    ASSERT_TRUE(dev.open());
    const auto first = dev.attempt();
    ASSERT_TRUE(first.is_again());
    EXPECT_EQ(first.retry_after(), 80ms);
    const auto r = after(dev, first);
    ASSERT_TRUE(r) << r.err().message;
    EXPECT_NEAR((*r)[0].value, 24.0, 0.01);
    chip->set_measurement_time(85ms);
    const auto busy = after(dev, dev.attempt());
    ASSERT_TRUE(busy.is_again());
    EXPECT_EQ(busy.retry_after(), 10ms);
    EXPECT_TRUE(after(dev, busy));
    EXPECT_LT(real_elapsed(), 120ms);  // open() sleeps 40 ms for the power-up, attempt() never
}

TEST_F(sensor_attempt, htu21d_converts_temperature_then_humidity) {
    auto chip = attach(0x40, std::make_shared<hw::sim_htu21d>());
    chip->set_environment(19.0, 60.0);
    hw::htu21d dev(bus_, {});
    ASSERT_TRUE(dev.open());
    const auto t = dev.attempt();
    ASSERT_TRUE(t.is_again());
    EXPECT_EQ(t.retry_after(), 50ms);  // 14-bit temperature maximum
    const auto h = after(dev, t);
    ASSERT_TRUE(h.is_again()) << h.err().message;
    EXPECT_EQ(h.retry_after(), 16ms);  // 12-bit humidity maximum
    const auto r = after(dev, h);
    ASSERT_TRUE(r) << r.err().message;
    ASSERT_EQ(r->size(), 2u);
    EXPECT_NEAR((*r)[0].value, 19.0, 0.05);
    EXPECT_NEAR((*r)[1].value, 60.0, 0.1);
    EXPECT_LT(real_elapsed(), 60ms);
}

TEST_F(sensor_attempt, bh1750_waits_the_maximum_measurement_time) {
    auto chip = attach(0x23, std::make_shared<hw::sim_bh1750>());
    chip->set_lux(300);
    hw::bh1750 dev(bus_, {});
    ASSERT_TRUE(dev.open());
    const auto first = dev.attempt();
    ASSERT_TRUE(first.is_again());
    EXPECT_EQ(first.retry_after(), 180ms);  // H-resolution, MTreg 69
    EXPECT_TRUE(first.is_converting());
    const auto r = after(dev, first);
    ASSERT_TRUE(r) << r.err().message;
    EXPECT_NEAR((*r)[0].value, 300, 1);
    EXPECT_LT(real_elapsed(), 90ms);
}

TEST_F(sensor_attempt, ads1115_converts_each_channel_in_turn) {
    auto chip = attach(0x48, std::make_shared<hw::sim_ads1115>());
    chip->set_inputs({0.5, 1.0, 1.5, 2.0});
    hw::ads1115 dev(bus_, {.channels = {false, true, false, true}});
    ASSERT_TRUE(dev.open());
    EXPECT_EQ(dev.conversion_time(), 9ms);  // 128 SPS: 7.8125 ms + 10 %, rounded up
    const auto a1 = dev.attempt();
    ASSERT_TRUE(a1.is_again());
    EXPECT_EQ(a1.retry_after(), 9ms);
    const auto a3 = after(dev, a1);
    ASSERT_TRUE(a3.is_again()) << a3.err().message;
    EXPECT_EQ(a3.retry_after(), 9ms);
    EXPECT_EQ(chip->conversions_started(), 2);
    const auto r = after(dev, a3);
    ASSERT_TRUE(r) << r.err().message;
    ASSERT_EQ(r->size(), 2u);
    EXPECT_EQ((*r)[0].name, "voltage1");
    EXPECT_NEAR((*r)[1].value, 2.0, 0.001);
    EXPECT_LT(real_elapsed(), 60ms);
}

TEST_F(sensor_attempt, ina219_waits_both_conversions) {
    auto chip = attach(0x40, std::make_shared<hw::sim_ina219>(0.1));
    chip->set_bus(12.0, 0.5);
    hw::ina219 dev(bus_, {});
    ASSERT_TRUE(dev.open());
    const auto first = dev.attempt();
    ASSERT_TRUE(first.is_again());
    EXPECT_EQ(first.retry_after(), dev.conversion_time());
    EXPECT_EQ(dev.conversion_time(), 2ms);  // 12 bit: 532 µs x 2 + 10 %, rounded up
    const auto r = after(dev, first);
    ASSERT_TRUE(r) << r.err().message;
    EXPECT_NEAR((*r)[0].value, 12.0, 0.01);
    EXPECT_LT(real_elapsed(), 60ms);
}

TEST_F(sensor_attempt, lm75_tmp102_mcp9808_wait_one_conversion_after_a_change_without_sleeping) {
    auto lm75 = attach(0x48, std::make_shared<hw::sim_lm75>(hw::lm75_variant::lm75));
    auto tmp102 = attach(0x49, std::make_shared<hw::sim_lm75>(hw::lm75_variant::tmp102));
    auto mcp9808 = attach(0x18, std::make_shared<hw::sim_mcp9808>());
    lm75->set_temperature(23.5);
    tmp102->set_temperature(23.5);
    mcp9808->set_temperature(23.5);
    hw::lm75 lm75_dev(bus_, {.address = 0x48});
    expect_one_wait_after_open(lm75_dev, 0x48, {0x01, 0x01}, 300ms);  // leaving shutdown
    hw::lm75 tmp102_dev(bus_, {.address = 0x49, .variant = hw::lm75_variant::tmp102});
    expect_one_wait_after_open(tmp102_dev, 0x49, {0x01, 0x61, 0xA0}, 35ms);  // SD set
    hw::lm75 extended(bus_,
                      {.address = 0x49, .variant = hw::lm75_variant::tmp102, .extended = true});
    expect_one_wait_after_open(extended, 0x49, {0x01, 0x60, 0xA0}, 35ms);  // EM to set
    hw::mcp9808 mcp9808_dev(bus_, {.address = 0x18});
    expect_one_wait_after_open(mcp9808_dev, 0x18, {0x01, 0x01, 0x00}, 300ms);  // SHDN set
    EXPECT_LT(real_elapsed(), 200ms);  // open() sleeping the 300 ms could not be this quick
}

// Every converting driver on a chip that never gets ready: the attempts end, after exactly the
// first wait plus the driver's bound of "again"s, in a timeout error (not an "again") that
// names the bus, the address and what ran, without real time passing; once the chip works
// again (and what it still ran has ended), the next measurement reads.
TEST_F(sensor_attempt, a_stuck_chip_times_out_after_the_bound_naming_it_then_recovers) {
    struct stuck_case {
        std::string name;
        std::unique_ptr<hw::sensor> dev;
        std::function<void(bool)> stick;  // true: never ready; false: works again
        int agains;                       // 1 (the first wait) + the driver's bound
        std::string message;
        std::chrono::milliseconds recovery;  // the next measurement's time on the clock
    };
    auto bme280 = attach(0x76, std::make_shared<hw::sim_bme280>());
    auto bme280_nvm = attach(0x77, std::make_shared<hw::sim_bme280>());
    auto sht3x = attach(0x44, std::make_shared<hw::sim_sht3x>());
    auto aht20 = attach(0x38, std::make_shared<hw::sim_aht20>());
    auto htu21d = attach(0x40, std::make_shared<hw::sim_htu21d>());
    auto ads1115 = attach(0x48, std::make_shared<hw::sim_ads1115>());
    auto ina219 = attach(0x41, std::make_shared<hw::sim_ina219>(0.1));
    auto nvm_config = bme280_reset_config();
    nvm_config.address = 0x77;
    std::vector<stuck_case> cases;
    cases.push_back(
        {"bme280 measuring", std::make_unique<hw::bme280>(bus_, bme280_config()),
         [&](bool on) { bme280->set_extra_conversion_time(on ? 1h : 0h); }, 1 + 5,
         "sim-i2c-0 0x76 reg 0xF3: bme280: measurement still running after 5 polls (status "
         "stuck?)",
         10ms});
    cases.push_back(
        {"bme280 NVM copy", std::make_unique<hw::bme280>(bus_, nvm_config),
         [&](bool on) { bme280_nvm->set_extra_nvm_copy_time(on ? 1h : 0h); }, 1 + 5,
         "sim-i2c-0 0x77 reg 0xF3: bme280: NVM copy after reset still running after 5 polls "
         "(status stuck?)",
         2ms + 10ms});
    cases.push_back({"sht3x", std::make_unique<hw::sht3x>(bus_, hw::sht3x_config{}),
                     [&](bool on) { sht3x->set_measurement_time(on ? 1h : 12500us); },
                     1 + 1 + hw::sht3x_read_retries,  // the reset's wait, the measurement's
                     "sim-i2c-0 0x44 sht3x: no result 31 ms after the measurement command (the "
                     "chip NACKs the read)",
                     16ms});
    cases.push_back(
        {"aht20", std::make_unique<hw::aht20>(bus_, hw::aht20_config{}),
         [&](bool on) { aht20->set_measurement_time(on ? 1h : 75ms); }, 1 + hw::aht20_polls,
         "sim-i2c-0 0x38 aht20: still busy 130 ms after the trigger (status 0x98)", 80ms});
    cases.push_back(
        {"htu21d", std::make_unique<hw::htu21d>(bus_, hw::htu21d_config{}),
         [&](bool on) { htu21d->set_conversion_times(on ? 1h : 44ms, on ? 1h : 14ms); },
         1 + hw::htu21d_read_retries,
         "sim-i2c-0 0x40 htu21d: temperature (0xF3): no result 65 ms after the command (the "
         "chip NACKs the read)",
         50ms + 16ms});
    cases.push_back(
        {"ads1115",
         std::make_unique<hw::ads1115>(bus_,
                                       hw::ads1115_config{.channels = {true, false, false, false}}),
         [&](bool on) { ads1115->set_stuck(on); }, 1 + 20,
         "sim-i2c-0 0x48 reg 0x01: ads1115: AIN0 conversion still running after 20 polls (OS "
         "stuck at 0)",
         9ms});
    cases.push_back({"ina219",
                     std::make_unique<hw::ina219>(bus_, hw::ina219_config{.address = 0x41}),
                     [&](bool on) { ina219->set_stuck(on); }, 1 + 20,
                     "sim-i2c-0 0x41 reg 0x02: ina219: conversion not ready after 20 polls "
                     "(CNVR stuck at 0)",
                     2ms});
    for (auto& c : cases) {
        SCOPED_TRACE(c.name);
        c.stick(true);
        ASSERT_TRUE(c.dev->open());
        const auto real_before = std::chrono::steady_clock::now();
        int agains = 0;
        const auto r = run(*c.dev, agains);
        ASSERT_FALSE(r);
        EXPECT_FALSE(r.is_again());
        EXPECT_EQ(r.err().code, hw::hw_errc::timeout);
        EXPECT_EQ(agains, c.agains);
        EXPECT_EQ(r.err().message, c.message);
        EXPECT_LT(std::chrono::steady_clock::now() - real_before, 60ms);
        c.stick(false);
        clock_.advance(2h);  // past what the chip still runs (an SHT3x NACKs commands meanwhile)
        const auto recovering = clock_.now();
        const auto next = hw::measure_blocking(*c.dev, clock_);
        EXPECT_TRUE(next) << next.err().message;
        EXPECT_EQ(clock_.now() - recovering, c.recovery);
    }
    EXPECT_EQ(bme280_nvm->resets(), 2) << "the attempt after the timeout resets the chip again";
    EXPECT_EQ(bme280_nvm->conversions_started(), 1);
}
