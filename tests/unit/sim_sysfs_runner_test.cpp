#include "app/sim_sysfs_runner.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "hw/sysfs/sysfs_file.hpp"
#include "unit/sysfs_tree.hpp"
#include "util/virtual_scheduler.hpp"

namespace piogate::app {
namespace {

config::sim_sysfs_section section() {
    return config::read_sim_sysfs(config::json::parse(R"({
        "w1": [{"rom": "28-0316a2794aff", "temperature": {"value": 20, "amplitude": 2, "period_s": 60},
                "fault": "crc", "w1_slave_only": true}],
        "iio": [{"name": "dht11", "channels": {"temp": 22, "humidityrelative": 45}, "fail_one_in": 5}],
        "hwmon": [{"name": "rpi_volt", "channels": {"in0": 0.86}, "labels": {"in0": "core"}}],
        "thermal": [{"type": "cpu_thermal"}]})"),
                                  "/board/sysfs");
}

TEST(sim_sysfs_runner, converts_the_config_section) {
    const auto c = to_sim_sysfs(section());
    ASSERT_EQ(c.w1.size(), 1u);
    EXPECT_EQ(c.w1[0].temperature.period, std::chrono::milliseconds(60000));
    EXPECT_DOUBLE_EQ(c.w1[0].temperature.amplitude, 2);
    EXPECT_EQ(c.w1[0].fault, hw::sim_w1_probe::fault_t::crc);
    EXPECT_TRUE(c.w1[0].w1_slave_only);
    EXPECT_EQ(c.iio[0].fail_one_in, 5);
    EXPECT_DOUBLE_EQ(c.iio[0].channels.at("humidityrelative").base, 45);
    EXPECT_EQ(c.hwmon[0].labels.at("in0"), "core");
    EXPECT_EQ(c.thermal[0].type, "cpu_thermal");
    EXPECT_DOUBLE_EQ(c.thermal[0].temperature.base, 48.0);
}

TEST(sim_sysfs_runner, writes_the_tree_at_once) {
    test::sysfs_tree tree;
    util::virtual_scheduler time;
    sim_sysfs_runner runner(time, tree.root(), section());
    EXPECT_EQ(*hw::read_sysfs_text(tree.path("sys/class/hwmon/hwmon0/in0_input")), "860\n");
    EXPECT_EQ(*hw::read_sysfs_text(tree.path("sys/class/thermal/thermal_zone0/type")),
              "cpu_thermal\n");
    EXPECT_EQ(*hw::read_sysfs_text(tree.path("sys/bus/iio/devices/iio:device0/name")), "dht11\n");
}

TEST(sim_sysfs_runner, moves_the_values_along_their_waves_each_second_of_the_schedulers_time) {
    test::sysfs_tree tree;
    util::virtual_scheduler time;
    sim_sysfs_runner runner(time, tree.root(), section());  // thermal: the default 48 ± 3 / 120 s
    const auto temp = tree.path("sys/class/thermal/thermal_zone0/temp");
    EXPECT_EQ(*hw::read_sysfs_text(temp), "48000\n");
    time.advance(std::chrono::milliseconds(29999));    // the value of the tick at 29 s
    EXPECT_EQ(*hw::read_sysfs_text(temp), "50996\n");  // 48 + 3 sin(2π 29/120), rounded
    time.advance(std::chrono::milliseconds(1));
    EXPECT_EQ(*hw::read_sysfs_text(temp), "51000\n");  // a quarter period: the crest
    time.advance(std::chrono::seconds(60));
    EXPECT_EQ(*hw::read_sysfs_text(temp), "45000\n");  // three quarters: the trough
    EXPECT_EQ(time.pending(), 1u);                     // the next tick
}

TEST(sim_sysfs_runner, stops_ticking_when_destroyed) {
    test::sysfs_tree tree;
    util::virtual_scheduler time;
    {
        sim_sysfs_runner runner(time, tree.root(), section());
        EXPECT_EQ(time.pending(), 1u);
    }
    EXPECT_EQ(time.pending(), 0u);
    time.advance(std::chrono::seconds(30));
    EXPECT_EQ(*hw::read_sysfs_text(tree.path("sys/class/thermal/thermal_zone0/temp")), "48000\n");
}

}  // namespace
}  // namespace piogate::app
