#include "config/bounded_file.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

#include "util/unique_fd.hpp"

namespace piogate::config {
namespace {

const char* kind_of(mode_t mode) {
    if (S_ISDIR(mode)) return "a directory";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    if (S_ISFIFO(mode)) return "a FIFO";
    if (S_ISSOCK(mode)) return "a socket";
    return "not a regular file";
}

std::string size_text(std::size_t bytes) {
    if (bytes % (1024 * 1024) == 0) return std::to_string(bytes / (1024 * 1024)) + " MiB";
    if (bytes % 1024 == 0) return std::to_string(bytes / 1024) + " KiB";
    return std::to_string(bytes) + " bytes";
}

[[noreturn]] void too_large(const std::string& path, std::size_t max_bytes) {
    throw file_error(path, "is larger than " + size_text(max_bytes) + " (the limit for this file)");
}

}  // namespace

std::string read_bounded_file(const std::string& path, std::size_t max_bytes) {
    // O_NONBLOCK: opening a FIFO without a writer must not block; regular files ignore it.
    util::unique_fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
    if (!fd) {
        const int err = errno;
        throw file_error(path, std::string("cannot read: ") + std::strerror(err), err == ENOENT);
    }
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0)
        throw file_error(path, std::string("cannot stat: ") + std::strerror(errno));
    if (!S_ISREG(st.st_mode)) {
        const char* kind = kind_of(st.st_mode);
        throw file_error(path, std::string("is ") + kind +
                                   (S_ISDIR(st.st_mode) ? ", not a file" : ", not a regular file"));
    }
    if (static_cast<std::uintmax_t>(st.st_size) > max_bytes) too_large(path, max_bytes);
    std::string out;
    out.resize(max_bytes + 1);
    std::size_t have = 0;
    while (have < out.size()) {  // the file may have grown since fstat
        const ssize_t n = ::read(fd.get(), out.data() + have, out.size() - have);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw file_error(path, std::string("cannot read: ") + std::strerror(errno));
        }
        if (n == 0) break;
        have += static_cast<std::size_t>(n);
    }
    if (have > max_bytes) too_large(path, max_bytes);
    out.resize(have);
    return out;
}

void check_bounded_file(const std::string& path, std::size_t max_bytes) {
    (void)read_bounded_file(path, max_bytes);
}

std::string read_password_file(const std::string& path) {
    const std::string text = read_bounded_file(path, max_password_file_bytes);
    std::string line = text.substr(0, text.find('\n'));
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) throw file_error(path, "the first line (the password) is empty");
    return line;
}

}  // namespace piogate::config
