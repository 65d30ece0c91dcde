// Files a config names are read with a bound: /dev/zero, FIFOs, directories and huge files are
// refused at once, without reading them (config::read_bounded_file).
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>
// SPDX-License-Identifier: Apache-2.0
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "config/bounded_file.hpp"
#include "config/json_reader.hpp"

using namespace piogate::config;

namespace {

class bounded_file : public ::testing::Test {
protected:
    void SetUp() override {
        char tmpl[] = "/tmp/piogate-bounded-XXXXXX";
        ASSERT_NE(::mkdtemp(tmpl), nullptr);
        dir_ = tmpl;
    }
    void TearDown() override {
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);  // best effort: a temporary directory
    }

    std::string write(const std::string& name, const std::string& text) {
        const std::string path = dir_ + "/" + name;
        std::ofstream(path, std::ios::binary) << text;
        return path;
    }

    std::string dir_;
};

std::string error_of(const std::string& path, std::size_t max) {
    try {
        read_bounded_file(path, max);
    } catch (const file_error& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_F(bounded_file, reads_a_small_regular_file) {
    EXPECT_EQ(read_bounded_file(write("a", "hello\n"), 6), "hello\n");
    EXPECT_EQ(read_bounded_file(write("empty", ""), 6), "");
}

TEST_F(bounded_file, refuses_a_file_over_the_bound) {
    const std::string path = write("big", std::string(7, 'x'));
    EXPECT_EQ(error_of(path, 6), path + ": is larger than 6 bytes (the limit for this file)");
    // A sparse 2 GiB file costs nothing to make and must not be read.
    const std::string sparse = dir_ + "/sparse";
    ASSERT_EQ(::truncate(write("sparse", "").c_str(), 2LL << 30), 0);
    EXPECT_EQ(error_of(sparse, max_config_file_bytes),
              sparse + ": is larger than 1 MiB (the limit for this file)");
}

TEST_F(bounded_file, refuses_devices_fifos_and_directories_without_blocking) {
    EXPECT_EQ(error_of("/dev/zero", 4096), "/dev/zero: is a character device, not a regular file");
    EXPECT_EQ(error_of(dir_, 4096), dir_ + ": is a directory, not a file");
    const std::string fifo = dir_ + "/fifo";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    EXPECT_EQ(error_of(fifo, 4096),
              fifo + ": is a FIFO, not a regular file");  // no writer: must not hang
}

TEST_F(bounded_file, a_missing_file_says_so) {
    const std::string path = dir_ + "/none";
    try {
        read_bounded_file(path, 10);
        FAIL();
    } catch (const file_error& e) {
        EXPECT_TRUE(e.missing());
        EXPECT_EQ(std::string(e.what()), path + ": cannot read: No such file or directory");
    }
    try {
        read_bounded_file("/dev/zero", 10);
        FAIL();
    } catch (const file_error& e) {
        EXPECT_FALSE(e.missing());
    }
}

TEST_F(bounded_file, password_is_the_first_line) {
    EXPECT_EQ(read_password_file(write("pw", "s3cret\nignored\n")), "s3cret");
    EXPECT_EQ(read_password_file(write("crlf", "s3cret\r\n")), "s3cret");
    EXPECT_EQ(read_password_file(write("bare", "s3cret")), "s3cret");
    EXPECT_THROW(read_password_file(write("blank", "\nx\n")), file_error);
    EXPECT_THROW(read_password_file(write("huge", std::string(max_password_file_bytes + 1, 'p'))),
                 file_error);
    EXPECT_THROW(read_password_file("/dev/zero"), file_error);
}

TEST_F(bounded_file, the_config_loader_uses_the_bound) {
    const std::string path = write("big.json", "{}" + std::string(max_config_file_bytes, ' '));
    try {
        load_json_file(path);
        FAIL();
    } catch (const config_error& e) {
        EXPECT_EQ(std::string(e.what()), path + ": is larger than 1 MiB (the limit for this file)");
    }
    EXPECT_THROW(load_json_file("/dev/zero"), config_error);
    EXPECT_EQ(load_json_file(write("ok.json", "{\"a\": 1}")), json::parse("{\"a\": 1}"));
}
