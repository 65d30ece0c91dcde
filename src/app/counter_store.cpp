#include "app/counter_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

#include "config/config_error.hpp"
#include "util/unique_fd.hpp"

namespace piogate::app {
namespace {

constexpr const char* magic = "piogate";
constexpr const char* kind = "counter";
constexpr int version = 1;
constexpr std::size_t max_file_bytes = 4096;

using kind_t = counter_file::kind_t;

util::error fail(const std::string& what) {
    return {std::make_error_code(std::errc::io_error), what};
}

std::string directory_of(const std::string& path) {
    const auto slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace

std::string encode_counter_state(const std::string& id, std::uint64_t count) {
    // Ordered: the magic comes first, so that a truncated file is still recognisably ours.
    nlohmann::ordered_json j{{magic, kind}, {"version", version}, {"id", id}, {"count", count}};
    return j.dump() + "\n";
}

counter_file decode_counter_state(std::string_view content, const std::string& id) {
    std::string_view t = content;
    while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) t.remove_suffix(1);
    while (!t.empty() && std::isspace(static_cast<unsigned char>(t.front()))) t.remove_prefix(1);
    if (t.empty()) return {kind_t::corrupted, 0, "is empty"};
    auto j = nlohmann::json::parse(t, nullptr, false);
    if (j.is_discarded()) {
        // What encode_counter_state() starts with: ours, cut short.
        const std::string ours = std::string("{\"") + magic + "\":\"" + kind + "\"";
        if (t.substr(0, ours.size()) == ours || ours.substr(0, t.size()) == t) {
            return {kind_t::corrupted, 0, "is not valid JSON (truncated?)"};
        }
        return {kind_t::foreign, 0, "is not a piogate counter file (not JSON)"};
    }
    if (!j.is_object() || !j.contains(magic) || j[magic] != kind) {
        return {kind_t::foreign, 0, "is not a piogate counter file (no \"piogate\":\"counter\")"};
    }
    if (auto v = j.find("version");
        v == j.end() || !v->is_number_integer() || v->get<std::int64_t>() != version) {
        return {kind_t::foreign, 0, "has a format version this piogate does not know"};
    }
    if (auto i = j.find("id"); i == j.end() || !i->is_string() || i->get<std::string>() != id) {
        const std::string other = i != j.end() && i->is_string() ? i->get<std::string>() : "?";
        return {kind_t::foreign, 0,
                "belongs to counter \"" + other.substr(0, 64) + "\", not \"" + id + "\""};
    }
    auto c = j.find("count");
    if (c == j.end() || !c->is_number_unsigned()) {
        return {kind_t::corrupted, 0, "has no \"count\" that is a non-negative integer"};
    }
    return {kind_t::own, c->get<std::uint64_t>(), {}};
}

counter_file read_counter_file(const std::string& path, const std::string& id) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        if (errno == ENOENT) return {kind_t::absent, 0, {}};
        return {kind_t::foreign, 0, std::string("cannot be examined: ") + std::strerror(errno)};
    }
    if (!S_ISREG(st.st_mode)) return {kind_t::foreign, 0, "is not a regular file"};
    if (static_cast<std::size_t>(st.st_size) > max_file_bytes) {
        return {kind_t::foreign, 0,
                "is not a piogate counter file (" + std::to_string(st.st_size) + " bytes)"};
    }
    util::unique_fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) return {kind_t::foreign, 0, std::string("cannot be read: ") + std::strerror(errno)};
    std::string content(max_file_bytes + 1, '\0');
    std::size_t got = 0;
    for (;;) {
        const ssize_t n = ::read(fd.get(), content.data() + got, content.size() - got);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0)
            return {kind_t::foreign, 0, std::string("cannot be read: ") + std::strerror(errno)};
        if (n == 0) break;
        got += static_cast<std::size_t>(n);
        if (got == content.size()) break;
    }
    content.resize(got);
    return decode_counter_state(content, id);
}

util::result<void> write_counter_file(const std::string& path, const std::string& id,
                                      std::uint64_t count) {
    const std::string tmp = path + ".tmp";
    const std::string text = encode_counter_state(id, count);
    {
        util::unique_fd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
        if (!fd) return fail(tmp + ": " + std::strerror(errno));
        if (::write(fd.get(), text.data(), text.size()) != static_cast<ssize_t>(text.size())) {
            const int err = errno;
            ::unlink(tmp.c_str());
            return fail(tmp + ": write: " + std::strerror(err));
        }
        if (::fsync(fd.get()) != 0) {
            const int err = errno;
            ::unlink(tmp.c_str());
            return fail(tmp + ": fsync: " + std::strerror(err));
        }
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        return fail(path + ": rename: " + std::strerror(err));
    }
    util::unique_fd dir(::open(directory_of(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dir) ::fsync(dir.get());  // the rename itself survives a power cut
    return {};
}

std::string foreign_counter_file_message(const std::string& path, const std::string& reason) {
    return "state file " + path + " " + reason +
           "; piogate will not use or overwrite it (set \"state_file\" to another path, or move "
           "this "
           "file away)";
}

void check_counter_state_files(const std::vector<config::counter_config>& counters) {
    for (const auto& c : counters) {
        const auto f = read_counter_file(c.state_file, c.id);
        if (f.kind == counter_file::kind_t::foreign) {
            throw config::config_error(c.path + "/state_file",
                                       foreign_counter_file_message(c.state_file, f.reason));
        }
    }
}

}  // namespace piogate::app
