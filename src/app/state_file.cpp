#include "app/state_file.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstring>

#include "config/bounded_file.hpp"
#include "util/unique_fd.hpp"

namespace piogate::app {
namespace {

constexpr const char* magic = "piogate";
constexpr int version = 1;

using kind_t = state_file_read::kind_t;

util::error io_error(const std::string& what) {
    return {std::make_error_code(std::errc::io_error), what};
}

std::string directory_of(const std::string& path) {
    const auto slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

std::string_view trimmed(std::string_view t) {
    while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) t.remove_suffix(1);
    while (!t.empty() && std::isspace(static_cast<unsigned char>(t.front()))) t.remove_prefix(1);
    return t;
}

// Why read_bounded_file refused an existing `path`, in the words state files have always used.
std::string refusal(const state_file_format& f, const std::string& path,
                    const config::file_error& e) {
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0) {
        if (!S_ISREG(st.st_mode)) return "is not a regular file";
        if (static_cast<std::uintmax_t>(st.st_size) > max_state_file_bytes)
            return "is not a " + f.title + " (" + std::to_string(st.st_size) + " bytes)";
    }
    std::string text = e.what();  // "PATH: cannot read: Permission denied"
    if (text.compare(0, path.size() + 2, path + ": ") == 0) text.erase(0, path.size() + 2);
    return text;
}

util::result<void> write_atomically(const std::string& path, const std::string& text) {
    const std::string tmp = path + ".tmp";
    {
        // O_NOFOLLOW: a link planted at the temporary name does not redirect the write.
        util::unique_fd fd(
            ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644));
        if (!fd) return io_error(tmp + ": " + std::strerror(errno));
        if (!util::write_all(fd.get(), text)) {
            const int err = errno;
            ::unlink(tmp.c_str());
            return io_error(tmp + ": write: " + std::strerror(err));
        }
        if (::fsync(fd.get()) != 0) {
            const int err = errno;
            ::unlink(tmp.c_str());
            return io_error(tmp + ": fsync: " + std::strerror(err));
        }
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        return io_error(path + ": rename: " + std::strerror(err));
    }
    util::unique_fd dir(::open(directory_of(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dir) ::fsync(dir.get());  // the rename itself survives a power cut
    return {};
}

}  // namespace

std::string encode_state_file(const state_file_format& f, const std::string& id,
                              const nlohmann::json& value) {
    // Ordered: the magic comes first, so that a file cut short is still recognisably ours.
    nlohmann::ordered_json j{{magic, f.kind}, {"version", version}, {"id", id}, {f.field, value}};
    return j.dump() + "\n";
}

state_file_read decode_state_file(const state_file_format& f, std::string_view content,
                                  const std::string& id) {
    const std::string_view t = trimmed(content);
    if (t.empty()) return {kind_t::corrupted, nullptr, "is empty"};
    auto j = nlohmann::json::parse(t, nullptr, false);
    if (j.is_discarded()) {
        // What encode_state_file() starts with: ours, cut short.
        const std::string ours = std::string("{\"") + magic + "\":\"" + f.kind + "\"";
        if (t.substr(0, ours.size()) == ours || ours.substr(0, t.size()) == t)
            return {kind_t::corrupted, nullptr, "is not valid JSON (" + f.cut_short + ")"};
        return {kind_t::foreign, nullptr, "is not a " + f.title + " (not JSON)"};
    }
    if (!j.is_object() || !j.contains(magic) || j[magic] != f.kind) {
        return {kind_t::foreign, nullptr,
                "is not a " + f.title + " (no \"" + magic + "\":\"" + f.kind + "\")"};
    }
    if (auto v = j.find("version");
        v == j.end() || !v->is_number_integer() || v->get<std::int64_t>() != version) {
        return {kind_t::foreign, nullptr, "has a format version this piogate does not know"};
    }
    if (auto i = j.find("id"); i == j.end() || !i->is_string() || i->get<std::string>() != id) {
        const std::string other = i != j.end() && i->is_string() ? i->get<std::string>() : "?";
        return {kind_t::foreign, nullptr,
                "belongs to " + f.kind + " \"" + other.substr(0, 64) + "\", not \"" + id + "\""};
    }
    auto v = j.find(f.field);
    return {kind_t::own, v == j.end() ? nlohmann::json() : *v, {}};
}

state_file_read read_state_file(const state_file_format& f, const std::string& path,
                                const std::string& id) {
    std::string content;
    try {
        content = config::read_bounded_file(path, max_state_file_bytes);
    } catch (const config::file_error& e) {
        if (e.missing()) return {kind_t::absent, nullptr, {}};
        return {kind_t::foreign, nullptr, refusal(f, path, e)};
    }
    return decode_state_file(f, content, id);
}

util::result<void> replace_state_file(const state_file_format& f, const std::string& path,
                                      const std::string& id, const std::string& text) {
    // Checked before every write: a file that is not ours is never replaced, even one put
    // there after start-up.
    if (auto now = read_state_file(f, path, id); now.kind == kind_t::foreign)
        return io_error(path + " " + now.reason + "; piogate will not overwrite it");
    return write_atomically(path, text);
}

}  // namespace piogate::app
