#include "app/buffer_file.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

#include "config/config_error.hpp"
#include "piogate/mqtt/topic.hpp"
#include "util/unique_fd.hpp"

namespace piogate::app {

namespace {

constexpr std::string_view header_magic = "piogate";
constexpr std::string_view header_kind = "buffer";
constexpr int format_version = 1;

bool is_header(std::string_view line) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    return j.is_object() && j.contains(header_magic) && j[header_magic] == header_kind &&
           j.contains("version") && j["version"].is_number_integer();
}

// The first line of the file, up to max_line_bytes (false: unreadable).
bool first_line(int fd, std::string& out) {
    char chunk[4096];
    while (out.size() < max_line_bytes) {
        const ssize_t n = ::read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return false;
        if (n == 0) break;
        const std::string_view got(chunk, static_cast<std::size_t>(n));
        if (auto nl = got.find('\n'); nl != std::string_view::npos) {
            out.append(got.substr(0, nl));
            return true;
        }
        out.append(got);
    }
    return true;
}

}  // namespace

std::string buffer_header_line() {
    nlohmann::json j{{header_magic, header_kind}, {"version", format_version}};
    return j.dump() + "\n";
}

std::string encode_buffer_record(const buffered_message& m) {
    nlohmann::json j{{"topic", m.topic}, {"payload", m.payload}, {"qos", m.qos}, {"retain", m.retain}};
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

record_result decode_buffer_record(std::string_view line) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded()) return {std::nullopt, "not JSON"};
    if (!j.is_object()) return {std::nullopt, "not a JSON object"};
    auto topic = j.find("topic");
    if (topic == j.end() || !topic->is_string()) return {std::nullopt, "\"topic\" is not a string"};
    buffered_message m;
    m.topic = topic->get<std::string>();
    if (!mqtt::is_valid_topic_name(m.topic)) {
        return {std::nullopt, "\"topic\" is not a valid MQTT topic name (empty, a wildcard or bad UTF-8)"};
    }
    auto payload = j.find("payload");
    if (payload == j.end() || !payload->is_string()) return {std::nullopt, "\"payload\" is not a string"};
    m.payload = payload->get<std::string>();
    if (auto qos = j.find("qos"); qos != j.end()) {
        if (!qos->is_number_integer() || qos->get<std::int64_t>() < 0 || qos->get<std::int64_t>() > 2) {
            return {std::nullopt, "\"qos\" is not 0, 1 or 2"};
        }
        m.qos = qos->get<int>();
    }
    if (auto retain = j.find("retain"); retain != j.end()) {
        if (!retain->is_boolean()) return {std::nullopt, "\"retain\" is not true or false"};
        m.retain = retain->get<bool>();
    }
    return {std::move(m), {}};
}

buffer_file_kind identify_buffer_file(const std::string& path) {
    using kind_t = buffer_file_kind::kind_t;
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        if (errno == ENOENT) return {kind_t::absent, {}};
        return {kind_t::foreign, std::string("cannot be examined: ") + std::strerror(errno)};
    }
    if (S_ISDIR(st.st_mode)) return {kind_t::foreign, "is a directory"};
    if (!S_ISREG(st.st_mode)) return {kind_t::foreign, "is not a regular file"};
    if (st.st_size == 0) return {kind_t::absent, {}};
    util::unique_fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) return {kind_t::foreign, std::string("cannot be read: ") + std::strerror(errno)};
    std::string line;
    if (!first_line(fd.get(), line)) return {kind_t::foreign, std::string("cannot be read: ") + std::strerror(errno)};
    if (is_header(line)) return {kind_t::own, {}};
    if (decode_buffer_record(line).message) return {kind_t::legacy, {}};
    return {kind_t::foreign, "is not a piogate buffer file (its first line is not the buffer header)"};
}

void check_buffer_file(const std::string& path) {
    auto k = identify_buffer_file(path);
    if (k.kind != buffer_file_kind::kind_t::foreign) return;
    throw config::config_error("/buffer/file", "\"" + path + "\" " + k.reason +
                                                   "; piogate will not use or overwrite it "
                                                   "(choose another file, or move this one away)");
}

bool for_each_buffer_line(const std::string& path,
                          const std::function<void(std::size_t, std::optional<std::string_view>)>& line) {
    util::unique_fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) return false;
    std::string current;
    bool too_long = false;
    std::size_t number = 1;
    bool first = true;
    auto finish = [&] {
        if (first) {
            first = false;
            if (!too_long && is_header(current)) {
                current.clear();
                ++number;
                return;
            }
        }
        if (too_long) {
            line(number, std::nullopt);
        } else if (!current.empty()) {
            line(number, current);
        }
        current.clear();
        too_long = false;
        ++number;
    };
    char chunk[65536];
    for (;;) {
        const ssize_t n = ::read(fd.get(), chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        std::string_view got(chunk, static_cast<std::size_t>(n));
        while (!got.empty()) {
            const auto nl = got.find('\n');
            const auto part = got.substr(0, nl);
            if (!too_long) {
                if (current.size() + part.size() > max_line_bytes) {
                    too_long = true;
                    current.clear();
                    current.shrink_to_fit();
                } else {
                    current.append(part);
                }
            }
            if (nl == std::string_view::npos) break;
            finish();
            got.remove_prefix(nl + 1);
        }
    }
    if (too_long || !current.empty()) finish();
    return true;
}

}  // namespace piogate::app
