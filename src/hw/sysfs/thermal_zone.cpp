#include "hw/sysfs/thermal_zone.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <vector>

#include "hw/sysfs/sysfs_file.hpp"

namespace piogate::hw {

namespace {

namespace fs = std::filesystem;

std::string normalised(std::string text) {
    std::replace(text.begin(), text.end(), '_', '-');
    return text;
}

std::string read_type(const fs::path& zone) {
    auto text = read_sysfs_text(zone / "type");
    return text ? std::string(trim_sysfs(*text)) : std::string();
}

bool is_soc_type(const std::string& type) {
    const std::string t = normalised(type);
    return t == "cpu-thermal" || t == "soc-thermal" || t == "cpu0-thermal" || t == "x86-pkg-temp" ||
           t == "cpu";
}

}  // namespace

util::result<fs::path> find_thermal_zone(const fs::path& root, const std::string& zone) {
    const fs::path base = under_root(root, thermal_class_dir);
    std::error_code ec;
    if (zone.starts_with("thermal_zone")) {
        if (!fs::is_directory(base / zone, ec)) {
            return hw_fail(hw_errc::not_found, "thermal zone " + zone + ": " +
                                                   (base / zone).string() + " does not exist");
        }
        return base / zone;
    }
    std::vector<fs::path> zones;
    for (const auto& entry : fs::directory_iterator(base, ec)) {
        if (entry.path().filename().string().starts_with("thermal_zone")) {
            zones.push_back(entry.path());
        }
    }
    std::sort(zones.begin(), zones.end(), [](const fs::path& a, const fs::path& b) {
        const auto na = a.filename().string(), nb = b.filename().string();
        return na.size() != nb.size() ? na.size() < nb.size() : na < nb;  // zone2 < zone10
    });
    std::string types;
    for (const auto& z : zones) {
        const std::string type = read_type(z);
        types += (types.empty() ? "" : ", ") + z.filename().string() + " " + type;
        if (zone.empty() ? is_soc_type(type) : normalised(type) == normalised(zone)) return z;
    }
    if (zone.empty() && !zones.empty()) return zones.front();
    return hw_fail(hw_errc::not_found,
                   "thermal zone \"" + (zone.empty() ? std::string("SoC") : zone) + "\": none in " +
                       base.string() + (types.empty() ? "" : " (present: " + types + ")"));
}

thermal_zone::thermal_zone(fs::path root, thermal_zone_config config)
    : root_(std::move(root)), config_(std::move(config)) {}

util::result<void> thermal_zone::open() {
    auto dir = find_thermal_zone(root_, config_.zone);
    if (!dir) return dir.err();
    dir_ = *dir;
    return {};
}

util::result<reading> thermal_zone::measure() {
    if (dir_.empty()) return hw_fail(hw_errc::not_found, "thermal zone: not opened");
    const std::string where = "thermal zone " + dir_.filename().string();
    auto v = read_sysfs_integer(dir_ / "temp");
    if (!v) return util::error{v.err().code, where + ": " + v.err().message};
    const double c = static_cast<double>(*v) / 1000.0;
    if (c < -273.15 || c > 200) {
        return hw_fail(hw_errc::out_of_range,
                       where + ": " + std::to_string(*v) + " m°C is not a SoC temperature");
    }
    return reading{{"temperature", c, "°C"}};
}

}  // namespace piogate::hw
