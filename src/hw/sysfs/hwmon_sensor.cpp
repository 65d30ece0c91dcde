#include "hw/sysfs/hwmon_sensor.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <cctype>

#include "hw/sysfs/sysfs_file.hpp"

namespace piogate::hw {

namespace {

namespace fs = std::filesystem;

bool has_name_file(const fs::path& dir) {
    std::error_code ec;
    return fs::exists(dir / "name", ec);
}

std::string read_name(const fs::path& dir) {
    auto text = read_sysfs_text(dir / "name");
    return text ? std::string(trim_sysfs(*text)) : std::string();
}

// The attribute directory: hwmonN/ itself, or hwmonN/device/ for older drivers.
fs::path attribute_dir(const fs::path& hwmon) {
    std::error_code ec;
    if (!list_hwmon_channels(hwmon).empty() || !fs::is_directory(hwmon / "device", ec)) {
        return hwmon;
    }
    return list_hwmon_channels(hwmon / "device").empty() ? hwmon : hwmon / "device";
}

std::string label_of(const fs::path& dir, const std::string& channel) {
    auto text = read_sysfs_text(dir / (channel + "_label"));
    if (!text) return channel;
    return channel + " (" + std::string(trim_sysfs(*text)) + ")";
}

}  // namespace

util::result<fs::path> find_hwmon_device(const fs::path& root, const std::string& name) {
    const fs::path base = under_root(root, hwmon_class_dir);
    std::error_code ec;
    if (name.starts_with("hwmon") && name.size() > 5 &&
        std::all_of(name.begin() + 5, name.end(),
                    [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
        if (!fs::is_directory(base / name, ec)) {
            return hw_fail(hw_errc::not_found,
                           "hwmon " + name + ": " + (base / name).string() + " does not exist");
        }
        return attribute_dir(base / name);
    }
    std::vector<fs::path> matches;
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(base, ec)) {
        fs::path dir = entry.path();
        if (!has_name_file(dir) && has_name_file(dir / "device")) dir = dir / "device";
        const std::string n = read_name(dir);
        names.push_back(n);
        if (n == name) matches.push_back(entry.path());
    }
    if (matches.size() == 1) return attribute_dir(matches.front());
    if (matches.empty()) {
        std::sort(names.begin(), names.end());
        std::string present;
        for (const auto& n : names) present += (present.empty() ? "" : ", ") + n;
        return hw_fail(hw_errc::not_found,
                       "hwmon \"" + name + "\": no device of that name in " + base.string() +
                           (present.empty() ? "" : " (present: " + present + ")"));
    }
    std::sort(matches.begin(), matches.end());
    std::string which;
    for (const auto& m : matches) which += (which.empty() ? "" : ", ") + m.filename().string();
    return hw_fail(hw_errc::not_found, "hwmon \"" + name + "\": " + std::to_string(matches.size()) +
                                           " devices have that name (" + which +
                                           "); give \"hwmonN\" instead");
}

std::optional<hwmon_quantity> hwmon_quantity_of(std::string_view channel) {
    std::size_t i = channel.size();
    while (i > 0 && std::isdigit(static_cast<unsigned char>(channel[i - 1]))) --i;
    if (i == channel.size()) return std::nullopt;  // no index
    const std::string_view type = channel.substr(0, i);
    if (type == "temp") return hwmon_quantity{"temperature", 0.001, "°C"};
    if (type == "in") return hwmon_quantity{"voltage", 0.001, "V"};
    if (type == "curr") return hwmon_quantity{"current", 0.001, "A"};
    if (type == "power") return hwmon_quantity{"power", 1e-6, "W"};
    if (type == "fan") return hwmon_quantity{"fan", 1.0, "RPM"};
    return std::nullopt;
}

std::vector<std::string> list_hwmon_channels(const fs::path& dir) {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        const std::string file = entry.path().filename().string();
        std::string_view name = file;
        if (!name.ends_with("_input")) continue;
        name.remove_suffix(6);
        if (hwmon_quantity_of(name)) out.emplace_back(name);
    }
    std::sort(out.begin(), out.end());
    return out;
}

hwmon_sensor::hwmon_sensor(fs::path root, hwmon_sensor_config config)
    : root_(std::move(root)), config_(std::move(config)) {}

util::result<void> hwmon_sensor::open() {
    auto dir = find_hwmon_device(root_, config_.name);
    if (!dir) return dir.err();
    dir_ = *dir;
    const auto present = list_hwmon_channels(dir_);
    if (config_.channel.empty()) {
        if (present.empty()) {
            return hw_fail(hw_errc::not_found, "hwmon \"" + config_.name + "\" (" + dir_.string() +
                                                   "): no temp, in, curr, power or fan channel");
        }
        channels_ = present;
        return {};
    }
    if (!hwmon_quantity_of(config_.channel)) {
        return hw_fail(hw_errc::not_supported, "hwmon \"" + config_.name + "\": channel \"" +
                                                   config_.channel +
                                                   "\" is not tempN, inN, currN, powerN or fanN");
    }
    if (std::find(present.begin(), present.end(), config_.channel) == present.end()) {
        std::string have;
        for (const auto& p : present) have += (have.empty() ? "" : ", ") + p;
        return hw_fail(hw_errc::not_found, "hwmon \"" + config_.name + "\" (" + dir_.string() +
                                               "): no " + config_.channel + "_input (it has: " +
                                               (have.empty() ? "none" : have) + ")");
    }
    channels_ = {config_.channel};
    return {};
}

util::result<reading> hwmon_sensor::measure() {
    if (dir_.empty()) return hw_fail(hw_errc::not_found, "hwmon " + config_.name + ": not opened");
    reading out;
    const bool plain = !config_.channel.empty();
    for (const auto& channel : channels_) {
        const auto q = hwmon_quantity_of(channel);
        auto v = read_sysfs_number(dir_ / (channel + "_input"));
        if (!v) {
            return util::error{v.err().code, "hwmon \"" + config_.name + "\" " +
                                                 label_of(dir_, channel) + ": " + v.err().message};
        }
        std::string name = q->name;
        if (!plain) name += channel.substr(channel.find_first_of("0123456789"));
        out.push_back({std::move(name), *v * q->factor, q->unit});
    }
    return out;
}

}  // namespace piogate::hw
