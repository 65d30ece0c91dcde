#include "hw/sysfs/iio_sensor.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "hw/sysfs/iio_device.hpp"
#include "unit/sysfs_tree.hpp"

namespace piogate::hw {
namespace {

const std::string dev0 = "sys/bus/iio/devices/iio:device0/";
const std::string dev1 = "sys/bus/iio/devices/iio:device1/";

const measurement* find(const reading& r, const std::string& name) {
    for (const auto& m : r) {
        if (m.name == name) return &m;
    }
    return nullptr;
}

TEST(iio_device, found_by_name_by_name_before_at_by_number_and_by_path) {
    test::sysfs_tree tree;
    tree.put(dev0 + "name", "ads1015\n");
    tree.put(dev1 + "name", "dht11@4\n");
    EXPECT_EQ(*find_iio_device(tree.root(), "ads1015"), tree.path(dev0).parent_path());
    EXPECT_EQ(*find_iio_device(tree.root(), "dht11"), tree.path(dev1).parent_path());
    EXPECT_EQ(*find_iio_device(tree.root(), "dht11@4"), tree.path(dev1).parent_path());
    EXPECT_EQ(*find_iio_device(tree.root(), "iio:device1"), tree.path(dev1).parent_path());
    EXPECT_EQ(*find_iio_device(tree.root(), "/sys/bus/iio/devices/iio:device0"),
              tree.path(dev0).parent_path());
    auto none = find_iio_device(tree.root(), "bmp280");
    ASSERT_FALSE(none.ok());
    EXPECT_EQ(none.err().code, make_error_code(hw_errc::not_found));
    EXPECT_NE(none.err().message.find("present: ads1015, dht11@4"), std::string::npos)
        << none.err().message;
    EXPECT_FALSE(find_iio_device(tree.root(), "iio:device7").ok());
}

TEST(iio_device, a_shared_name_asks_for_the_device_number) {
    test::sysfs_tree tree;
    tree.put(dev0 + "name", "dht11\n");
    tree.put(dev1 + "name", "dht11\n");
    auto r = find_iio_device(tree.root(), "dht11");
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.err().message.find("iio:device0, iio:device1"), std::string::npos)
        << r.err().message;
}

// Processed and raw channels, in published units.
TEST(iio_sensor, channel_table) {
    struct row {
        std::vector<std::pair<std::string, std::string>> files;
        std::string channel;
        std::string name;
        double value;
        std::string unit;
    };
    const std::vector<row> rows{
        {{{"in_temp_input", "21375\n"}}, "temp", "temperature", 21.375, "°C"},
        {{{"in_humidityrelative_input", "45600\n"}}, "humidityrelative", "humidity", 45.6, "%RH"},
        {{{"in_pressure_input", "101.325000\n"}}, "pressure", "pressure", 1013.25, "hPa"},
        {{{"in_illuminance_input", "312\n"}}, "illuminance", "illuminance", 312, "lx"},
        // (raw + offset) * scale, own scale and offset
        {{{"in_temp_raw", "1000\n"}, {"in_temp_offset", "-500\n"}, {"in_temp_scale", "40\n"}},
         "temp",
         "temperature",
         20.0,
         "°C"},
        // voltage with its own scale: 1650 * 1 mV
        {{{"in_voltage0_raw", "1650\n"}, {"in_voltage0_scale", "1.000000\n"}},
         "voltage0",
         "voltage0",
         1.65,
         "V"},
        // the shared in_voltage_scale and in_voltage_offset
        {{{"in_voltage1_raw", "2048\n"},
          {"in_voltage_scale", "0.805664062\n"},
          {"in_voltage_offset", "0\n"}},
         "voltage1",
         "voltage1",
         2048 * 0.805664062 / 1000,
         "V"},
        // no scale at all: the raw value in IIO units
        {{{"in_illuminance_raw", "77\n"}}, "illuminance", "illuminance", 77, "lx"},
        {{{"in_humidityrelative_raw", "500\n"}, {"in_humidityrelative_scale", "100\n"}},
         "humidityrelative",
         "humidity",
         50.0,
         "%RH"},
    };
    for (const auto& r : rows) {
        test::sysfs_tree tree;
        tree.put(dev0 + "name", "dev\n");
        for (const auto& [file, text] : r.files) tree.put(dev0 + file, text);
        iio_sensor s(tree.root(), {"dev", {}});
        ASSERT_TRUE(s.open().ok()) << r.channel;
        ASSERT_EQ(s.channels(), std::vector<std::string>{r.channel});
        auto v = s.measure();
        ASSERT_TRUE(v.ok()) << v.err().message;
        ASSERT_EQ(v->size(), 1u);
        EXPECT_EQ((*v)[0].name, r.name);
        EXPECT_NEAR((*v)[0].value, r.value, 1e-9) << r.channel;
        EXPECT_EQ((*v)[0].unit, r.unit);
    }
}

TEST(iio_sensor, bad_values_are_errors_naming_the_file) {
    struct row {
        std::string file, text;
        hw_errc code;
        std::string says;
    };
    for (const auto& r : std::vector<row>{
             {"in_temp_input", "", hw_errc::out_of_range, "empty"},
             {"in_temp_input", "hot\n", hw_errc::out_of_range, "\"hot\" is not a number"},
             {"in_temp_input", "21.5.3", hw_errc::out_of_range, "not a number"}}) {
        test::sysfs_tree tree;
        tree.put(dev0 + "name", "dev\n");
        tree.put(dev0 + r.file, r.text);
        iio_sensor s(tree.root(), {"dev", {"temp"}});
        ASSERT_TRUE(s.open().ok());
        auto v = s.measure();
        ASSERT_FALSE(v.ok());
        EXPECT_EQ(v.err().code, make_error_code(r.code));
        EXPECT_NE(v.err().message.find(r.says), std::string::npos) << v.err().message;
        EXPECT_NE(v.err().message.find(r.file), std::string::npos) << v.err().message;
    }
    test::sysfs_tree tree;
    tree.put(dev0 + "name", "dev\n");
    tree.put(dev0 + "in_voltage0_raw", "12\n");
    tree.put(dev0 + "in_voltage0_scale", "x\n");
    iio_sensor s(tree.root(), {"dev", {}});
    ASSERT_TRUE(s.open().ok());
    auto v = s.measure();
    ASSERT_FALSE(v.ok());
    EXPECT_NE(v.err().message.find("in_voltage0_scale"), std::string::npos) << v.err().message;
}

TEST(iio_sensor, channels_configured_must_exist) {
    test::sysfs_tree tree;
    tree.put(dev0 + "name", "bmp280\n");
    tree.put(dev0 + "in_temp_input", "20000\n");
    tree.put(dev0 + "in_pressure_input", "100.0\n");
    tree.put(dev0 + "in_accel_x_raw", "1\n");  // not read here: ignored
    iio_sensor all(tree.root(), {"bmp280", {}});
    ASSERT_TRUE(all.open().ok());
    EXPECT_EQ(all.channels(), (std::vector<std::string>{"pressure", "temp"}));
    auto r = all.measure();
    ASSERT_TRUE(r.ok());
    EXPECT_DOUBLE_EQ(find(*r, "pressure")->value, 1000.0);
    EXPECT_DOUBLE_EQ(find(*r, "temperature")->value, 20.0);

    iio_sensor missing(tree.root(), {"bmp280", {"humidityrelative"}});
    auto m = missing.open();
    ASSERT_FALSE(m.ok());
    EXPECT_EQ(m.err().code, make_error_code(hw_errc::not_found));
    EXPECT_NE(m.err().message.find("it has: pressure, temp"), std::string::npos) << m.err().message;
    iio_sensor unknown(tree.root(), {"bmp280", {"accel_x"}});
    EXPECT_EQ(unknown.open().err().code, make_error_code(hw_errc::not_supported));
}

TEST(iio_sensor, eio_fails_the_reading) {
    test::sysfs_tree tree;
    tree.put(dev0 + "name", "dev\n");
    tree.put(dev0 + "in_temp_input", "20000\n");
    tree.eio(dev0 + "in_pressure_input");
    iio_sensor s(tree.root(), {"dev", {}});
    ASSERT_TRUE(s.open().ok());
    auto v = s.measure();
    ASSERT_FALSE(v.ok());
    EXPECT_EQ(v.err().code, make_error_code(hw_errc::io_error));
}

}  // namespace
}  // namespace piogate::hw
