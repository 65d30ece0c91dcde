// From config to reading: every sensor type, configured in JSON, built by the factory, read
// through its simulated chip on the simulated board, gives back the configured physical values.
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include <boost/asio/io_context.hpp>

#include "app/board.hpp"
#include "app/sensor_factory.hpp"
#include "config/config.hpp"

using namespace piogate;

namespace {

const char* config_text = R"({
  "board": {"kind": "sim", "i2c": [{"bus": 1, "devices": [
      {"model": "bme280", "address": "0x76", "temperature": -12.5, "humidity": 61, "pressure": 987.5},
      {"model": "bmp280", "address": "0x77", "temperature": 30.25, "pressure": 1020},
      {"model": "sht3x", "address": "0x44", "temperature": 21.5, "humidity": 40},
      {"model": "aht20", "address": "0x38", "temperature": 5, "humidity": 80},
      {"model": "htu21d", "address": "0x40", "temperature": 35, "humidity": 20},
      {"model": "bh1750", "address": "0x23", "illuminance": 1234},
      {"model": "ads1115", "address": "0x48", "voltage0": 1.25, "voltage2": 3.3},
      {"model": "tmp102", "address": "0x49", "temperature": -20.0625},
      {"model": "lm75", "address": "0x4a", "temperature": 40.5},
      {"model": "tmp102", "address": "0x4b", "temperature": -20.0625},
      {"model": "mcp9808", "address": "0x18", "temperature": 23.125},
      {"model": "ina219", "address": "0x41", "voltage": 12.0, "current": 0.5}]}]},
  "sensors": [
    {"id": "outside", "type": "bme280", "bus": 1, "oversampling": 4},
    {"id": "attic", "type": "bmp280", "bus": 1, "address": "0x77"},
    {"id": "kitchen", "type": "sht3x", "bus": 1},
    {"id": "cellar", "type": "aht20", "bus": 1},
    {"id": "bath", "type": "htu21d", "bus": 1},
    {"id": "window", "type": "bh1750", "bus": 1, "mode": "high2"},
    {"id": "adc", "type": "ads1115", "bus": 1, "channels": [0, 2], "gain_volts": 4.096},
    {"id": "freezer", "type": "tmp102", "bus": 1, "address": "0x49"},
    {"id": "boiler", "type": "lm75", "bus": 1, "address": "0x4a"},
    {"id": "desk", "type": "mcp9808", "bus": 1},
    {"id": "solar", "type": "ina219", "bus": 1, "address": "0x41", "shunt_ohms": 0.1, "max_current": 2},
    {"id": "raw", "type": "generic", "bus": 1, "address": "0x4b", "register": 0, "length": 2,
     "signed": true, "scale": 0.00390625, "quantity": "temperature", "unit": "°C"}
  ]})";

double get(const hw::reading& r, const std::string& name) {
    for (const auto& m : r) {
        if (m.name == name) return m.value;
    }
    ADD_FAILURE() << "no " << name << " in the reading";
    return 0;
}

}  // namespace

TEST(sensor_factory, every_type_reads_its_simulated_chip) {
    const auto cfg = config::parse_config(config::json::parse(config_text));
    boost::asio::io_context io;
    app::board board(io, cfg.board);
    std::map<std::string, hw::reading> readings;
    for (const auto& s : cfg.sensors) {
        auto sensor = app::make_sensor(board, s).sensor;
        ASSERT_TRUE(sensor->open()) << s.id << ": " << sensor->open().err().message;
        auto r = sensor->measure();
        ASSERT_TRUE(r) << s.id << ": " << r.err().message;
        readings[s.id] = *r;
    }
    EXPECT_NEAR(get(readings["outside"], "temperature"), -12.5, 0.02);
    EXPECT_NEAR(get(readings["outside"], "humidity"), 61, 0.1);
    EXPECT_NEAR(get(readings["outside"], "pressure"), 987.5, 0.05);
    EXPECT_NEAR(get(readings["attic"], "temperature"), 30.25, 0.02);
    EXPECT_NEAR(get(readings["attic"], "pressure"), 1020, 0.05);
    EXPECT_NEAR(get(readings["kitchen"], "temperature"), 21.5, 0.01);
    EXPECT_NEAR(get(readings["kitchen"], "humidity"), 40, 0.01);
    EXPECT_NEAR(get(readings["cellar"], "temperature"), 5, 0.01);
    EXPECT_NEAR(get(readings["cellar"], "humidity"), 80, 0.01);
    EXPECT_NEAR(get(readings["bath"], "temperature"), 35, 0.02);
    EXPECT_NEAR(get(readings["bath"], "humidity"), 20, 0.05);
    EXPECT_NEAR(get(readings["window"], "illuminance"), 1234, 0.5);
    EXPECT_NEAR(get(readings["adc"], "voltage0"), 1.25, 0.001);
    EXPECT_NEAR(get(readings["adc"], "voltage2"), 3.3, 0.001);
    EXPECT_EQ(readings["adc"].size(), 2u);
    EXPECT_NEAR(get(readings["freezer"], "temperature"), -20.0625, 0.0625);
    EXPECT_NEAR(get(readings["boiler"], "temperature"), 40.5, 0.5);
    EXPECT_NEAR(get(readings["desk"], "temperature"), 23.125, 0.0625);
    EXPECT_NEAR(get(readings["solar"], "voltage"), 12.0, 0.004);
    EXPECT_NEAR(get(readings["solar"], "current"), 0.5, 0.001);
    EXPECT_NEAR(get(readings["solar"], "power"), 6.0, 0.05);
    EXPECT_NEAR(get(readings["raw"], "temperature"), -20.0625, 0.0625);
}

TEST(sensor_config, errors_name_the_path) {
    auto error_of = [](const std::string& sensors) -> std::string {
        try {
            config::parse_config(config::json::parse(R"({"sensors": )" + sensors + "}"));
        } catch (const config::config_error& e) {
            return e.what();
        }
        return "";
    };
    EXPECT_EQ(error_of(R"([{"id": "a", "type": "bme280", "bus": 1, "adress": "0x76"}])"),
              "/sensors/0/adress: unknown key (did you mean \"address\"?)");
    EXPECT_EQ(error_of(R"([{"id": "a", "type": "bme280", "bus": 1}, {"id": "a", "type": "sht3x", "bus": 1}])"),
              "/sensors/1/id: duplicate sensor id \"a\"");
    EXPECT_EQ(error_of(R"([{"id": "a", "type": "bme280", "bus": 1}, {"id": "b", "type": "bmp280", "bus": 1}])"),
              "/sensors/1/address: another sensor already uses bus 1 address 0x76");
    EXPECT_EQ(error_of(R"([{"id": "a", "type": "bme208", "bus": 1}])").substr(0, 40),
              "/sensors/0/type: \"bme208\" is not one of ");
    EXPECT_EQ(error_of(R"([{"id": "a", "type": "bme280", "bus": 1, "oversampling": 3}])"),
              "/sensors/0/oversampling: 3 is not one of 1, 2, 4, 8, 16");
    EXPECT_EQ(error_of(R"([{"id": "a", "type": "sht3x", "bus": 1, "mode": "high"}])"),
              "/sensors/0/mode: unknown key");
    EXPECT_EQ(error_of(R"([{"id": "a", "type": "generic", "bus": 1, "address": "0x10"}])"),
              "/sensors/0/register: missing (an integer is required)");
    EXPECT_EQ(error_of(R"([{"id": "Kitchen", "type": "sht3x", "bus": 1}])"),
              "/sensors/0/id: \"Kitchen\" must be 1..64 of a-z, 0-9, _ and -");
    EXPECT_EQ(error_of(R"([{"id": "a", "type": "ads1115", "bus": 1, "channels": [0, 4]}])"),
              "/sensors/0/channels/1: a channel is 0, 1, 2 or 3");
}
