#include "hw/sysfs/dht_sensor.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "unit/sysfs_tree.hpp"

namespace piogate::hw {
namespace {

using std::chrono::milliseconds;

const std::string dev = "sys/bus/iio/devices/iio:device0/";

void dht_tree(const test::sysfs_tree& tree, const std::string& t, const std::string& h) {
    tree.put(dev + "name", "dht11@4\n");
    tree.put(dev + "in_temp_input", t);
    tree.put(dev + "in_humidityrelative_input", h);
}

TEST(dht_sensor, reads_temperature_and_humidity) {
    test::sysfs_tree tree;
    dht_tree(tree, "23400\n", "51200\n");
    dht_sensor s(tree.root(), {dht_model::dht22, "dht11"});
    ASSERT_TRUE(s.open().ok());
    EXPECT_EQ(s.type(), "dht22");
    auto v = s.attempt();
    ASSERT_TRUE(v.ok()) << v.err().message;
    ASSERT_EQ(v->size(), 2u);
    EXPECT_EQ((*v)[0].name, "temperature");
    EXPECT_DOUBLE_EQ((*v)[0].value, 23.4);
    EXPECT_EQ((*v)[1].name, "humidity");
    EXPECT_EQ((*v)[1].unit, "%RH");
    EXPECT_DOUBLE_EQ((*v)[1].value, 51.2);
}

TEST(dht_sensor, failures_are_errors_or_again_never_values) {
    struct row {
        std::string t, h;
        dht_model model;
        hw_errc code;
        std::string says;
    };
    for (const auto& r : std::vector<row>{
             {"EIO", "45000\n", dht_model::dht22, hw_errc::again, "Input/output error"},
             {"20000\n", "EIO", dht_model::dht11, hw_errc::again, "humidityrelative"},
             {"", "45000\n", dht_model::dht22, hw_errc::out_of_range, "empty"},
             {"-45000\n", "45000\n", dht_model::dht22, hw_errc::out_of_range, "outside"},
             {"-20000\n", "45000\n", dht_model::dht11, hw_errc::out_of_range, "outside"},
             {"20000\n", "101000\n", dht_model::dht22, hw_errc::out_of_range, "0..100"},
             {"20000\n", "x\n", dht_model::dht22, hw_errc::out_of_range, "not a number"}}) {
        test::sysfs_tree tree;
        dht_tree(tree, r.t, r.h);
        if (r.t == "EIO") tree.eio(dev + "in_temp_input");
        if (r.h == "EIO") tree.eio(dev + "in_humidityrelative_input");
        dht_sensor s(tree.root(), {r.model, "dht11"});
        ASSERT_TRUE(s.open().ok());
        auto v = s.attempt();
        ASSERT_FALSE(v.ok()) << r.t << " " << r.h;
        EXPECT_EQ(v.err().code, make_error_code(r.code)) << v.err().message;
        EXPECT_EQ(v.is_again(), r.code == hw_errc::again);
        if (v.is_again()) {
            EXPECT_EQ(v.retry_after(), dht_retry_delay);
        }
        EXPECT_NE(v.err().message.find(r.says), std::string::npos) << v.err().message;
    }
}

// A failed exchange, then calls on a virtual clock: nothing touches the sensor until 2 s have
// passed; then a good exchange, and the driver's cache makes the next call at once harmless.
TEST(dht_sensor, exchanges_after_a_failure_are_two_seconds_apart) {
    test::sysfs_tree tree;
    dht_tree(tree, "21000\n", "40000\n");
    tree.eio(dev + "in_temp_input");
    std::chrono::steady_clock::time_point now{};
    dht_sensor s(tree.root(), {dht_model::dht22, "dht11"}, [&] { return now; });
    ASSERT_TRUE(s.open().ok());
    auto first = s.attempt();
    ASSERT_TRUE(first.is_again());
    EXPECT_EQ(first.retry_after(), milliseconds(2100));
    tree.put(dev + "in_temp_input", "21000\n");  // the sensor would answer now
    now += milliseconds(500);
    auto early = s.attempt();
    ASSERT_TRUE(early.is_again());
    EXPECT_EQ(early.retry_after(), milliseconds(1500));
    EXPECT_NE(early.err().message.find("less than 2 s ago"), std::string::npos);
    now += milliseconds(1500);
    auto good = s.attempt();
    ASSERT_TRUE(good.ok()) << good.err().message;
    EXPECT_DOUBLE_EQ((*good)[0].value, 21.0);
    now += milliseconds(10);
    EXPECT_TRUE(s.attempt().ok());
}

TEST(dht_sensor, a_missing_device_says_which) {
    test::sysfs_tree tree;
    dht_sensor s(tree.root(), {dht_model::dht22, "dht11"});
    auto r = s.open();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.err().code, make_error_code(hw_errc::not_found));
    EXPECT_NE(r.err().message.find("dht22: IIO device \"dht11\""), std::string::npos)
        << r.err().message;
}

TEST(dht_retry, table) {
    EXPECT_EQ(dht_retry_after(hw_fail(hw_errc::io_error, "x")), milliseconds(2100));
    EXPECT_EQ(dht_retry_after(hw_fail(hw_errc::timeout, "x")), milliseconds(2100));
    EXPECT_EQ(dht_retry_after(hw_fail(hw_errc::out_of_range, "x")), std::nullopt);
    EXPECT_EQ(dht_retry_after(hw_fail(hw_errc::not_found, "x")), std::nullopt);
    EXPECT_EQ(dht_wait_before_read(std::nullopt), milliseconds(0));
    EXPECT_EQ(dht_wait_before_read(milliseconds(0)), milliseconds(2000));
    EXPECT_EQ(dht_wait_before_read(milliseconds(1999)), milliseconds(1));
    EXPECT_EQ(dht_wait_before_read(milliseconds(2000)), milliseconds(0));
    EXPECT_EQ(dht_wait_before_read(milliseconds(60000)), milliseconds(0));
}

}  // namespace
}  // namespace piogate::hw
