// A throw-away sysfs-like tree for the sysfs reader tests: a fresh directory per test, files
// written with their text, and two honest ways to make a read fail:
//   eio(file):  a symlink to /proc/self/mem; read(2) at offset 0 fails with EIO from the
//               kernel (address 0 is never mapped), the errno the dht11 driver returns.
//   a directory where a file is expected: read(2) fails with EISDIR.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

namespace piogate::test {

class sysfs_tree {
public:
    sysfs_tree() {
        char tmpl[] = "/tmp/piogate-sysfs-XXXXXX";
        if (::mkdtemp(tmpl) == nullptr) throw std::runtime_error("mkdtemp failed");
        root_ = tmpl;
    }
    ~sysfs_tree() {
        std::error_code ec;
        std::filesystem::remove_all(root_, ec);
    }
    sysfs_tree(const sysfs_tree&) = delete;
    sysfs_tree& operator=(const sysfs_tree&) = delete;

    const std::filesystem::path& root() const { return root_; }
    std::filesystem::path path(const std::string& rel) const { return root_ / rel; }

    void put(const std::string& rel, const std::string& text) const {
        const auto p = path(rel);
        std::filesystem::create_directories(p.parent_path());
        std::filesystem::remove(p);
        std::ofstream(p, std::ios::binary) << text;
    }
    void dir(const std::string& rel) const { std::filesystem::create_directories(path(rel)); }
    void eio(const std::string& rel) const {
        const auto p = path(rel);
        std::filesystem::create_directories(p.parent_path());
        std::filesystem::remove(p);
        std::filesystem::create_symlink("/proc/self/mem", p);
    }
    void remove(const std::string& rel) const { std::filesystem::remove_all(path(rel)); }

private:
    std::filesystem::path root_;
};

}  // namespace piogate::test
