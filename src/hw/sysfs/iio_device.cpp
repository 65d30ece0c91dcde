#include "hw/sysfs/iio_device.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <cctype>

#include "hw/sysfs/sysfs_file.hpp"

namespace piogate::hw {

namespace {

namespace fs = std::filesystem;

std::string read_name(const fs::path& dir) {
    auto text = read_sysfs_text(dir / "name");
    return text ? std::string(trim_sysfs(*text)) : std::string();
}

// "voltage12" -> {"voltage", "12"}
std::pair<std::string_view, std::string_view> split_index(std::string_view channel) {
    std::size_t i = channel.size();
    while (i > 0 && std::isdigit(static_cast<unsigned char>(channel[i - 1]))) --i;
    return {channel.substr(0, i), channel.substr(i)};
}

bool file_exists(const fs::path& p) {
    std::error_code ec;
    return fs::exists(p, ec);
}

// in_<channel>_<what>, else the shared in_<type>_<what>, else `fallback`.
util::result<double> attribute(const fs::path& dir, const std::string& channel, const char* what,
                               double fallback) {
    const auto own = dir / ("in_" + channel + "_" + what);
    if (file_exists(own)) return read_sysfs_number(own);
    const auto type = split_index(channel).first;
    const auto shared = dir / ("in_" + std::string(type) + "_" + what);
    if (std::string(type) != channel && file_exists(shared)) return read_sysfs_number(shared);
    return fallback;
}

}  // namespace

util::result<fs::path> find_iio_device(const fs::path& root, const std::string& device) {
    const fs::path devices = under_root(root, iio_devices_dir);
    std::error_code ec;
    if (device.find('/') != std::string::npos || device.starts_with("iio:device")) {
        const fs::path dir =
            device.find('/') != std::string::npos ? under_root(root, device) : devices / device;
        if (!fs::is_directory(dir, ec)) {
            return hw_fail(hw_errc::not_found,
                           "IIO device " + device + ": " + dir.string() + " does not exist");
        }
        return dir;
    }
    std::vector<fs::path> matches;
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(devices, ec)) {
        if (!entry.path().filename().string().starts_with("iio:device")) continue;
        const std::string name = read_name(entry.path());
        names.push_back(name);
        if (name == device || name.substr(0, name.find('@')) == device) {
            matches.push_back(entry.path());
        }
    }
    if (matches.size() == 1) return matches.front();
    if (matches.empty()) {
        std::sort(names.begin(), names.end());
        std::string present;
        for (const auto& n : names) present += (present.empty() ? "" : ", ") + n;
        return hw_fail(hw_errc::not_found,
                       "IIO device \"" + device + "\": no device of that name in " +
                           devices.string() +
                           (present.empty() ? " (there is none: driver or overlay not loaded?)"
                                            : " (present: " + present + ")"));
    }
    std::sort(matches.begin(), matches.end());
    std::string which;
    for (const auto& m : matches) which += (which.empty() ? "" : ", ") + m.filename().string();
    return hw_fail(hw_errc::not_found,
                   "IIO device \"" + device + "\": " + std::to_string(matches.size()) +
                       " devices have that name (" + which + "); give \"iio:deviceN\" instead");
}

std::optional<iio_quantity> iio_quantity_of(std::string_view channel) {
    const auto [type, index] = split_index(channel);
    const std::string suffix(index);
    if (type == "temp") return iio_quantity{"temperature" + suffix, 0.001, "°C"};
    if (type == "humidityrelative") return iio_quantity{"humidity" + suffix, 0.001, "%RH"};
    if (type == "pressure") return iio_quantity{"pressure" + suffix, 10.0, "hPa"};
    if (type == "illuminance") return iio_quantity{"illuminance" + suffix, 1.0, "lx"};
    if (type == "voltage" && !index.empty()) {
        return iio_quantity{"voltage" + suffix, 0.001, "V"};
    }
    return std::nullopt;
}

std::vector<std::string> list_iio_channels(const fs::path& device_dir) {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(device_dir, ec)) {
        const std::string file = entry.path().filename().string();
        std::string_view name = file;
        if (!name.starts_with("in_")) continue;
        name.remove_prefix(3);
        if (name.ends_with("_input")) {
            name.remove_suffix(6);
        } else if (name.ends_with("_raw")) {
            name.remove_suffix(4);
        } else {
            continue;
        }
        const std::string channel(name);
        if (!iio_quantity_of(channel)) continue;
        if (std::find(out.begin(), out.end(), channel) == out.end()) out.push_back(channel);
    }
    std::sort(out.begin(), out.end());
    return out;
}

util::result<double> read_iio_channel(const fs::path& device_dir, const std::string& channel) {
    const auto input = device_dir / ("in_" + channel + "_input");
    if (file_exists(input)) return read_sysfs_number(input);
    const auto raw_file = device_dir / ("in_" + channel + "_raw");
    if (!file_exists(raw_file)) {
        return hw_fail(hw_errc::not_found, device_dir.string() + ": no channel \"" + channel +
                                               "\" (neither in_" + channel + "_input nor in_" +
                                               channel + "_raw)");
    }
    auto raw = read_sysfs_number(raw_file);
    if (!raw) return raw.err();
    auto offset = attribute(device_dir, channel, "offset", 0.0);
    if (!offset) return offset.err();
    auto scale = attribute(device_dir, channel, "scale", 1.0);
    if (!scale) return scale.err();
    return (*raw + *offset) * *scale;
}

util::result<measurement> read_iio_measurement(const fs::path& device_dir,
                                               const std::string& channel) {
    const auto q = iio_quantity_of(channel);
    if (!q) {
        return hw_fail(hw_errc::not_supported,
                       device_dir.string() + ": channel \"" + channel + "\" is not read here");
    }
    auto v = read_iio_channel(device_dir, channel);
    if (!v) return v.err();
    return measurement{q->name, *v * q->factor, q->unit};
}

}  // namespace piogate::hw
