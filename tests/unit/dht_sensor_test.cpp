#include "hw/sysfs/dht_sensor.hpp"

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
    auto v = s.measure();
    ASSERT_TRUE(v.ok()) << v.err().message;
    ASSERT_EQ(v->size(), 2u);
    EXPECT_EQ((*v)[0].name, "temperature");
    EXPECT_DOUBLE_EQ((*v)[0].value, 23.4);
    EXPECT_EQ((*v)[1].name, "humidity");
    EXPECT_EQ((*v)[1].unit, "%RH");
    EXPECT_DOUBLE_EQ((*v)[1].value, 51.2);
}

TEST(dht_sensor, failures_are_errors_never_values) {
    struct row {
        std::string t, h;
        dht_model model;
        hw_errc code;
        std::string says;
    };
    for (const auto& r : std::vector<row>{
             {"EIO", "45000\n", dht_model::dht22, hw_errc::io_error, "Input/output error"},
             {"20000\n", "EIO", dht_model::dht11, hw_errc::io_error, "humidityrelative"},
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
        auto v = s.measure();
        ASSERT_FALSE(v.ok()) << r.t << " " << r.h;
        EXPECT_EQ(v.err().code, make_error_code(r.code)) << v.err().message;
        EXPECT_NE(v.err().message.find(r.says), std::string::npos) << v.err().message;
    }
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
    const util::error eio = hw_fail(hw_errc::io_error, "x");
    const util::error timeout = hw_fail(hw_errc::timeout, "x");
    const util::error range = hw_fail(hw_errc::out_of_range, "x");
    const util::error gone = hw_fail(hw_errc::not_found, "x");
    struct row {
        const util::error* e;
        int retries;
        milliseconds until_next;
        std::optional<milliseconds> want;
    };
    for (const auto& r :
         std::vector<row>{{&eio, 0, milliseconds(10000), milliseconds(2100)},
                          {&timeout, 2, milliseconds(30000), milliseconds(2100)},
                          {&eio, 3, milliseconds(60000), std::nullopt},  // gave up this interval
                          {&eio, 0, milliseconds(4000), std::nullopt},  // would crowd the next read
                          {&eio, 0, milliseconds(4100), milliseconds(2100)},  // just fits
                          {&range, 0, milliseconds(60000), std::nullopt},     // not transient
                          {&gone, 0, milliseconds(60000), std::nullopt}}) {
        EXPECT_EQ(dht_retry_after(*r.e, r.retries, r.until_next), r.want)
            << r.e->code.message() << " " << r.retries << " " << r.until_next.count();
    }
}

}  // namespace
}  // namespace piogate::hw
