// Reading and writing the small text attributes of sysfs ("21375\n", "dht11\n", "YES"): the one
// place where errno from a sysfs file becomes an hw_errc, and the strict number parsing every
// reader under hw/sysfs/ shares.
//
// errno -> hw_errc: ENOENT/ENODEV/ENXIO -> not_found, ETIMEDOUT -> timeout, EACCES/EPERM ->
// permission, EBUSY/EAGAIN -> busy, EINVAL/EOPNOTSUPP -> not_supported (a value the driver
// refuses), EIO and anything else (EISDIR, ...) -> io_error. Messages name the file and the
// errno's text.
// An empty file, a number with trailing junk or a non-number is hw_errc::out_of_range
// ("is not a number").
//
// Thread: any; every call blocks on the file system (a sysfs read may wait for the device, e.g.
// a DS18B20 conversion of 750 ms): call from a worker, never the event loop.
// Errors: results, never exceptions.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "hw/hw_error.hpp"
#include "util/result.hpp"

namespace piogate::hw {

// The hw_errc for an errno from reading or writing a sysfs attribute.
hw_errc classify_sysfs_errno(int err) noexcept;

// The whole file (sysfs attributes are at most one page), as read(2) returned it.
util::result<std::string> read_sysfs_text(const std::filesystem::path& file);
// Writes `text` in one write(2) (sysfs stores an attribute per write).
util::result<void> write_sysfs_text(const std::filesystem::path& file, std::string_view text);

// The text without leading and trailing white space (sysfs values end in "\n").
std::string_view trim_sysfs(std::string_view text);

// Strict parsers: the whole trimmed text must be the number. `file` names it in the message.
util::result<std::int64_t> parse_sysfs_integer(std::string_view text,
                                               const std::filesystem::path& file);
util::result<double> parse_sysfs_number(std::string_view text, const std::filesystem::path& file);

// read + parse.
util::result<std::int64_t> read_sysfs_integer(const std::filesystem::path& file);
util::result<double> read_sysfs_number(const std::filesystem::path& file);

// `path` (absolute, as on a real board) placed under `root`: ("/tmp/t", "/sys/class") ->
// "/tmp/t/sys/class"; root "/" leaves it as is.
std::filesystem::path under_root(const std::filesystem::path& root,
                                 const std::filesystem::path& path);

}  // namespace piogate::hw
