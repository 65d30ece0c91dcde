#include "hw/sysfs/w1_thermometer.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "unit/sysfs_tree.hpp"

namespace piogate::hw {
namespace {

const std::string dev = "sys/bus/w1/devices/";
const std::string rom = "28-0316a2794aff";

std::string w1_slave(const std::string& crc, const std::string& t) {
    return "72 01 4b 46 7f ff 0e 10 57 : crc=57 " + crc + "\n72 01 4b 46 7f ff 0e 10 57 t=" + t +
           "\n";
}

util::result<reading> read_probe(const test::sysfs_tree& tree, const std::string& id = rom) {
    w1_thermometer probe(tree.root(), {id, 0});
    if (auto r = probe.open(); !r) return r.err();
    return probe.measure();
}

TEST(w1_thermometer, families_and_rom_ids) {
    EXPECT_STREQ(w1_family_of("28-0316a2794aff")->model, "DS18B20");
    EXPECT_STREQ(w1_family_of("22-000000a1b2c3")->model, "DS1822");
    EXPECT_STREQ(w1_family_of("10-000802b4a1c0")->model, "DS18S20");
    EXPECT_STREQ(w1_family_of("3b-0000001f2e3d")->model, "MAX31850");
    EXPECT_STREQ(w1_family_of("42-00000012ab34")->model, "DS28EA00");
    EXPECT_EQ(w1_family_of("2d-00000012ab34"), nullptr);  // an EEPROM
    EXPECT_FALSE(is_w1_rom_id("w1_bus_master1"));
    EXPECT_FALSE(is_w1_rom_id("28-0316a2794af"));
    EXPECT_FALSE(is_w1_rom_id("28_0316a2794aff"));
    EXPECT_FALSE(is_w1_rom_id("28-0316a2794afg"));
}

// The `temperature` file of newer kernels: good, negative, and everything that must not
// become a reading.
TEST(w1_thermometer, temperature_file_table) {
    struct row {
        const char* text;
        bool ok;
        double celsius;
        hw_errc code;
        const char* says;
    };
    for (auto r : {row{"21375\n", true, 21.375, {}, ""}, row{"-10125\n", true, -10.125, {}, ""},
                   row{"0\n", true, 0, {}, ""}, row{"125000\n", true, 125, {}, ""},
                   row{"85000\n", false, 0, hw_errc::out_of_range, "power-on value"},
                   row{"127937\n", false, 0, hw_errc::out_of_range, "outside the DS18B20's range"},
                   row{"-55063\n", false, 0, hw_errc::out_of_range, "outside"},
                   row{"", false, 0, hw_errc::io_error, "is empty"},
                   row{"\n", false, 0, hw_errc::io_error, "is empty"},
                   row{"21.5\n", false, 0, hw_errc::out_of_range, "not a number"},
                   row{"garbage", false, 0, hw_errc::out_of_range, "not a number"}}) {
        test::sysfs_tree tree;
        tree.put(dev + rom + "/temperature", r.text);
        auto v = read_probe(tree);
        ASSERT_EQ(v.ok(), r.ok) << '"' << r.text << "\" " << (v ? "" : v.err().message);
        if (r.ok) {
            ASSERT_EQ(v->size(), 1u);
            EXPECT_EQ((*v)[0].name, "temperature");
            EXPECT_EQ((*v)[0].unit, "°C");
            EXPECT_DOUBLE_EQ((*v)[0].value, r.celsius);
        } else {
            EXPECT_EQ(v.err().code, make_error_code(r.code)) << v.err().message;
            EXPECT_NE(v.err().message.find(r.says), std::string::npos) << v.err().message;
            EXPECT_EQ(v.err().message.rfind("1-Wire " + rom, 0), 0u) << v.err().message;
        }
    }
}

// Older kernels: only w1_slave, with the kernel's CRC verdict.
TEST(w1_thermometer, w1_slave_table) {
    struct row {
        std::string text;
        bool ok;
        double celsius;
        hw_errc code;
        const char* says;
    };
    for (const auto& r :
         {row{w1_slave("YES", "23125"), true, 23.125, {}, ""},
          row{w1_slave("YES", "-1250"), true, -1.25, {}, ""},
          row{w1_slave("NO", "23125"), false, 0, hw_errc::crc_mismatch, "CRC"},
          row{w1_slave("YES", "85000"), false, 0, hw_errc::out_of_range, "85.000"},
          row{"", false, 0, hw_errc::io_error, "empty"},
          row{"72 01 4b 46 7f ff 0e 10 57 : crc=57 YES\n", false, 0, hw_errc::out_of_range,
              "no \"t=\""},
          row{w1_slave("YES", "x1"), false, 0, hw_errc::out_of_range, "not a number"},
          row{"hello\nworld\n", false, 0, hw_errc::out_of_range, "crc="}}) {
        test::sysfs_tree tree;
        tree.put(dev + rom + "/w1_slave", r.text);
        auto v = read_probe(tree);
        ASSERT_EQ(v.ok(), r.ok) << r.text << (v ? "" : v.err().message);
        if (r.ok) {
            EXPECT_DOUBLE_EQ((*v)[0].value, r.celsius);
        } else {
            EXPECT_EQ(v.err().code, make_error_code(r.code)) << v.err().message;
            EXPECT_NE(v.err().message.find(r.says), std::string::npos) << v.err().message;
        }
    }
}

TEST(w1_thermometer, max31850_reads_85_as_a_temperature) {
    test::sysfs_tree tree;
    tree.put(dev + "3b-0000001f2e3d/w1_slave", w1_slave("YES", "85000"));
    auto v = read_probe(tree, "3b-0000001f2e3d");
    ASSERT_TRUE(v.ok()) << v.err().message;
    EXPECT_DOUBLE_EQ((*v)[0].value, 85.0);
}

TEST(w1_thermometer, a_missing_probe_names_its_rom_id) {
    test::sysfs_tree tree;
    tree.dir(dev + "w1_bus_master1");
    w1_thermometer probe(tree.root(), {rom, 0});
    auto r = probe.open();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.err().code, make_error_code(hw_errc::not_found));
    EXPECT_NE(r.err().message.find(rom), std::string::npos) << r.err().message;
    EXPECT_NE(r.err().message.find("w1-gpio"), std::string::npos) << r.err().message;
    // Present at open, gone later (unplugged): not_found on measure.
    tree.put(dev + rom + "/temperature", "20000\n");
    ASSERT_TRUE(probe.open().ok());
    tree.remove(dev + rom);
    auto m = probe.measure();
    ASSERT_FALSE(m.ok());
    EXPECT_EQ(m.err().code, make_error_code(hw_errc::not_found));
    EXPECT_NE(m.err().message.find(rom), std::string::npos);
}

TEST(w1_thermometer, read_errors_keep_their_errno_class) {
    test::sysfs_tree tree;
    tree.eio(dev + rom + "/temperature");
    auto v = read_probe(tree);
    ASSERT_FALSE(v.ok());
    EXPECT_EQ(v.err().code, make_error_code(hw_errc::io_error));
    EXPECT_NE(v.err().message.find(rom), std::string::npos);
    EXPECT_NE(v.err().message.find("Input/output error"), std::string::npos) << v.err().message;
}

TEST(w1_thermometer, bad_rom_and_unknown_family_are_refused_at_open) {
    test::sysfs_tree tree;
    tree.put(dev + "2d-00000012ab34/eeprom", "");
    w1_thermometer eeprom(tree.root(), {"2d-00000012ab34", 0});
    auto r = eeprom.open();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.err().code, make_error_code(hw_errc::bad_chip_id));
    EXPECT_NE(r.err().message.find("family 2d"), std::string::npos) << r.err().message;
    w1_thermometer typo(tree.root(), {"28-xyz", 0});
    ASSERT_FALSE(typo.open().ok());
    EXPECT_NE(typo.open().err().message.find("not a ROM id"), std::string::npos);
}

TEST(w1_thermometer, resolution_is_written_where_the_driver_has_the_file) {
    test::sysfs_tree tree;
    tree.put(dev + rom + "/temperature", "20000\n");
    tree.put(dev + rom + "/resolution", "12\n");
    w1_thermometer probe(tree.root(), {rom, 10});
    ASSERT_TRUE(probe.open().ok());
    std::ifstream in(tree.path(dev + rom + "/resolution"));
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(text, "10\n");

    // Already at the configured resolution: not written again (a root-only file that the
    // service's sandbox makes read-only still opens), so its time stays where it was.
    const auto file = tree.path(dev + rom + "/resolution");
    const auto long_ago =
        std::filesystem::file_time_type::clock::now() - std::chrono::hours(24 * 365);
    std::filesystem::last_write_time(file, long_ago);
    ASSERT_TRUE(probe.open().ok());
    EXPECT_EQ(std::filesystem::last_write_time(file), long_ago);

    // A write that fails says how to set it instead.
    tree.remove(dev + rom + "/resolution");
    tree.dir(dev + rom + "/resolution");
    auto refused = probe.open();
    ASSERT_FALSE(refused.ok());
    EXPECT_NE(refused.err().message.find("set it once as root with 'echo 10 > "), std::string::npos)
        << refused.err().message;
    std::filesystem::remove(tree.path(dev + rom + "/resolution"));

    auto old_kernel = probe.open();
    ASSERT_FALSE(old_kernel.ok());
    EXPECT_EQ(old_kernel.err().code, make_error_code(hw_errc::not_supported));
    EXPECT_NE(old_kernel.err().message.find("resolution"), std::string::npos);

    tree.put(dev + "10-000802b4a1c0/w1_slave", w1_slave("YES", "20000"));
    w1_thermometer fixed(tree.root(), {"10-000802b4a1c0", 12});
    auto f = fixed.open();
    ASSERT_FALSE(f.ok());
    EXPECT_NE(f.err().message.find("DS18S20's resolution is fixed"), std::string::npos);
}

TEST(w1_thermometer, lists_present_probes_with_their_model) {
    test::sysfs_tree tree;
    tree.dir(dev + "w1_bus_master1");
    tree.dir(dev + "28-0316a2794aff");
    tree.dir(dev + "10-000802b4a1c0");
    tree.dir(dev + "2d-00000012ab34");
    const auto probes = list_w1_devices(tree.root());
    ASSERT_EQ(probes.size(), 3u);
    EXPECT_EQ(probes[0].rom, "10-000802b4a1c0");
    EXPECT_EQ(probes[0].model, "DS18S20");
    EXPECT_EQ(probes[1].family, 0x28u);
    EXPECT_EQ(probes[1].model, "DS18B20");
    EXPECT_EQ(probes[2].model, "");
    test::sysfs_tree empty;
    EXPECT_TRUE(list_w1_devices(empty.root()).empty());
}

}  // namespace
}  // namespace piogate::hw
