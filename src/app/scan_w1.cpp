#include "app/scan_w1.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <cstdio>
#include <iomanip>

#include "hw/sysfs/sysfs_file.hpp"
#include "hw/sysfs/w1_thermometer.hpp"

namespace piogate::app {

namespace {

bool has_bus_master(const std::filesystem::path& devices) {
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(devices, ec)) {
        if (entry.path().filename().string().starts_with("w1_bus_master")) return true;
    }
    return false;
}

}  // namespace

int scan_w1(const std::filesystem::path& sysfs_root, std::ostream& out) {
    const auto devices = hw::under_root(sysfs_root, hw::w1_devices_dir);
    const auto probes = hw::list_w1_devices(sysfs_root);
    if (probes.empty() && !has_bus_master(devices)) return -1;
    out << hw::w1_devices_dir << ":\n";
    for (const auto& p : probes) {
        out << "  " << p.rom << "  " << std::left << std::setw(9)
            << (p.model.empty() ? std::string("?") : p.model) << std::right;
        if (p.model.empty()) {
            char family[48];
            std::snprintf(family, sizeof family, "(family %02x: not a thermometer read here)\n",
                          p.family);
            out << family;
            continue;
        }
        hw::w1_thermometer probe(sysfs_root, {p.rom, 0});
        auto opened = probe.open();
        auto r = opened ? probe.measure() : util::result<hw::reading>(opened.err());
        if (r) {
            char value[32];
            std::snprintf(value, sizeof value, "%.3f °C", (*r)[0].value);
            out << value << "\n";
        } else {
            out << "error: " << r.err().message << "\n";
        }
    }
    out << probes.size() << (probes.size() == 1 ? " probe" : " probes") << " found\n";
    return static_cast<int>(probes.size());
}

}  // namespace piogate::app
