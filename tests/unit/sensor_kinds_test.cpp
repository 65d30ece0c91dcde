// The sensor-kind registry (app/sensor_kinds/): every kind is listed once with its quantities
// (unit, datasheet resolution, Home Assistant mapping), reads only its own keys, compares its
// options by value, and its factory builds a driver that measures the kind's own simulated chip.
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include <boost/asio/io_context.hpp>
#include <set>

#include "app/board.hpp"
#include "app/sensor_factory.hpp"
#include "app/sensor_kinds/registry.hpp"
#include "config/config.hpp"

using namespace piogate;

namespace {

std::string error_of(const std::string& text) {
    try {
        config::parse_config(config::json::parse(text));
    } catch (const config::config_error& e) {
        return e.what();
    }
    return "";
}

// The keys a kind needs besides "id" and "type": the I2C kinds a bus (and generic its register),
// the sysfs kinds what names their device.
std::string required_keys(const std::string& kind) {
    if (kind == "generic") return R"(, "bus": 1, "address": "0x10", "register": 0)";
    if (kind == "ds18b20" || kind == "w1") return R"(, "rom": "28-0316a279d2ff")";
    if (kind == "dht22" || kind == "dht11") return R"(, "device": "dht11")";
    if (kind == "iio") return R"(, "device": "bmp280", "channels": ["temp", "pressure"])";
    if (kind == "hwmon") return R"(, "name": "cpu_thermal", "channel": "temp1")";
    if (kind == "thermal") return R"(, "zone": "cpu-thermal")";
    if (kind == "soc_temperature") return "";
    return R"(, "bus": 1)";
}

config::sensor_config parse_one(const std::string& entry) {
    return config::parse_config(config::json::parse(R"({"sensors": [)" + entry + "]}"))
        .sensors.at(0);
}

const config::quantity_spec& quantity(const std::vector<config::quantity_spec>& qs,
                                      const std::string& name) {
    for (const auto& q : qs) {
        if (q.name == name) return q;
    }
    throw std::runtime_error("no quantity " + name);
}

}  // namespace

TEST(sensor_kinds, the_table_lists_every_kind_once_in_the_documented_order) {
    std::vector<std::string> names;
    for (const auto* k : app::sensor_kinds()) names.push_back(k->name());
    const std::vector<std::string> expected = {
        "bme280",  "bmp280", "sht3x",  "aht20",   "htu21d", "bh1750",          "ads1115",
        "ads1015", "lm75",   "tmp102", "mcp9808", "ina219", "generic",         "ds18b20",
        "w1",      "dht22",  "dht11",  "iio",     "hwmon",  "soc_temperature", "thermal"};
    EXPECT_EQ(names, expected);
    // The config layer sees the same table, and finds each kind by name.
    ASSERT_EQ(config::installed_sensor_kinds().size(), expected.size());
    for (const auto& n : expected) {
        ASSERT_NE(app::find_sensor_kind(n), nullptr) << n;
        EXPECT_EQ(config::find_sensor_kind(n), app::find_sensor_kind(n)) << n;
    }
    EXPECT_EQ(app::find_sensor_kind("bme281"), nullptr);
}

TEST(sensor_kinds, every_quantity_has_a_unit_and_a_resolution) {
    for (const auto* k : app::sensor_kinds()) {
        std::string entry =
            R"({"id": "s", "type": ")" + k->name() + "\"" + required_keys(k->name());
        if (k->name() == "generic") entry += R"(, "unit": "cm", "scale": -0.5)";
        const auto c = parse_one(entry + "}");
        const auto qs = config::sensor_quantities(c);
        ASSERT_FALSE(qs.empty()) << k->name();
        for (const auto& q : qs) {
            EXPECT_FALSE(q.unit.empty()) << k->name() << " " << q.name;
            EXPECT_GT(q.resolution, 0) << k->name() << " " << q.name;
            EXPECT_LT(q.resolution, 5) << k->name() << " " << q.name;
        }
    }
}

TEST(sensor_kinds, resolutions_follow_the_datasheets_and_the_options) {
    auto q = [](const std::string& entry, const std::string& name) {
        return quantity(config::sensor_quantities(parse_one(entry)), name);
    };
    const auto bme = R"({"id": "s", "type": "bme280", "bus": 1})";
    EXPECT_DOUBLE_EQ(q(bme, "temperature").resolution, 0.01);
    EXPECT_DOUBLE_EQ(q(bme, "humidity").resolution, 0.008);
    EXPECT_DOUBLE_EQ(q(bme, "pressure").resolution, 0.0018);
    EXPECT_DOUBLE_EQ(q(R"({"id": "s", "type": "lm75", "bus": 1})", "temperature").resolution, 0.5);
    EXPECT_DOUBLE_EQ(q(R"({"id": "s", "type": "tmp102", "bus": 1})", "temperature").resolution,
                     0.0625);
    EXPECT_DOUBLE_EQ(q(R"({"id": "s", "type": "mcp9808", "bus": 1})", "temperature").resolution,
                     0.0625);
    // ADCs: one code of the configured full scale.
    EXPECT_DOUBLE_EQ(q(R"({"id": "s", "type": "ads1115", "bus": 1})", "voltage0").resolution,
                     4.096 / 32768);
    EXPECT_DOUBLE_EQ(
        q(R"({"id": "s", "type": "ads1015", "bus": 1, "gain_volts": 2.048})", "voltage3")
            .resolution,
        0.001);
    // BH1750: one count, 1/1.2 lx at mtreg 69, halved in high2, finer with a larger mtreg.
    EXPECT_NEAR(q(R"({"id": "s", "type": "bh1750", "bus": 1})", "illuminance").resolution, 1 / 1.2,
                1e-12);
    EXPECT_NEAR(q(R"({"id": "s", "type": "bh1750", "bus": 1, "mode": "high2", "mtreg": 254})",
                  "illuminance")
                    .resolution,
                0.11, 0.01);
    // INA219: current LSB about max_current / 32768; power 20 of them.
    const auto ina = R"({"id": "s", "type": "ina219", "bus": 1, "max_current": 3.2})";
    EXPECT_NEAR(q(ina, "current").resolution, 3.2 / 32768, 3.2 / 32768 * 0.01);
    EXPECT_NEAR(q(ina, "power").resolution, 20 * q(ina, "current").resolution, 1e-12);
    EXPECT_DOUBLE_EQ(q(ina, "voltage").resolution, 0.004);
    // generic: one raw step.
    EXPECT_DOUBLE_EQ(q(R"({"id": "s", "type": "generic", "bus": 1, "address": "0x10", "register": 0,
                           "scale": -0.25, "quantity": "level"})",
                       "level")
                         .resolution,
                     0.25);
}

TEST(sensor_kinds, home_assistant_mapping_comes_with_the_quantity) {
    const auto qs =
        config::sensor_quantities(parse_one(R"({"id": "s", "type": "bme280", "bus": 1})"));
    EXPECT_EQ(quantity(qs, "humidity").unit, "%RH");
    EXPECT_EQ(quantity(qs, "humidity").ha_unit, "%");
    EXPECT_EQ(quantity(qs, "humidity").device_class, "humidity");
    EXPECT_EQ(quantity(qs, "pressure").device_class, "pressure");
    const auto adc = config::sensor_quantities(
        parse_one(R"({"id": "s", "type": "ads1115", "bus": 1, "channels": [2]})"));
    ASSERT_EQ(adc.size(), 1u);
    EXPECT_EQ(adc[0].name, "voltage2");
    EXPECT_EQ(adc[0].device_class, "voltage");
    // generic: a device class only where Home Assistant accepts the unit for it.
    auto generic = [](const std::string& quantity, const std::string& unit) {
        return config::sensor_quantities(
                   parse_one(
                       R"({"id": "s", "type": "generic", "bus": 1, "address": "0x10", "register": 0, "quantity": ")" +
                       quantity + R"(", "unit": ")" + unit + "\"}"))
            .at(0);
    };
    EXPECT_EQ(generic("pressure", "kPa").device_class, "pressure");
    EXPECT_EQ(generic("pressure", "m").device_class, "");
    EXPECT_EQ(generic("level", "cm").device_class, "");
}

TEST(sensor_kinds, an_unknown_key_in_a_kinds_block_is_refused_with_its_path) {
    for (const auto* k : app::sensor_kinds()) {
        const std::string entry = R"({"id": "s", "type": ")" + k->name() + "\"" +
                                  required_keys(k->name()) + R"(, "colour": 1})";
        EXPECT_EQ(
            error_of(R"({"sensors": [{"id": "a", "type": "sht3x", "bus": 2}, )" + entry + "]}"),
            "/sensors/1/colour: unknown key")
            << k->name();
    }
    // A key of another kind is unknown too.
    EXPECT_EQ(error_of(R"({"sensors": [{"id": "s", "type": "lm75", "bus": 1, "extended": true}]})"),
              "/sensors/0/extended: unknown key");
    EXPECT_EQ(error_of(R"({"sensors": [{"id": "s", "type": "bh1750", "bus": 1, "mtreg": 30}]})"),
              "/sensors/0/mtreg: 30 is out of range 31..254");
}

TEST(sensor_kinds, options_compare_by_value) {
    const auto a = parse_one(R"({"id": "s", "type": "bh1750", "bus": 1, "mtreg": 100})");
    const auto b = parse_one(R"({"id": "s", "type": "bh1750", "bus": 1, "mtreg": 100})");
    const auto c = parse_one(R"({"id": "s", "type": "bh1750", "bus": 1, "mtreg": 101})");
    const auto d = parse_one(R"({"id": "s", "type": "sht3x", "bus": 1, "address": "0x23"})");
    EXPECT_TRUE(a.options == b.options);
    EXPECT_TRUE(a == b);  // what reload compares: an unchanged sensor keeps running
    EXPECT_FALSE(a.options == c.options);
    EXPECT_FALSE(a == c);
    EXPECT_FALSE(a.options == d.options);  // another kind's settings
    EXPECT_EQ(&app::kind_of(a), app::find_sensor_kind("bh1750"));
}

// Each kind that has a simulated chip: the factory's driver, over the simulated board, reads
// back the values the sim entry set, with the names and units the kind lists.
TEST(sensor_kinds, every_factory_measures_its_simulated_counterpart) {
    int tried = 0;
    for (const auto* k : app::sensor_kinds()) {
        const auto values = k->sim_values();
        if (values.empty()) continue;
        ++tried;
        config::json device = config::json::object();
        device["model"] = k->name();
        device["address"] = "0x20";
        // Plausible values, each different from the chip's default.
        const std::map<std::string, double> plausible = {
            {"temperature", 23.25}, {"humidity", 55}, {"pressure", 990}, {"illuminance", 500},
            {"voltage0", 0.5},      {"voltage1", 1},  {"voltage2", 1.5}, {"voltage3", 2},
            {"voltage", 12},        {"current", 0.5}};
        std::map<std::string, double> set;
        for (const auto& name : values) {
            ASSERT_TRUE(plausible.count(name)) << k->name() << " " << name;
            set[name] = plausible.at(name);
            device[name] = plausible.at(name);
        }
        config::json cfg =
            config::json::parse(R"({"board": {"kind": "sim", "i2c": [{"bus": 1, "devices": []}]},
            "sensors": [{"id": "s", "bus": 1, "address": "0x20"}]})");
        cfg["board"]["i2c"][0]["devices"].push_back(device);
        cfg["sensors"][0]["type"] = k->name();
        const auto parsed = config::parse_config(cfg);
        boost::asio::io_context io;
        app::board board(io, parsed.board);
        auto driver = app::make_sensor(board, parsed.sensors[0]);
        EXPECT_EQ(driver.worker, "i2c-1") << k->name();
        ASSERT_TRUE(driver.sensor->open())
            << k->name() << ": " << driver.sensor->open().err().message;
        const auto r = hw::measure_blocking(*driver.sensor);
        ASSERT_TRUE(r) << k->name() << ": " << r.err().message;
        const auto qs = config::sensor_quantities(parsed.sensors[0]);
        ASSERT_EQ(r->size(), qs.size()) << k->name();
        for (std::size_t i = 0; i < qs.size(); ++i) {
            const auto& m = (*r)[i];
            EXPECT_EQ(m.name, qs[i].name) << k->name();
            EXPECT_EQ(m.unit, qs[i].unit) << k->name();
            // The values the sim entry set, within the chip's own resolution (the INA219's
            // power is voltage x current, not set directly).
            if (set.count(m.name)) {
                EXPECT_NEAR(m.value, set[m.name], std::max(2 * qs[i].resolution, 0.1))
                    << k->name() << " " << m.name;
            }
        }
    }
    EXPECT_EQ(tried, 12);  // every kind but "generic"
}

TEST(sensor_kinds, the_scan_probes_keep_their_labels) {
    std::vector<std::string> labels;
    for (const auto* k : app::sensor_kinds()) {
        for (const auto& p : k->probes()) {
            labels.push_back(p.label);
            EXPECT_NE(p.probe, nullptr) << p.label;
            EXPECT_FALSE(p.addresses.empty()) << p.label;
        }
    }
    const std::vector<std::string> expected = {
        "bme280/bmp280",   "sht3x", "aht20",  "htu21d/si7021", "bh1750",
        "ads1115/ads1015", "lm75",  "tmp102", "mcp9808",       "ina219"};
    EXPECT_EQ(labels, expected);
}
