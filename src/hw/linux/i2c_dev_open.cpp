#include "hw/linux/i2c_dev_open.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <utility>
#include <vector>

namespace piogate::hw::i2c_dev {
namespace {

namespace fs = std::filesystem;

bool all_digits(const std::string& s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// -1 unless `name` is "i2c-<digits>".
int bus_number(const std::string& name) {
    if (name.rfind("i2c-", 0) != 0 || !all_digits(name.substr(4)) || name.size() > 12) return -1;
    return std::stoi(name.substr(4));
}

std::string resolve_path(const std::string& spec) {
    if (all_digits(spec)) return "/dev/i2c-" + spec;
    if (spec.find('/') != std::string::npos) return spec;
    if (bus_number(spec) >= 0) return "/dev/" + spec;
    throw std::runtime_error("I2C bus \"" + spec +
                             "\": expected a bus number (1), a name (i2c-1) or a path "
                             "(/dev/i2c-1)");
}

std::string first_line(const fs::path& file) {
    std::ifstream in(file);
    std::string line;
    std::getline(in, line);
    return line;
}

std::string user_name(uid_t uid) {
    const passwd* pw = ::getpwuid(uid);
    return pw != nullptr ? pw->pw_name : "uid " + std::to_string(uid);
}

std::string group_name(gid_t gid) {
    const group* gr = ::getgrgid(gid);
    return gr != nullptr ? gr->gr_name : "gid " + std::to_string(gid);
}

std::string not_found_message(const std::string& label) {
    const std::string existing = list_buses();
    if (existing.empty()) {
        return label +
               ": not found, and no /dev/i2c-* exist: load the i2c-dev module "
               "(modprobe i2c-dev) and enable the bus (Raspberry Pi: dtparam=i2c_arm=on)";
    }
    return label + ": not found; existing buses: " + existing;
}

std::string permission_message(const std::string& label, const std::string& path) {
    std::string text = label + ": permission denied";
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0) {
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
        text += " (owned by " + user_name(st.st_uid) + ":" + group_name(st.st_gid) + ", mode " +
                mode + "; running as " + user_name(::geteuid()) + ")";
    }
    return text +
           "; add the user to group 'i2c' (usermod -aG i2c USER), which Debian and "
           "Raspberry Pi OS give the /dev/i2c-* devices";
}

}  // namespace

std::string list_buses() {
    std::vector<std::pair<int, std::string>> buses;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator("/dev", ec)) {
        const std::string name = entry.path().filename().string();
        const int number = bus_number(name);
        if (number < 0) continue;
        std::string adapter = first_line(fs::path("/sys/class/i2c-dev") / name / "name");
        buses.emplace_back(number, adapter.empty() ? name : name + " (" + adapter + ")");
    }
    std::sort(buses.begin(), buses.end());
    std::string out;
    for (const auto& bus : buses) out += (out.empty() ? "" : ", ") + bus.second;
    return out;
}

opened_bus open_bus(const std::string& spec) {
    if (spec.empty())
        throw std::runtime_error("I2C bus: not set (expected e.g. \"1\" or \"i2c-1\")");
    opened_bus bus;
    bus.path = resolve_path(spec);
    bus.name = fs::path(bus.path).filename().string();
    bus.number = bus_number(bus.name);
    const std::string label = "I2C bus " + bus.name + " (" + bus.path + ")";

    bus.fd = unique_fd(::open(bus.path.c_str(), O_RDWR | O_CLOEXEC));
    if (!bus.fd) {
        const int err = errno;
        if (err == ENOENT || err == ENODEV || err == ENXIO) {
            throw std::runtime_error(not_found_message(label));
        }
        if (err == EACCES || err == EPERM) {
            throw std::runtime_error(permission_message(label, bus.path));
        }
        throw std::runtime_error(label + ": open failed: " + std::strerror(err));
    }
    if (const int err = query_funcs(bus.fd.get(), bus.funcs); err != 0) {
        throw std::runtime_error(
            label + ": not an i2c-dev device (I2C_FUNCS failed: " + std::strerror(err) + ")");
    }
    return bus;
}

}  // namespace piogate::hw::i2c_dev
