// The BME280/BMP280 driver end to end through the simulated chip: the same bytes a real chip
// sends, from physical values back to physical values, plus every fault of the simulated bus.
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include <atomic>
#include <thread>

#include "hw/sensors/bme280.hpp"
#include "hw/sim/sim_bme280.hpp"
#include "hw/sim/sim_i2c_bus.hpp"

using namespace std::chrono_literals;
namespace hw = piogate::hw;
using os = hw::bmx280_oversampling;

namespace {

struct env {
    double celsius, rh, hpa;
};

const hw::measurement* find(const hw::reading& r, const std::string& name) {
    for (const auto& m : r) {
        if (m.name == name) return &m;
    }
    return nullptr;
}

class bme280_driver : public ::testing::Test {
protected:
    void attach(hw::sim_bmx280_model model = hw::sim_bmx280_model::bme280) {
        chip_ = std::make_shared<hw::sim_bme280>(model);
        bus_.attach(0x76, chip_);
    }
    hw::bme280_config fast_config() const {
        hw::bme280_config cfg;
        cfg.status_polls = 5;
        return cfg;
    }
    hw::sim_i2c_bus bus_{"sim-i2c-0"};
    std::shared_ptr<hw::sim_bme280> chip_;
};

}  // namespace

TEST_F(bme280_driver, reads_temperature_pressure_humidity_with_names_and_units) {
    attach();
    chip_->set_environment(21.5, 48.0, 1009.3);
    hw::bme280 dev(bus_, fast_config());
    EXPECT_EQ(dev.type(), "bme280");
    ASSERT_TRUE(dev.open());
    EXPECT_EQ(dev.chip(), hw::bmx280_chip::bme280);
    EXPECT_TRUE(dev.has_humidity());
    auto r = dev.measure();
    ASSERT_TRUE(r) << r.err().message;
    EXPECT_EQ(dev.calibration(), hw::sim_bme280::datasheet_calibration());
    ASSERT_EQ(r->size(), 3u);
    EXPECT_EQ((*r)[0].name, "temperature");
    EXPECT_EQ((*r)[0].unit, "°C");
    EXPECT_EQ((*r)[1].name, "pressure");
    EXPECT_EQ((*r)[1].unit, "hPa");
    EXPECT_EQ((*r)[2].name, "humidity");
    EXPECT_EQ((*r)[2].unit, "%RH");
    EXPECT_NEAR((*r)[0].value, 21.5, 0.01);
    EXPECT_NEAR((*r)[1].value, 1009.3, 0.03);
    EXPECT_NEAR((*r)[2].value, 48.0, 0.01);
    // One forced conversion per measure(), none in open(); the driver soft-reset the chip once.
    EXPECT_EQ(chip_->conversions_started(), 1);
    EXPECT_EQ(chip_->resets(), 1);
}

// Physical value → raw words (the simulated chip) → driver → physical value, within the ADC
// step of the chosen oversampling and the output rounding.
struct recovery_case {
    os oversampling;
    double tol_c, tol_hpa;
};
class bme280_recovery : public bme280_driver,
                        public ::testing::WithParamInterface<recovery_case> {};

TEST_P(bme280_recovery, physical_values_come_back_within_resolution) {
    attach();
    auto cfg = fast_config();
    cfg.temperature = cfg.pressure = cfg.humidity = GetParam().oversampling;
    hw::bme280 dev(bus_, cfg);
    ASSERT_TRUE(dev.open());
    const env cases[] = {
        {-20.0, 0.0, 1013.25},  {-40.0, 100.0, 300.0},   {85.0, 50.0, 1100.0}, {0.0, 100.0, 1100.0},
        {-39.99, 12.5, 300.01}, {84.99, 99.99, 1099.99}, {-0.01, 0.01, 950.0}, {37.77, 63.3, 722.2},
    };
    for (const auto& e : cases) {
        chip_->set_environment(e.celsius, e.rh, e.hpa);
        auto r = dev.measure();
        ASSERT_TRUE(r) << e.celsius << " °C " << e.rh << " %RH " << e.hpa
                       << " hPa: " << r.err().message;
        EXPECT_NEAR(find(*r, "temperature")->value, e.celsius, GetParam().tol_c);
        EXPECT_NEAR(find(*r, "pressure")->value, e.hpa, GetParam().tol_hpa);
        // Humidity is always 16 bit; 0 and 100 come back exactly (the formula clamps there).
        EXPECT_NEAR(find(*r, "humidity")->value, e.rh, 0.01);
        if (e.rh == 0.0 || e.rh == 100.0) {
            EXPECT_EQ(find(*r, "humidity")->value, e.rh);
        }
    }
}

INSTANTIATE_TEST_SUITE_P(oversampling, bme280_recovery,
                         ::testing::Values(recovery_case{os::x1, 0.01, 0.03},  // 16 bit
                                           recovery_case{os::x4, 0.01, 0.01},
                                           recovery_case{os::x16, 0.006, 0.005}),  // 20 bit
                         [](const auto& info) {
                             return "x" + std::to_string(
                                              hw::oversampling_factor(info.param.oversampling));
                         });

TEST_F(bme280_driver, iir_filter_setting_reaches_the_chip) {
    attach();
    auto cfg = fast_config();
    cfg.filter = hw::bmx280_filter::x4;
    hw::bme280 dev(bus_, cfg);
    ASSERT_TRUE(dev.open());
    chip_->set_environment(12.34, 56.7, 987.65);
    auto r = dev.measure();  // the configuration is written once the NVM copy is done
    ASSERT_TRUE(r) << r.err().message;
    EXPECT_EQ(chip_->reg(0xF5), 0x02 << 2);
    // With the filter on the chip resolves all 20 bits even at x1.
    EXPECT_NEAR(find(*r, "pressure")->value, 987.65, 0.005);
}

TEST_F(bme280_driver, bmp280_gives_temperature_and_pressure_only) {
    attach(hw::sim_bmx280_model::bmp280);
    chip_->set_environment(-20.0, 80.0, 500.0);
    hw::bme280 dev(bus_, fast_config());
    ASSERT_TRUE(dev.open());
    EXPECT_EQ(dev.chip(), hw::bmx280_chip::bmp280);
    EXPECT_FALSE(dev.has_humidity());
    auto r = dev.measure();
    ASSERT_TRUE(r) << r.err().message;
    ASSERT_EQ(r->size(), 2u);
    EXPECT_NEAR(find(*r, "temperature")->value, -20.0, 0.01);
    EXPECT_NEAR(find(*r, "pressure")->value, 500.0, 0.03);
    EXPECT_EQ(find(*r, "humidity"), nullptr);
}

TEST_F(bme280_driver, expected_chip_kind_is_enforced) {
    attach(hw::sim_bmx280_model::bmp280);
    auto cfg = fast_config();
    cfg.expect = hw::bmx280_chip::bme280;
    hw::bme280 want_bme(bus_, cfg);
    auto r = want_bme.open();
    ASSERT_FALSE(r);
    EXPECT_EQ(r.err().code, hw::hw_errc::bad_chip_id);
    EXPECT_NE(r.err().message.find("0x58"), std::string::npos) << r.err().message;

    cfg.expect = hw::bmx280_chip::bmp280;
    hw::bme280 want_bmp(bus_, cfg);
    EXPECT_EQ(want_bmp.type(), "bmp280");
    EXPECT_TRUE(want_bmp.open());
}

TEST_F(bme280_driver, wrong_chip_id_names_bus_address_and_id) {
    auto other = std::make_shared<hw::sim_register_device>();
    other->set_reg(0xD0, 0x55);  // e.g. a BMP180
    bus_.attach(0x77, other);
    auto cfg = fast_config();
    cfg.address = 0x77;
    hw::bme280 dev(bus_, cfg);
    auto r = dev.open();
    ASSERT_FALSE(r);
    EXPECT_EQ(r.err().code, hw::hw_errc::bad_chip_id);
    EXPECT_NE(r.err().message.find("sim-i2c-0 0x77 reg 0xD0"), std::string::npos)
        << r.err().message;
    EXPECT_NE(r.err().message.find("chip id 0x55"), std::string::npos) << r.err().message;
    // measure() after a failed open() is an error, not a reading.
    EXPECT_FALSE(dev.measure());
}

TEST_F(bme280_driver, probe_recognises_both_chips_only) {
    attach();
    bus_.attach(0x77, std::make_shared<hw::sim_bme280>(hw::sim_bmx280_model::bmp280));
    EXPECT_TRUE(hw::bme280_probe(bus_, 0x76));
    EXPECT_TRUE(hw::bme280_probe(bus_, 0x77));
    auto other = std::make_shared<hw::sim_register_device>();
    other->set_reg(0xD0, 0x61);  // a BME680
    bus_.attach(0x40, other);
    EXPECT_FALSE(hw::bme280_probe(bus_, 0x40));
    EXPECT_FALSE(hw::bme280_probe(bus_, 0x50));  // nothing there
    bus_.set_fault(0x76, {.nack = true});
    EXPECT_FALSE(hw::bme280_probe(bus_, 0x76));
}

TEST_F(bme280_driver, nack_is_no_device_and_recovers_when_the_chip_answers_again) {
    attach();
    bus_.set_fault(0x76, {.nack = true});
    hw::bme280 dev(bus_, fast_config());
    auto r = dev.open();
    ASSERT_FALSE(r);
    EXPECT_EQ(r.err().code, hw::hw_errc::no_device);
    EXPECT_NE(r.err().message.find("sim-i2c-0 0x76 reg 0xD0"), std::string::npos)
        << r.err().message;
    EXPECT_NE(r.err().message.find("chip id"), std::string::npos) << r.err().message;

    bus_.set_fault(0x76, {});
    ASSERT_TRUE(dev.open());
    bus_.set_fault(0x76, {.nack = true});
    auto m = dev.measure();
    ASSERT_FALSE(m);
    EXPECT_EQ(m.err().code, hw::hw_errc::no_device);
    bus_.set_fault(0x76, {});
    EXPECT_TRUE(dev.measure());  // no re-open needed
}

TEST_F(bme280_driver, stall_is_timeout) {
    attach();
    hw::bme280 dev(bus_, fast_config());
    bus_.set_fault(0x76, {.stall = 50ms});
    auto r = dev.open();
    ASSERT_FALSE(r);
    EXPECT_EQ(r.err().code, hw::hw_errc::timeout);
    bus_.set_fault(0x76, {});
    ASSERT_TRUE(dev.open());
    bus_.set_fault(0x76, {.stall = 50ms});
    auto m = dev.measure();
    ASSERT_FALSE(m);
    EXPECT_EQ(m.err().code, hw::hw_errc::timeout);
    EXPECT_NE(m.err().message.find("sim-i2c-0 0x76"), std::string::npos) << m.err().message;
}

TEST_F(bme280_driver, corrupt_reads_never_become_readings) {
    attach();
    hw::bme280 dev(bus_, fast_config());
    // The chip id read is the last (only) byte: 0x60 ^ 0xFF = 0x9F.
    bus_.set_fault(0x76, {.corrupt = true});
    auto r = dev.open();
    ASSERT_FALSE(r);
    EXPECT_EQ(r.err().code, hw::hw_errc::bad_chip_id);
    EXPECT_NE(r.err().message.find("0x9F"), std::string::npos) << r.err().message;
    EXPECT_FALSE(hw::bme280_probe(bus_, 0x76));

    bus_.set_fault(0x76, {});
    ASSERT_TRUE(dev.open());
    // Status reads 0x00 ^ 0xFF: "measuring" never clears, so the driver gives up (bounded).
    bus_.set_fault(0x76, {.corrupt = true});
    const auto start = std::chrono::steady_clock::now();
    auto m = dev.measure();
    ASSERT_FALSE(m);
    EXPECT_EQ(m.err().code, hw::hw_errc::timeout);
    EXPECT_NE(m.err().message.find("reg 0xF3"), std::string::npos) << m.err().message;
    EXPECT_LT(std::chrono::steady_clock::now() - start, 500ms);
    bus_.set_fault(0x76, {});
    EXPECT_TRUE(dev.measure());
}

TEST_F(bme280_driver, skipped_output_is_out_of_range) {
    attach();
    hw::bme280 dev(bus_, fast_config());
    ASSERT_TRUE(dev.open());
    chip_->set_output_skipped(true);
    auto m = dev.measure();
    ASSERT_FALSE(m);
    EXPECT_EQ(m.err().code, hw::hw_errc::out_of_range);
    EXPECT_NE(m.err().message.find("sim-i2c-0 0x76 reg 0xF7"), std::string::npos)
        << m.err().message;
    EXPECT_NE(m.err().message.find("skipped"), std::string::npos) << m.err().message;
    chip_->set_output_skipped(false);
    EXPECT_TRUE(dev.measure());
}

TEST_F(bme280_driver, environment_outside_the_chip_range_is_out_of_range) {
    attach();
    hw::bme280 dev(bus_, fast_config());
    ASSERT_TRUE(dev.open());
    const env cases[] = {
        {90.0, 50.0, 1000.0}, {-45.0, 50.0, 1000.0}, {20.0, 50.0, 250.0}, {20.0, 50.0, 1150.0}};
    for (const auto& e : cases) {
        chip_->set_environment(e.celsius, e.rh, e.hpa);
        auto m = dev.measure();
        ASSERT_FALSE(m) << e.celsius << " °C " << e.hpa << " hPa";
        EXPECT_EQ(m.err().code, hw::hw_errc::out_of_range);
        EXPECT_NE(m.err().message.find("out of range"), std::string::npos) << m.err().message;
    }
}

TEST_F(bme280_driver, slow_conversion_is_waited_for_stuck_one_times_out) {
    attach();
    auto cfg = fast_config();
    cfg.status_polls = 20;
    hw::bme280 dev(bus_, cfg);
    ASSERT_TRUE(dev.open());
    chip_->set_extra_conversion_time(std::chrono::milliseconds(6));  // beyond the datasheet max
    chip_->set_environment(30.0, 40.0, 1020.0);
    auto r = dev.measure();
    ASSERT_TRUE(r) << r.err().message;
    EXPECT_NEAR(find(*r, "temperature")->value, 30.0, 0.01);

    chip_->set_extra_conversion_time(std::chrono::hours(1));
    auto m = dev.measure();
    ASSERT_FALSE(m);
    EXPECT_EQ(m.err().code, hw::hw_errc::timeout);
    EXPECT_NE(m.err().message.find("measurement still running"), std::string::npos)
        << m.err().message;
}

TEST_F(bme280_driver, survives_a_reset_behind_its_back) {
    attach();
    hw::bme280 dev(bus_, fast_config());
    ASSERT_TRUE(dev.open());
    const std::uint8_t reset[] = {0xE0, 0xB6};
    ASSERT_TRUE(bus_.write(0x76, reset));  // e.g. a brown-out: ctrl_hum and ctrl_meas are lost
    chip_->set_environment(5.0, 70.0, 990.0);
    auto r = dev.measure();  // ctrl_hum is written again before every trigger
    ASSERT_TRUE(r) << r.err().message;
    EXPECT_NEAR(find(*r, "humidity")->value, 70.0, 0.01);
}

TEST_F(bme280_driver, soft_reset_is_optional) {
    attach();
    auto cfg = fast_config();
    cfg.soft_reset = false;
    hw::bme280 dev(bus_, cfg);
    ASSERT_TRUE(dev.open());
    EXPECT_EQ(chip_->resets(), 0);
    EXPECT_TRUE(dev.measure());
}

TEST_F(bme280_driver, skipped_channels_are_left_out_of_the_reading) {
    attach();
    auto cfg = fast_config();
    cfg.humidity = os::skipped;
    hw::bme280 no_h(bus_, cfg);
    ASSERT_TRUE(no_h.open());
    auto r = no_h.measure();
    ASSERT_TRUE(r) << r.err().message;
    EXPECT_EQ(r->size(), 2u);
    EXPECT_EQ(find(*r, "humidity"), nullptr);

    cfg = fast_config();
    cfg.pressure = os::skipped;
    hw::bme280 no_p(bus_, cfg);
    ASSERT_TRUE(no_p.open());
    r = no_p.measure();
    ASSERT_TRUE(r) << r.err().message;
    EXPECT_EQ(r->size(), 2u);
    EXPECT_EQ(find(*r, "pressure"), nullptr);

    cfg = fast_config();
    cfg.temperature = os::skipped;
    hw::bme280 no_t(bus_, cfg);
    auto o = no_t.open();
    ASSERT_FALSE(o);
    EXPECT_EQ(o.err().code, hw::hw_errc::not_supported);
}

TEST_F(bme280_driver, environment_may_change_from_another_thread) {
    attach();
    hw::bme280 dev(bus_, fast_config());
    ASSERT_TRUE(dev.open());
    chip_->set_environment(10.0, 30.0, 1000.0);
    std::atomic<bool> stop{false};
    std::thread demo([&] {
        for (int i = 0; !stop; ++i) chip_->set_environment(10.0 + i % 10, 30.0 + i % 40, 1000.0);
    });
    for (int i = 0; i < 10; ++i) {
        auto r = dev.measure();
        ASSERT_TRUE(r) << r.err().message;
        EXPECT_GE(find(*r, "temperature")->value, 9.99);
        EXPECT_LE(find(*r, "temperature")->value, 19.01);
    }
    stop = true;
    demo.join();
}
