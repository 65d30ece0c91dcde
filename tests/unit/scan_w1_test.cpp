#include "app/scan_w1.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <sstream>

#include "unit/sysfs_tree.hpp"

namespace piogate::app {
namespace {

const std::string dev = "sys/bus/w1/devices/";

TEST(scan_w1, lists_probes_with_model_and_reading) {
    test::sysfs_tree tree;
    tree.dir(dev + "w1_bus_master1");
    tree.put(dev + "28-0316a2794aff/temperature", "21375\n");
    tree.put(dev + "28-00000000dead/temperature", "85000\n");
    tree.put(dev + "10-000802b4a1c0/w1_slave",
             "2d 00 4b 46 ff ff 0c 10 2f : crc=2f YES\n2d 00 4b 46 ff ff 0c 10 2f t=22500\n");
    tree.dir(dev + "2d-00000012ab34");
    std::ostringstream out;
    EXPECT_EQ(scan_w1(tree.root(), out), 4);
    const std::string text = out.str();
    EXPECT_NE(text.find("  10-000802b4a1c0  DS18S20  22.500 °C\n"), std::string::npos) << text;
    EXPECT_NE(text.find("  28-0316a2794aff  DS18B20  21.375 °C\n"), std::string::npos) << text;
    EXPECT_NE(text.find("28-00000000dead  DS18B20  error: 1-Wire 28-00000000dead: 85.000 °C"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("2d-00000012ab34  ?        (family 2d: not a thermometer"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("4 probes found"), std::string::npos);
}

TEST(scan_w1, a_bus_without_probes_and_no_bus_at_all) {
    test::sysfs_tree tree;
    std::ostringstream none;
    EXPECT_EQ(scan_w1(tree.root(), none), -1);
    EXPECT_EQ(none.str(), "");
    tree.dir(dev + "w1_bus_master1");
    std::ostringstream empty;
    EXPECT_EQ(scan_w1(tree.root(), empty), 0);
    EXPECT_NE(empty.str().find("0 probes found"), std::string::npos);
}

}  // namespace
}  // namespace piogate::app
