// Reading the small files a configuration names (the config itself, the MQTT password) with a
// bound, so a path that points at /dev/zero, a FIFO or a huge file is refused at once instead
// of being read until memory runs out.
//
// Thread: any. Errors: read_bounded_file and read_password_file throw file_error, whose text
// is "PATH: reason" ("/dev/zero: is a character device, not a regular file").
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <cstddef>
#include <stdexcept>
#include <string>

namespace piogate::config {

inline constexpr std::size_t max_config_file_bytes = 1024 * 1024;   // 1 MiB
inline constexpr std::size_t max_password_file_bytes = 4096;        // the first line is used
inline constexpr std::size_t max_tls_file_bytes = 4 * 1024 * 1024;  // CA bundles are ~200 KiB

class file_error : public std::runtime_error {
public:
    file_error(const std::string& path, const std::string& reason, bool missing = false)
        : std::runtime_error(path + ": " + reason), missing_(missing) {}
    // The file does not exist (as opposed to existing and being unusable).
    bool missing() const { return missing_; }

private:
    bool missing_;
};

// The whole content of a regular file of at most `max_bytes`. Opens without blocking (a FIFO
// does not hang the caller) and never reads more than max_bytes + 1 bytes.
std::string read_bounded_file(const std::string& path, std::size_t max_bytes);

// Throws what read_bounded_file would, without keeping the content (for checks).
void check_bounded_file(const std::string& path, std::size_t max_bytes);

// The password: the first line of the file (without its line end); an empty one is an error.
std::string read_password_file(const std::string& path);

}  // namespace piogate::config
