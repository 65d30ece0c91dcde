// The simulated board's sysfs tree, read back through the real readers.
#include "hw/sim/sim_sysfs.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "hw/sysfs/dht_sensor.hpp"
#include "hw/sysfs/hwmon_sensor.hpp"
#include "hw/sysfs/iio_sensor.hpp"
#include "hw/sysfs/sysfs_file.hpp"
#include "hw/sysfs/thermal_zone.hpp"
#include "hw/sysfs/w1_thermometer.hpp"
#include "unit/sysfs_tree.hpp"

namespace piogate::hw {
namespace {

using std::chrono::milliseconds;

sim_sysfs_config demo() {
    sim_sysfs_config c;
    c.w1.push_back({"28-0316a2794aff", {21.5, 1.0, milliseconds(60000)}, false, {}});
    c.w1.push_back({"10-000802b4a1c0", {18.0}, true, {}});
    c.w1.push_back({"28-00000000dead", {20.0}, false, sim_w1_probe::fault_t::power_on});
    c.w1.push_back({"22-00000000beef", {20.0}, true, sim_w1_probe::fault_t::crc});
    c.iio.push_back({"dht11@4", {{"temp", {22.0}}, {"humidityrelative", {45.0}}}, 3});
    c.iio.push_back({"ads1015", {{"voltage0", {1.65}}, {"pressure", {1013.2}}}, 0});
    c.hwmon.push_back({"rpi_volt", {{"in0", {5.08}}, {"fan1", {1450}}}, {{"in0", "core"}}});
    c.thermal.push_back({});
    return c;
}

TEST(sim_sysfs, the_readers_read_what_the_tree_holds) {
    test::sysfs_tree tree;
    sim_sysfs sim(tree.root(), demo());

    w1_thermometer probe(tree.root(), {"28-0316a2794aff", 0});
    ASSERT_TRUE(probe.open().ok());
    auto t = probe.measure();
    ASSERT_TRUE(t.ok()) << t.err().message;
    EXPECT_DOUBLE_EQ((*t)[0].value, 21.5);

    w1_thermometer legacy(tree.root(), {"10-000802b4a1c0", 0});
    ASSERT_TRUE(legacy.open().ok());
    EXPECT_FALSE(
        std::filesystem::exists(tree.path("sys/bus/w1/devices/10-000802b4a1c0/temperature")));
    auto l = legacy.measure();
    ASSERT_TRUE(l.ok()) << l.err().message;
    EXPECT_DOUBLE_EQ((*l)[0].value, 18.0);

    iio_sensor adc(tree.root(), {"ads1015", {}});
    ASSERT_TRUE(adc.open().ok());
    auto a = adc.measure();
    ASSERT_TRUE(a.ok()) << a.err().message;
    ASSERT_EQ(a->size(), 2u);
    EXPECT_EQ((*a)[0].name, "pressure");
    EXPECT_NEAR((*a)[0].value, 1013.2, 1e-6);
    EXPECT_EQ((*a)[1].name, "voltage0");
    EXPECT_NEAR((*a)[1].value, 1.65, 0.0005);  // 0.5 mV steps

    hwmon_sensor volt(tree.root(), {"rpi_volt", "in0"});
    ASSERT_TRUE(volt.open().ok());
    EXPECT_NEAR((*volt.measure())[0].value, 5.08, 1e-9);
    EXPECT_EQ(*read_sysfs_text(tree.path("sys/class/hwmon/hwmon0/in0_label")), "core\n");

    thermal_zone soc(tree.root(), {""});
    ASSERT_TRUE(soc.open().ok());
    EXPECT_NEAR((*soc.measure())[0].value, 48.0, 1e-9);  // sin(0) = 0

    EXPECT_EQ(list_w1_devices(tree.root()).size(), 4u);
}

TEST(sim_sysfs, w1_faults_are_the_readers_errors) {
    test::sysfs_tree tree;
    sim_sysfs sim(tree.root(), demo());
    w1_thermometer por(tree.root(), {"28-00000000dead", 0});
    ASSERT_TRUE(por.open().ok());
    EXPECT_NE(por.measure().err().message.find("power-on value"), std::string::npos);
    w1_thermometer crc(tree.root(), {"22-00000000beef", 0});
    ASSERT_TRUE(crc.open().ok());
    EXPECT_EQ(crc.measure().err().code, make_error_code(hw_errc::crc_mismatch));
}

TEST(sim_sysfs, values_follow_their_wave_over_injected_time) {
    test::sysfs_tree tree;
    sim_sysfs sim(tree.root(), demo());
    w1_thermometer probe(tree.root(), {"28-0316a2794aff", 0});
    ASSERT_TRUE(probe.open().ok());
    ASSERT_TRUE(sim.update(milliseconds(15000)));  // a quarter period: the peak
    EXPECT_DOUBLE_EQ((*probe.measure())[0].value, 22.5);
    ASSERT_TRUE(sim.update(milliseconds(45000)));  // the trough
    EXPECT_DOUBLE_EQ((*probe.measure())[0].value, 20.5);
    ASSERT_TRUE(sim.update(milliseconds(5000)));  // 21.5 + sin(30°) = 22.0
    EXPECT_DOUBLE_EQ((*probe.measure())[0].value, 22.0);
}

TEST(sim_sysfs, a_w1_probe_honours_the_resolution_written_to_it) {
    sim_sysfs_config c;
    c.w1.push_back({"28-0316a2794aff", {21.4375}, false, {}});
    test::sysfs_tree tree;
    sim_sysfs sim(tree.root(), c);
    w1_thermometer p12(tree.root(), {"28-0316a2794aff", 0});
    ASSERT_TRUE(p12.open().ok());
    EXPECT_DOUBLE_EQ((*p12.measure())[0].value, 21.437);  // the kernel's integer m°C
    w1_thermometer p9(tree.root(), {"28-0316a2794aff", 9});
    ASSERT_TRUE(p9.open().ok());
    ASSERT_TRUE(sim.update(milliseconds(1000)));
    EXPECT_DOUBLE_EQ((*p9.measure())[0].value, 21.0);  // 0.5 °C steps
}

TEST(sim_sysfs, the_flaky_dht_fails_with_eio_in_its_failing_seconds_only) {
    test::sysfs_tree tree;
    const auto config = demo();
    sim_sysfs sim(tree.root(), config);
    std::chrono::steady_clock::time_point now{};
    dht_sensor dht(tree.root(), {dht_model::dht11, "dht11"}, [&] { return now; });
    ASSERT_TRUE(dht.open().ok());
    int failed = 0, good = 0;
    for (int s = 0; s < 120; s += 3) {  // 3 s apart: never inside the 2 s after a failure
        const milliseconds t(s * 1000 + 500);
        now = std::chrono::steady_clock::time_point(t);
        ASSERT_TRUE(sim.update(t));
        auto v = dht.attempt();
        if (sim.failing(config.iio[0], t)) {
            ++failed;
            ASSERT_TRUE(v.is_again()) << s;
            EXPECT_EQ(v.retry_after(), dht_retry_delay);
            EXPECT_NE(v.err().message.find("Input/output error"), std::string::npos)
                << v.err().message;
        } else {
            ++good;
            ASSERT_TRUE(v.ok()) << s << ": " << v.err().message;
            EXPECT_DOUBLE_EQ((*v)[1].value, 45.0);
        }
    }
    // One in three, about: both kinds of second occur.
    EXPECT_GT(failed, 4);
    EXPECT_GT(good, 15);
    EXPECT_FALSE(sim.failing(config.iio[1], milliseconds(0)));
}

TEST(sim_sysfs, writes_are_atomic_renames) {
    test::sysfs_tree tree;
    tree.put("f", "old\n");
    sim_sysfs::write_atomic(tree.path("f"), "new\n");
    EXPECT_EQ(*read_sysfs_text(tree.path("f")), "new\n");
    EXPECT_FALSE(std::filesystem::exists(tree.path(".f.tmp")));
    // Over a failing (symlinked) file, the value comes back as a regular file.
    tree.eio("g");
    sim_sysfs::write_atomic(tree.path("g"), "1\n");
    EXPECT_FALSE(std::filesystem::is_symlink(tree.path("g")));
    EXPECT_EQ(*read_sysfs_text(tree.path("g")), "1\n");
    EXPECT_THROW(sim_sysfs::write_atomic(tree.path("no/such/dir/f"), "x"), std::runtime_error);
}

}  // namespace
}  // namespace piogate::hw
