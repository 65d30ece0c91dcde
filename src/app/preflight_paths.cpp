#include "app/preflight_paths.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "config/state_directory.hpp"

namespace piogate::app {
namespace {

constexpr const char* packaged_state_dir = "/var/lib/piogate";

std::string directory_of(const std::string& file) {
    auto slash = file.rfind('/');
    if (slash == std::string::npos) return ".";
    return slash == 0 ? std::string("/") : file.substr(0, slash);
}

bool is_under(const std::string& dir, const std::string& base) {
    return dir == base || (dir.size() > base.size() && dir.compare(0, base.size(), base) == 0 &&
                           dir[base.size()] == '/');
}

void check(const std::string& json_path, const std::string& file, const std::string& state_dir,
           bool creates_directory = false) {
    if (auto problem = state_path_problem(file, state_dir, creates_directory)) {
        throw config::config_error(json_path, *problem);
    }
}

}  // namespace

std::optional<std::string> state_path_problem(const std::string& file, const std::string& state_dir,
                                              bool creates_directory) {
    const auto dir = directory_of(file);
    std::string cause;
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0) {
        const int error = errno;
        // systemd's StateDirectory= creates the state directory when the service starts.
        if (error == ENOENT && (dir == state_dir || dir == packaged_state_dir)) return std::nullopt;
        if (error == ENOENT && creates_directory) {
            // The nearest directory that exists must let piogate create the rest.
            auto base = directory_of(dir);
            while (base != "/" && ::stat(base.c_str(), &st) != 0 && errno == ENOENT) {
                base = directory_of(base);
            }
            if (::access(base.c_str(), W_OK | X_OK) == 0) return std::nullopt;
            cause = "cannot be created: " + base + " is not writable (" +
                    std::string(std::strerror(errno)) + ")";
        } else {
            cause = error == ENOENT ? std::string("does not exist")
                                    : "cannot be read (" + std::string(std::strerror(error)) + ")";
        }
    } else if (!S_ISDIR(st.st_mode)) {
        cause = "is not a directory";
    } else if (::access(dir.c_str(), W_OK | X_OK) != 0) {
        cause = "is not writable (" + std::string(std::strerror(errno)) + ")";
    } else {
        return std::nullopt;
    }
    std::string message = "cannot write \"" + file + "\": its directory " + dir + " " + cause;
    if (!is_under(dir, packaged_state_dir) && dir != state_dir) {
        message +=
            "; the packaged unit allows writes only under /var/lib/piogate; add "
            "ReadWritePaths=" +
            dir + " in a drop-in (systemctl edit piogate)";
    }
    return message;
}

void check_state_paths(const config::piogate_config& config) {
    const auto state_dir = config::state_directory();
    if (config.buffer.persist) check("/buffer/file", config.buffer.file, state_dir, true);
    for (const auto& e : config.channel_facts()) {
        for (const auto& f : e.files) check(e.path + "/" + f.key, f.file, state_dir);
    }
}

}  // namespace piogate::app
