#include "hw/sysfs/sysfs_file.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <cerrno>

#include <gtest/gtest.h>

#include "unit/sysfs_tree.hpp"

namespace piogate::hw {
namespace {

TEST(sysfs_file, errno_table) {
    struct row {
        int err;
        hw_errc code;
    };
    for (auto r : {row{ENOENT, hw_errc::not_found}, row{ENODEV, hw_errc::not_found},
                   row{EIO, hw_errc::io_error}, row{ETIMEDOUT, hw_errc::timeout},
                   row{EACCES, hw_errc::permission}, row{EBUSY, hw_errc::busy},
                   row{EISDIR, hw_errc::io_error}, row{EINVAL, hw_errc::not_supported}}) {
        EXPECT_EQ(classify_sysfs_errno(r.err), r.code) << r.err;
    }
}

TEST(sysfs_file, integer_table) {
    struct row {
        const char* text;
        bool ok;
        std::int64_t value;
    };
    for (auto r :
         {row{"21375\n", true, 21375}, row{"-5000\n", true, -5000}, row{"0", true, 0},
          row{"  42 \n", true, 42}, row{"", false, 0}, row{"\n", false, 0}, row{"21.5\n", false, 0},
          row{"abc", false, 0}, row{"12abc", false, 0}, row{"1 2", false, 0}}) {
        auto v = parse_sysfs_integer(r.text, "/sys/x");
        ASSERT_EQ(v.ok(), r.ok) << '"' << r.text << '"';
        if (r.ok) {
            EXPECT_EQ(*v, r.value);
        } else {
            EXPECT_EQ(v.err().code, make_error_code(hw_errc::out_of_range));
            EXPECT_NE(v.err().message.find("/sys/x"), std::string::npos) << v.err().message;
        }
    }
}

TEST(sysfs_file, number_table) {
    struct row {
        const char* text;
        bool ok;
        double value;
    };
    for (auto r : {row{"101.325\n", true, 101.325}, row{"0.000976562", true, 0.000976562},
                   row{"-3", true, -3}, row{"nan", false, 0}, row{"inf", false, 0},
                   row{"1.5e", false, 0}, row{"", false, 0}, row{"\x01\x02", false, 0}}) {
        auto v = parse_sysfs_number(r.text, "/sys/y");
        ASSERT_EQ(v.ok(), r.ok) << '"' << r.text << '"';
        if (r.ok) {
            EXPECT_DOUBLE_EQ(*v, r.value);
        }
    }
}

TEST(sysfs_file, reads_a_file_and_names_the_missing_one) {
    test::sysfs_tree tree;
    tree.put("a/value", "123\n");
    auto v = read_sysfs_integer(tree.path("a/value"));
    ASSERT_TRUE(v.ok()) << v.err().message;
    EXPECT_EQ(*v, 123);
    auto missing = read_sysfs_integer(tree.path("a/none"));
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.err().code, make_error_code(hw_errc::not_found));
    EXPECT_NE(missing.err().message.find("a/none"), std::string::npos) << missing.err().message;
}

TEST(sysfs_file, eio_from_the_kernel_is_an_io_error) {
    test::sysfs_tree tree;
    tree.eio("dev/in_temp_input");
    auto v = read_sysfs_text(tree.path("dev/in_temp_input"));
    ASSERT_FALSE(v.ok());
    EXPECT_EQ(v.err().code, make_error_code(hw_errc::io_error));
    EXPECT_NE(v.err().message.find("Input/output error"), std::string::npos) << v.err().message;
    EXPECT_NE(v.err().message.find("in_temp_input"), std::string::npos);
}

TEST(sysfs_file, a_directory_where_a_file_belongs_is_an_io_error) {
    test::sysfs_tree tree;
    tree.dir("dev/temp");
    auto v = read_sysfs_text(tree.path("dev/temp"));
    ASSERT_FALSE(v.ok());
    EXPECT_EQ(v.err().code, make_error_code(hw_errc::io_error));
}

TEST(sysfs_file, write_replaces_the_value) {
    test::sysfs_tree tree;
    tree.put("r", "12\n");
    ASSERT_TRUE(write_sysfs_text(tree.path("r"), "9\n").ok());
    EXPECT_EQ(*read_sysfs_text(tree.path("r")), "9\n");
    auto bad = write_sysfs_text(tree.path("nodir/r"), "9\n");
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.err().code, make_error_code(hw_errc::not_found));
}

TEST(sysfs_file, under_root) {
    EXPECT_EQ(under_root("/", "/sys/class"), "/sys/class");
    EXPECT_EQ(under_root("/tmp/t", "/sys/class"), "/tmp/t/sys/class");
}

}  // namespace
}  // namespace piogate::hw
