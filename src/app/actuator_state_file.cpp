#include "app/actuator_state_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>

#include "config/state_directory.hpp"
#include "util/unique_fd.hpp"

namespace piogate::app {
namespace {

constexpr const char* magic = "piogate";
constexpr const char* kind = "actuator";
constexpr int version = 1;
constexpr std::size_t max_file_bytes = 4096;

using kind_t = actuator_state_file::kind_t;

util::error io_error(const std::string& what) {
    return {std::make_error_code(std::errc::io_error), what};
}

std::string parent_directory(const std::string& path) {
    const auto slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

std::string_view trimmed(std::string_view t) {
    while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) t.remove_suffix(1);
    while (!t.empty() && std::isspace(static_cast<unsigned char>(t.front()))) t.remove_prefix(1);
    return t;
}

}  // namespace

std::string encode_actuator_state(const std::string& id, bool state) {
    // The magic first, so that a file cut short is still recognisably ours.
    nlohmann::ordered_json j{
        {magic, kind}, {"version", version}, {"id", id}, {"state", state ? "ON" : "OFF"}};
    return j.dump() + "\n";
}

actuator_state_file decode_actuator_state(std::string_view content, const std::string& id) {
    const std::string_view t = trimmed(content);
    if (t.empty()) return {kind_t::corrupted, false, "is empty"};
    auto j = nlohmann::json::parse(t, nullptr, false);
    if (j.is_discarded()) {
        const std::string ours = std::string("{\"") + magic + "\":\"" + kind + "\"";
        if (t.substr(0, ours.size()) == ours || ours.substr(0, t.size()) == t) {
            return {kind_t::corrupted, false, "is not valid JSON (cut short?)"};
        }
        return {kind_t::foreign, false, "is not a piogate actuator state file (not JSON)"};
    }
    if (!j.is_object() || !j.contains(magic) || j[magic] != kind) {
        return {kind_t::foreign, false,
                "is not a piogate actuator state file (no \"piogate\":\"actuator\")"};
    }
    if (auto v = j.find("version");
        v == j.end() || !v->is_number_integer() || v->get<std::int64_t>() != version) {
        return {kind_t::foreign, false, "has a format version this piogate does not know"};
    }
    if (auto i = j.find("id"); i == j.end() || !i->is_string() || i->get<std::string>() != id) {
        const std::string other = i != j.end() && i->is_string() ? i->get<std::string>() : "?";
        return {kind_t::foreign, false,
                "belongs to actuator \"" + other.substr(0, 64) + "\", not \"" + id + "\""};
    }
    auto s = j.find("state");
    if (s == j.end() || !s->is_string() || (*s != "ON" && *s != "OFF")) {
        return {kind_t::corrupted, false, "has no \"state\" that is \"ON\" or \"OFF\""};
    }
    return {kind_t::own, *s == "ON", {}};
}

actuator_state_file read_actuator_state(const std::string& path, const std::string& id) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        if (errno == ENOENT) return {kind_t::absent, false, {}};
        return {kind_t::foreign, false, std::string("cannot be examined: ") + std::strerror(errno)};
    }
    if (!S_ISREG(st.st_mode)) return {kind_t::foreign, false, "is not a regular file"};
    if (static_cast<std::size_t>(st.st_size) > max_file_bytes) {
        return {kind_t::foreign, false,
                "is not a piogate actuator state file (" + std::to_string(st.st_size) + " bytes)"};
    }
    util::unique_fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd)
        return {kind_t::foreign, false, std::string("cannot be read: ") + std::strerror(errno)};
    std::string content(max_file_bytes + 1, '\0');
    std::size_t got = 0;
    while (got < content.size()) {
        const ssize_t n = ::read(fd.get(), content.data() + got, content.size() - got);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0)
            return {kind_t::foreign, false, std::string("cannot be read: ") + std::strerror(errno)};
        if (n == 0) break;
        got += static_cast<std::size_t>(n);
    }
    content.resize(got);
    return decode_actuator_state(content, id);
}

util::result<void> write_actuator_state(const std::string& path, const std::string& id,
                                        bool state) {
    const std::string tmp = path + ".tmp";
    const std::string text = encode_actuator_state(id, state);
    {
        util::unique_fd fd(
            ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644));
        if (!fd) return io_error(tmp + ": " + std::strerror(errno));
        if (::write(fd.get(), text.data(), text.size()) != static_cast<ssize_t>(text.size()) ||
            ::fsync(fd.get()) != 0) {
            const int err = errno;
            ::unlink(tmp.c_str());
            return io_error(tmp + ": " + std::strerror(err));
        }
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        return io_error(path + ": rename: " + std::strerror(err));
    }
    util::unique_fd dir(::open(parent_directory(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dir) ::fsync(dir.get());  // the rename itself survives a power cut
    return {};
}

void check_actuator_state_files(const std::vector<config::actuator_config>& actuators) {
    for (const auto& a : actuators) {
        if (!a.restore) continue;
        const auto path = default_actuator_state_path(a.id);
        const auto f = read_actuator_state(path, a.id);
        if (f.kind != kind_t::foreign) continue;
        throw config::config_error(a.path + "/initial",
                                   "state file \"" + path + "\" " + f.reason +
                                       "; piogate will not use or overwrite it "
                                       "(move it away)");
    }
}

std::string default_actuator_state_path(const std::string& id) {
    return config::state_file_path("actuator-" + id + ".json");
}

}  // namespace piogate::app
