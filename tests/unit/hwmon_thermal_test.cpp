#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include "hw/sysfs/hwmon_sensor.hpp"
#include "hw/sysfs/thermal_zone.hpp"
#include "unit/sysfs_tree.hpp"

namespace piogate::hw {
namespace {

const std::string hwmon = "sys/class/hwmon/";
const std::string thermal = "sys/class/thermal/";

TEST(hwmon_sensor, channel_table) {
    struct row {
        std::string channel, text;
        std::string name;
        double value;
        std::string unit;
    };
    for (const auto& r : std::vector<row>{{"temp1", "45250\n", "temperature", 45.25, "°C"},
                                          {"in0", "5080\n", "voltage", 5.08, "V"},
                                          {"curr1", "1234\n", "current", 1.234, "A"},
                                          {"power1", "2500000\n", "power", 2.5, "W"},
                                          {"fan1", "1450\n", "fan", 1450, "RPM"},
                                          {"temp2", "-5000\n", "temperature", -5, "°C"}}) {
        test::sysfs_tree tree;
        tree.put(hwmon + "hwmon0/name", "cpu_thermal\n");
        tree.put(hwmon + "hwmon1/name", "ina3221\n");
        tree.put(hwmon + "hwmon1/" + r.channel + "_input", r.text);
        hwmon_sensor s(tree.root(), {"ina3221", r.channel});
        ASSERT_TRUE(s.open().ok()) << r.channel;
        auto v = s.measure();
        ASSERT_TRUE(v.ok()) << v.err().message;
        ASSERT_EQ(v->size(), 1u);
        EXPECT_EQ((*v)[0].name, r.name);
        EXPECT_NEAR((*v)[0].value, r.value, 1e-9);
        EXPECT_EQ((*v)[0].unit, r.unit);
    }
}

TEST(hwmon_sensor, all_channels_are_numbered_and_older_drivers_use_device) {
    test::sysfs_tree tree;
    tree.put(hwmon + "hwmon3/name", "lm75\n");  // older layout: attributes under device/
    tree.dir(hwmon + "hwmon3/device");
    tree.put(hwmon + "hwmon3/device/temp1_input", "21000\n");
    tree.put(hwmon + "hwmon3/device/in1_input", "3300\n");
    tree.put(hwmon + "hwmon3/device/temp1_max", "80000\n");  // not an _input: ignored
    hwmon_sensor s(tree.root(), {"lm75", ""});
    ASSERT_TRUE(s.open().ok());
    auto v = s.measure();
    ASSERT_TRUE(v.ok()) << v.err().message;
    ASSERT_EQ(v->size(), 2u);
    EXPECT_EQ((*v)[0].name, "voltage1");
    EXPECT_EQ((*v)[1].name, "temperature1");
    EXPECT_DOUBLE_EQ((*v)[1].value, 21.0);
    hwmon_sensor by_number(tree.root(), {"hwmon3", "temp1"});
    ASSERT_TRUE(by_number.open().ok());
    EXPECT_TRUE(by_number.measure().ok());
}

TEST(hwmon_sensor, errors_name_the_device_channel_and_label) {
    test::sysfs_tree tree;
    tree.put(hwmon + "hwmon0/name", "k10temp\n");
    tree.put(hwmon + "hwmon0/temp1_input", "garbled\n");
    tree.put(hwmon + "hwmon0/temp1_label", "Tctl\n");
    hwmon_sensor s(tree.root(), {"k10temp", "temp1"});
    ASSERT_TRUE(s.open().ok());
    auto v = s.measure();
    ASSERT_FALSE(v.ok());
    EXPECT_NE(v.err().message.find("temp1 (Tctl)"), std::string::npos) << v.err().message;
    EXPECT_NE(v.err().message.find("not a number"), std::string::npos);

    tree.eio(hwmon + "hwmon0/temp1_input");
    auto eio = s.measure();
    ASSERT_FALSE(eio.ok());
    EXPECT_EQ(eio.err().code, make_error_code(hw_errc::io_error));

    hwmon_sensor wrong_channel(tree.root(), {"k10temp", "fan2"});
    auto w = wrong_channel.open();
    ASSERT_FALSE(w.ok());
    EXPECT_NE(w.err().message.find("no fan2_input (it has: temp1)"), std::string::npos)
        << w.err().message;
    hwmon_sensor bad_channel(tree.root(), {"k10temp", "humidity1"});
    EXPECT_EQ(bad_channel.open().err().code, make_error_code(hw_errc::not_supported));
    hwmon_sensor absent(tree.root(), {"nct6775", ""});
    auto a = absent.open();
    ASSERT_FALSE(a.ok());
    EXPECT_NE(a.err().message.find("present: k10temp"), std::string::npos) << a.err().message;
}

TEST(thermal_zone, finds_the_soc_zone_by_type_or_number) {
    test::sysfs_tree tree;
    tree.put(thermal + "thermal_zone0/type", "acpitz\n");
    tree.put(thermal + "thermal_zone0/temp", "27800\n");
    tree.put(thermal + "thermal_zone1/type", "cpu_thermal\n");
    tree.put(thermal + "thermal_zone1/temp", "48312\n");
    thermal_zone soc(tree.root(), {""});
    ASSERT_TRUE(soc.open().ok());
    auto v = soc.measure();
    ASSERT_TRUE(v.ok()) << v.err().message;
    EXPECT_EQ((*v)[0].name, "temperature");
    EXPECT_EQ((*v)[0].unit, "°C");
    EXPECT_DOUBLE_EQ((*v)[0].value, 48.312);
    // "cpu-thermal" and "cpu_thermal" are one name
    thermal_zone by_type(tree.root(), {"cpu-thermal"});
    ASSERT_TRUE(by_type.open().ok());
    EXPECT_DOUBLE_EQ((*by_type.measure())[0].value, 48.312);
    thermal_zone zone0(tree.root(), {"thermal_zone0"});
    ASSERT_TRUE(zone0.open().ok());
    EXPECT_DOUBLE_EQ((*zone0.measure())[0].value, 27.8);
}

TEST(thermal_zone, without_a_soc_type_the_first_zone_is_used) {
    test::sysfs_tree tree;
    tree.put(thermal + "thermal_zone10/type", "b\n");
    tree.put(thermal + "thermal_zone2/type", "a\n");
    tree.put(thermal + "thermal_zone2/temp", "30000\n");
    thermal_zone soc(tree.root(), {""});
    ASSERT_TRUE(soc.open().ok());
    EXPECT_DOUBLE_EQ((*soc.measure())[0].value, 30.0);
}

TEST(thermal_zone, errors) {
    test::sysfs_tree tree;
    thermal_zone none(tree.root(), {""});
    EXPECT_EQ(none.open().err().code, make_error_code(hw_errc::not_found));
    tree.put(thermal + "thermal_zone0/type", "cpu-thermal\n");
    thermal_zone other(tree.root(), {"gpu-thermal"});
    auto o = other.open();
    ASSERT_FALSE(o.ok());
    EXPECT_NE(o.err().message.find("present: thermal_zone0 cpu-thermal"), std::string::npos)
        << o.err().message;
    struct row {
        std::string text;
        hw_errc code;
    };
    for (const auto& r : std::vector<row>{{"", hw_errc::out_of_range},
                                          {"warm\n", hw_errc::out_of_range},
                                          {"999999\n", hw_errc::out_of_range},
                                          {"EIO", hw_errc::io_error},
                                          {"missing", hw_errc::not_found}}) {
        if (r.text == "EIO") {
            tree.eio(thermal + "thermal_zone0/temp");
        } else if (r.text == "missing") {
            tree.remove(thermal + "thermal_zone0/temp");
        } else {
            tree.put(thermal + "thermal_zone0/temp", r.text);
        }
        thermal_zone soc(tree.root(), {""});
        ASSERT_TRUE(soc.open().ok());
        auto v = soc.measure();
        ASSERT_FALSE(v.ok()) << r.text;
        EXPECT_EQ(v.err().code, make_error_code(r.code)) << v.err().message;
        EXPECT_NE(v.err().message.find("thermal zone thermal_zone0"), std::string::npos);
    }
}

}  // namespace
}  // namespace piogate::hw
