#include "hw/sysfs/sysfs_file.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>

#include "util/unique_fd.hpp"

namespace piogate::hw {

namespace {

util::error errno_error(int err, const std::filesystem::path& file, const char* what) {
    return hw_fail(classify_sysfs_errno(err),
                   file.string() + ": " + what + " failed: " + std::strerror(err));
}

}  // namespace

hw_errc classify_sysfs_errno(int err) noexcept {
    // As for the bus devices (hw_error.hpp), except what means something else in sysfs: no such
    // device (ENXIO), try again (EAGAIN) and an attribute the driver refuses (EINVAL).
    switch (err) {
        case ENXIO:
            return hw_errc::not_found;
        case EAGAIN:
            return hw_errc::busy;
        case EINVAL:
            return hw_errc::not_supported;
        default:
            return classify_errno(err);
    }
}

util::result<std::string> read_sysfs_text(const std::filesystem::path& file) {
    const util::unique_fd f{::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK)};
    if (f.get() < 0) return errno_error(errno, file, "open");
    std::string text;
    char buf[4096];
    for (int i = 0; i < 16; ++i) {  // sysfs gives one page; a regular file may be split
        const ssize_t n = ::read(f.get(), buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR) continue;
            return errno_error(errno, file, "read");
        }
        if (n == 0) break;
        text.append(buf, static_cast<std::size_t>(n));
    }
    return text;
}

util::result<void> write_sysfs_text(const std::filesystem::path& file, std::string_view text) {
    const util::unique_fd f{::open(file.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC)};
    if (f.get() < 0) return errno_error(errno, file, "open for writing");
    const ssize_t n = ::write(f.get(), text.data(), text.size());
    if (n < 0) return errno_error(errno, file, "write");
    if (static_cast<std::size_t>(n) != text.size()) {
        return hw_fail(hw_errc::io_error, file.string() + ": short write");
    }
    return {};
}

std::string_view trim_sysfs(std::string_view text) {
    const auto space = [](char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; };
    while (!text.empty() && space(text.front())) text.remove_prefix(1);
    while (!text.empty() && space(text.back())) text.remove_suffix(1);
    return text;
}

namespace {

util::error not_a_number(std::string_view text, const std::filesystem::path& file) {
    if (text.empty()) return hw_fail(hw_errc::out_of_range, file.string() + ": empty");
    std::string shown(text.substr(0, 40));
    for (char& c : shown) {
        if (static_cast<unsigned char>(c) < 0x20) c = '?';
    }
    return hw_fail(hw_errc::out_of_range, file.string() + ": \"" + shown + "\" is not a number");
}

}  // namespace

util::result<std::int64_t> parse_sysfs_integer(std::string_view text,
                                               const std::filesystem::path& file) {
    text = trim_sysfs(text);
    std::int64_t v = 0;
    const char* end = text.data() + text.size();
    auto [p, ec] = std::from_chars(text.data(), end, v);
    if (text.empty() || ec != std::errc{} || p != end) return not_a_number(text, file);
    return v;
}

util::result<double> parse_sysfs_number(std::string_view text, const std::filesystem::path& file) {
    text = trim_sysfs(text);
    double v = 0;
    const char* end = text.data() + text.size();
    auto [p, ec] = std::from_chars(text.data(), end, v);
    if (text.empty() || ec != std::errc{} || p != end || !std::isfinite(v))
        return not_a_number(text, file);
    return v;
}

util::result<std::int64_t> read_sysfs_integer(const std::filesystem::path& file) {
    auto text = read_sysfs_text(file);
    if (!text) return text.err();
    return parse_sysfs_integer(*text, file);
}

util::result<double> read_sysfs_number(const std::filesystem::path& file) {
    auto text = read_sysfs_text(file);
    if (!text) return text.err();
    return parse_sysfs_number(*text, file);
}

std::filesystem::path under_root(const std::filesystem::path& root,
                                 const std::filesystem::path& path) {
    if (root.empty() || root == "/") return path;
    return root / path.relative_path();
}

}  // namespace piogate::hw
