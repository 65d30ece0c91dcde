#include "config/sim_sysfs_config.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "config/config_error.hpp"

namespace piogate::config {
namespace {

sim_sysfs_section read(const std::string& text) {
    return read_sim_sysfs(json::parse(text), "/board/sysfs");
}

std::string error_of(const std::string& text) {
    try {
        read(text);
    } catch (const config_error& e) {
        return e.what();
    }
    return "";
}

TEST(sim_sysfs_config, reads_every_device_kind) {
    auto s = read(R"({
        "w1": [{"rom": "28-0316a2794aff", "temperature": {"value": 21.5, "amplitude": 1, "period_s": 60}},
               {"rom": "10-000802b4a1c0", "w1_slave_only": true, "fault": "crc"}],
        "iio": [{"name": "dht11@4", "channels": {"temp": 22, "humidityrelative": 45}, "fail_one_in": 4}],
        "hwmon": [{"name": "rpi_volt", "channels": {"in0": 0.86}, "labels": {"in0": "core"}}],
        "thermal": [{"type": "cpu-thermal"}]})");
    ASSERT_EQ(s.w1.size(), 2u);
    EXPECT_EQ(s.w1[0].temperature, (sim_wave_config{21.5, 1, 60}));
    EXPECT_EQ(s.w1[1].temperature.value, 21.5);  // default
    EXPECT_TRUE(s.w1[1].w1_slave_only);
    EXPECT_EQ(s.w1[1].fault, "crc");
    ASSERT_EQ(s.iio.size(), 1u);
    EXPECT_EQ(s.iio[0].channels.at("humidityrelative").value, 45);
    EXPECT_EQ(s.iio[0].fail_one_in, 4);
    EXPECT_EQ(s.hwmon[0].labels.at("in0"), "core");
    EXPECT_EQ(s.thermal[0].temperature.value, 48.0);
    EXPECT_FALSE(s.empty());
    EXPECT_TRUE(read("{}").empty());
}

TEST(sim_sysfs_config, errors_name_the_path) {
    struct row {
        const char* text;
        const char* error;
    };
    for (
        auto r : {
            row{R"({"w1": [{"rom": "28-xyz"}]})",
                "/board/sysfs/w1/0/rom: \"28-xyz\" is not a 1-Wire ROM id (28-0316a2794aff)"},
            row{R"({"w1": [{"rom": "28-0316a2794aff"}, {"rom": "28-0316a2794aff"}]})",
                "/board/sysfs/w1/1/rom: 28-0316a2794aff is listed twice"},
            row{R"({"w1": [{"rom": "28-0316a2794aff", "fault": "fire"}]})",
                "/board/sysfs/w1/0/fault: \"fire\" is not one of \"none\", \"power_on\", \"crc\""},
            row{R"({"w1": [{"rom": "28-0316a2794aff", "temperature": "warm"}]})",
                "/board/sysfs/w1/0/temperature: must be a number or {\"value\", \"amplitude\", "
                "\"period_s\"}, not a string"},
            row{R"({"iio": [{"name": "x", "channels": {"temperature": 1}}]})",
                "/board/sysfs/iio/0/channels/temperature: not a channel name (temp, "
                "humidityrelative, pressure, illuminance, voltageN)"},
            row{R"({"iio": [{"name": "x", "channels": {"voltage": 1}}]})",
                "/board/sysfs/iio/0/channels/voltage: not a channel name (temp, "
                "humidityrelative, pressure, illuminance, voltageN)"},
            row{R"({"iio": [{"name": "x"}]})",
                "/board/sysfs/iio/0/channels: required: the device's channels and their values"},
            row{R"({"iio": [{"name": "a/b", "channels": {"temp": 1}}]})",
                "/board/sysfs/iio/0/name: must be a non-empty name without '/' or a line break"},
            row{R"({"hwmon": [{"name": "h", "channels": {"temp": 1}}]})",
                "/board/sysfs/hwmon/0/channels/temp: not a channel name (tempN, inN, currN, "
                "powerN, fanN)"},
            row{R"({"hwmon": [{"name": "h", "channels": {"temp1": 1}, "labels": {"temp2": "x"}}]})",
                "/board/sysfs/hwmon/0/labels/temp2: no such channel in \"channels\""},
            row{R"({"thermal": [{"type": "cpu-thermal", "temperature": {"value": 1, "amplitde": 2}}]})",
                "/board/sysfs/thermal/0/temperature/amplitde: unknown key (did you mean "
                "\"amplitude\"?)"},
            row{R"({"w2": []})", "/board/sysfs/w2: unknown key (did you mean \"w1\"?)"},
        }) {
        EXPECT_EQ(error_of(r.text), r.error) << r.text;
    }
}

}  // namespace
}  // namespace piogate::config
