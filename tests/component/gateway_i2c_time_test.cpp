// Component tier: I2C sensors read through the gateway on virtual time (issue 11 §1). The
// drivers answer "again after the conversion time" instead of sleeping on their worker (the
// BME280 also its start-up after the soft reset and its NVM copy), the sensor channel waits
// that on the virtual scheduler, and the simulated chips keep their times on the loop's
// chip_clock (virtual time the I2C worker may read, tests/component/virtual_loop.hpp):
// readings and errors go out at the virtual instants the datasheets' timing gives, with no
// sleep.
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include <chrono>
#include <string>
#include <vector>

#include "component/gateway_fixture.hpp"
#include "config/config.hpp"
#include "hw/sensors/sht3x.hpp"
#include "hw/sim/sim_bme280.hpp"
#include "hw/sim/sim_sht3x.hpp"

using namespace piogate;
using namespace std::chrono_literals;

namespace {

// A simulated board with `device` on I2C bus 1, and `sensor` (an interval of 60 s) reading it.
config::piogate_config one_sensor(const std::string& device, const std::string& sensor) {
    return config::parse_config(config::json::parse(
        R"({"board": {"kind": "sim", "i2c": [{"bus": 1, "devices": [)" + device + R"(]}]},
            "mqtt": {"topic_prefix": "gw", "client_id": "piogate-test"},
            "sensors": [)" +
        sensor + "]}"));
}

config::piogate_config sht3x_config() {
    return one_sensor(
        R"({"model": "sht3x", "address": "0x44", "temperature": 22.0, "humidity": 40.0})",
        R"({"id": "room", "type": "sht3x", "bus": 1, "address": "0x44", "interval_s": 60})");
}

config::piogate_config bme280_config() {
    return one_sensor(R"({"model": "bme280", "address": "0x76", "temperature": 21.5,
                          "humidity": 40.0, "pressure": 1002.0})",
                      R"({"id": "outside", "type": "bme280", "bus": 1, "address": "0x76",
                          "interval_s": 60})");
}

// The gateway on the I2C board of `config` (component/gateway_fixture.hpp).
struct fixture : component::gateway_fixture {
    explicit fixture(config::piogate_config config = sht3x_config())
        : component::gateway_fixture(std::move(config)) {}
};

}  // namespace

TEST(gateway_i2c_time, an_sht3x_reading_goes_out_one_conversion_time_after_each_interval) {
    fixture f;
    ASSERT_NE(f.sim_chip<hw::sim_sht3x>("1", 0x44), nullptr);
    const auto real_start = std::chrono::steady_clock::now();
    f.start_connected();
    f.loop.advance(130s);
    const auto readings = f.on("gw/sensors/room");
    ASSERT_EQ(readings.size(), 3u);
    // Measured at 0, 60 and 120 s; each published one conversion time (16 ms) later, the first
    // after the soft reset's 2 ms too.
    EXPECT_EQ(readings[0].m.at, 2ms + hw::sht3x_measurement_time);
    EXPECT_EQ(readings[1].m.at, 60s + hw::sht3x_measurement_time);
    EXPECT_EQ(readings[2].m.at, 120s + hw::sht3x_measurement_time);
    EXPECT_NE(readings[0].m.payload.find("\"temperature\":22"), std::string::npos)
        << readings[0].m.payload;
    EXPECT_TRUE(f.on("gw/sensors/room/error").empty());
    // The chip's clock followed virtual time.
    EXPECT_EQ(f.loop.chip_clock.now(), f.loop.time.now());
    // Two minutes of readings without waiting them.
    EXPECT_LT(std::chrono::steady_clock::now() - real_start, 2s);
}

TEST(gateway_i2c_time, a_slow_sht3x_is_polled_on_virtual_time) {
    fixture f;
    // 4 ms past the datasheet's maximum: one NACKed read
    f.sim_chip<hw::sim_sht3x>("1", 0x44)->set_measurement_time(20ms);
    f.start_connected();
    f.loop.advance(1s);
    const auto readings = f.on("gw/sensors/room");
    ASSERT_EQ(readings.size(), 1u);
    EXPECT_EQ(readings[0].m.at,
              2ms + hw::sht3x_measurement_time + hw::sht3x_retry_interval);  // 23 ms
    EXPECT_TRUE(f.on("gw/sensors/room/error").empty());
}

TEST(gateway_i2c_time, a_bme280_reading_waits_for_the_reset_and_nvm_copy_on_virtual_time) {
    fixture f(bme280_config());
    ASSERT_NE(f.sim_chip<hw::sim_bme280>("1", 0x76), nullptr);
    const auto real_start = std::chrono::steady_clock::now();
    f.start_connected();
    f.loop.advance(130s);
    const auto readings = f.on("gw/sensors/outside");
    ASSERT_EQ(readings.size(), 3u);
    // open() resets the chip at 0; t_startup (2 ms) later its NVM copy is done, the driver
    // reads the calibration and starts the first conversion (x1: 10 ms). Later cycles: just
    // the conversion.
    EXPECT_EQ(readings[0].m.at, 2ms + 10ms);
    EXPECT_EQ(readings[1].m.at, 60s + 10ms);
    EXPECT_EQ(readings[2].m.at, 120s + 10ms);
    EXPECT_NE(readings[0].m.payload.find("\"temperature\":21.5"), std::string::npos)
        << readings[0].m.payload;
    EXPECT_NE(readings[0].m.payload.find("\"pressure\":1002"), std::string::npos)
        << readings[0].m.payload;
    EXPECT_TRUE(f.on("gw/sensors/outside/error").empty());
    EXPECT_EQ(f.sim_chip<hw::sim_bme280>("1", 0x76)->resets(), 1);
    EXPECT_EQ(f.sim_chip<hw::sim_bme280>("1", 0x76)->conversions_started(), 3);
    EXPECT_LT(std::chrono::steady_clock::now() - real_start, 2s);
}

TEST(gateway_i2c_time, a_bme280_stuck_in_its_nvm_copy_is_an_error_then_recovers) {
    fixture f(bme280_config());
    auto chip = f.sim_chip<hw::sim_bme280>("1", 0x76);
    chip->set_extra_nvm_copy_time(std::chrono::hours(1));
    f.start_connected();
    f.loop.advance(500ms);
    // t_startup (2 ms), then 20 status polls 1 ms apart: the error at 22 ms, no reading.
    const auto errors = f.on("gw/sensors/outside/error");
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].m.at, 22ms);
    EXPECT_EQ(errors[0].m.payload,
              "sim-i2c-1 0x76 reg 0xF3: bme280: NVM copy after reset still running after 20 polls "
              "(status stuck?)");
    EXPECT_TRUE(f.on("gw/sensors/outside").empty());
    EXPECT_EQ(chip->conversions_started(), 0);

    // The copy works again: the retry (1 s after the error) resets the chip once more.
    chip->set_extra_nvm_copy_time(0us);
    f.loop.advance(1s);
    const auto readings = f.on("gw/sensors/outside");
    ASSERT_EQ(readings.size(), 1u);
    EXPECT_EQ(readings[0].m.at, 22ms + 1s + 2ms + 10ms);
    EXPECT_EQ(chip->resets(), 2);
    const auto cleared = f.on("gw/sensors/outside/error");
    ASSERT_EQ(cleared.size(), 2u);
    EXPECT_EQ(cleared[1].m.payload, "");
}
