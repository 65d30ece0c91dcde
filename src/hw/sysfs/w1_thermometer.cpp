#include "hw/sysfs/w1_thermometer.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <system_error>

#include "hw/sysfs/sysfs_file.hpp"

namespace piogate::hw {

namespace {

constexpr std::array<w1_family, 5> families{{
    {0x28, "DS18B20", -55, 125, true, true},
    {0x22, "DS1822", -55, 125, true, true},
    {0x10, "DS18S20", -55, 125, true, false},
    {0x3b, "MAX31850", -270, 1800, false, false},
    {0x42, "DS28EA00", -40, 85, true, true},
}};

constexpr long power_on_millidegrees = 85000;

bool is_hex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

unsigned family_code(std::string_view rom) {
    unsigned code = 0;
    std::from_chars(rom.data(), rom.data() + 2, code, 16);
    return code;
}

std::string lower(std::string text) {
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

std::string celsius_text(double c) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f °C", c);
    return buf;
}

}  // namespace

bool is_w1_rom_id(std::string_view text) {
    if (text.size() != 15 || text[2] != '-') return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (i != 2 && !is_hex(text[i])) return false;
    }
    return true;
}

const w1_family* w1_family_of(std::string_view rom) {
    if (!is_w1_rom_id(rom)) return nullptr;
    const unsigned code = family_code(rom);
    for (const auto& f : families) {
        if (f.code == code) return &f;
    }
    return nullptr;
}

util::result<long> parse_w1_slave(std::string_view text, const std::string& where) {
    const auto nl = text.find('\n');
    const std::string_view first = trim_sysfs(text.substr(0, nl));
    const std::string_view second =
        nl == std::string_view::npos ? std::string_view{} : trim_sysfs(text.substr(nl + 1));
    if (first.empty()) return hw_fail(hw_errc::io_error, where + ": w1_slave is empty");
    const auto crc = first.find("crc=");
    if (crc == std::string_view::npos) {
        return hw_fail(hw_errc::out_of_range, where +
                                                  ": w1_slave's first line has no \"crc=\": \"" +
                                                  std::string(first.substr(0, 60)) + "\"");
    }
    if (first.ends_with("NO")) {
        return hw_fail(hw_errc::crc_mismatch,
                       where + ": CRC check failed (w1_slave says \"" +
                           std::string(first.substr(crc)) +
                           "\"): a noisy or too long bus, or a weak pull-up");
    }
    if (!first.ends_with("YES")) {
        return hw_fail(hw_errc::out_of_range, where +
                                                  ": w1_slave's first line ends neither in "
                                                  "YES nor NO: \"" +
                                                  std::string(first.substr(0, 60)) + "\"");
    }
    const auto t = second.find("t=");
    if (t == std::string_view::npos) {
        return hw_fail(hw_errc::out_of_range, where + ": w1_slave's second line has no \"t=\"");
    }
    const std::string_view number = trim_sysfs(second.substr(t + 2));
    long v = 0;
    auto [p, ec] = std::from_chars(number.data(), number.data() + number.size(), v);
    if (number.empty() || ec != std::errc{} || p != number.data() + number.size()) {
        return hw_fail(
            hw_errc::out_of_range,
            where + ": w1_slave's \"t=" + std::string(number.substr(0, 20)) + "\" is not a number");
    }
    return v;
}

util::result<double> w1_celsius(const w1_family& family, long millidegrees,
                                const std::string& where) {
    if (family.power_on_85 && millidegrees == power_on_millidegrees) {
        return hw_fail(hw_errc::out_of_range,
                       where +
                           ": 85.000 °C is the power-on value of the probe's scratchpad (no "
                           "conversion ran: check the probe's power, parasite-power wiring and "
                           "pull-up)");
    }
    const double c = static_cast<double>(millidegrees) / 1000.0;
    if (c < family.min || c > family.max) {
        return hw_fail(hw_errc::out_of_range, where + ": " + celsius_text(c) + " is outside the " +
                                                  family.model + "'s range " +
                                                  celsius_text(family.min) + ".." +
                                                  celsius_text(family.max));
    }
    return c;
}

w1_thermometer::w1_thermometer(std::filesystem::path root, w1_thermometer_config config)
    : dir_(under_root(root, w1_devices_dir) / config.rom),
      config_(std::move(config)),
      family_(w1_family_of(config_.rom)),
      type_(family_ ? lower(family_->model) : "w1") {}

util::result<void> w1_thermometer::open() {
    const std::string& rom = config_.rom;
    if (!is_w1_rom_id(rom)) {
        return hw_fail(hw_errc::not_found, "1-Wire \"" + rom +
                                               "\": not a ROM id (two hex digits of family, "
                                               "'-', twelve hex digits: 28-0316a2794aff)");
    }
    if (!family_) {
        char code[8];
        std::snprintf(code, sizeof code, "%02x", family_code(rom));
        return hw_fail(hw_errc::bad_chip_id,
                       "1-Wire " + rom + ": family " + code +
                           " is not a thermometer read here (28 DS18B20, 22 DS1822, 10 DS18S20, "
                           "3b MAX31850, 42 DS28EA00)");
    }
    std::error_code ec;
    if (!std::filesystem::is_directory(dir_, ec)) {
        return hw_fail(hw_errc::not_found,
                       "1-Wire " + rom + " (" + family_->model + "): no such probe in " +
                           dir_.parent_path().string() +
                           " (not connected, or the w1-gpio overlay is not loaded)");
    }
    if (config_.resolution == 0) return {};
    if (!family_->resolution_settable) {
        return hw_fail(hw_errc::not_supported, "1-Wire " + rom + ": the " + family_->model +
                                                   "'s resolution is fixed; remove \"resolution\"");
    }
    const auto file = dir_ / "resolution";
    if (!std::filesystem::exists(file, ec)) {
        return hw_fail(hw_errc::not_supported,
                       "1-Wire " + rom + ": " + file.string() +
                           " does not exist (setting the resolution needs Linux 5.10 or later)");
    }
    // Already there: nothing to write. The file is root's (0644) and read-only under the
    // service's sandbox, so a probe set once as root (or by a udev rule) opens as user piogate.
    const std::string bits = std::to_string(config_.resolution);
    if (auto now = read_sysfs_text(file); now && trim_sysfs(*now) == bits) return {};
    if (auto r = write_sysfs_text(file, bits + "\n"); !r) {
        return util::error{r.err().code, "1-Wire " + rom + ": setting the resolution to " + bits +
                                             " bits: " + r.err().message +
                                             " (the file is root's: set it once as root with "
                                             "'echo " +
                                             bits + " > " + file.string() +
                                             "', or remove \"resolution\")"};
    }
    return {};
}

util::result<reading> w1_thermometer::measure() {
    const std::string where = "1-Wire " + config_.rom;
    if (!family_) return hw_fail(hw_errc::bad_chip_id, where + ": unknown family");
    std::error_code ec;
    if (!std::filesystem::is_directory(dir_, ec)) {
        return hw_fail(hw_errc::not_found, where + ": the probe is gone from " +
                                               dir_.parent_path().string() + " (disconnected?)");
    }
    long millidegrees = 0;
    const auto temperature = dir_ / "temperature";
    if (std::filesystem::exists(temperature, ec)) {
        auto text = read_sysfs_text(temperature);
        if (!text) return util::error{text.err().code, where + ": " + text.err().message};
        if (trim_sysfs(*text).empty()) {
            // The driver writes nothing when the conversion or the CRC check failed.
            return hw_fail(hw_errc::io_error, where + ": " + temperature.string() +
                                                  " is empty (the driver's read failed)");
        }
        auto v = parse_sysfs_integer(*text, temperature);
        if (!v) return util::error{v.err().code, where + ": " + v.err().message};
        millidegrees = static_cast<long>(*v);
    } else {
        const auto slave = dir_ / "w1_slave";
        auto text = read_sysfs_text(slave);
        if (!text) return util::error{text.err().code, where + ": " + text.err().message};
        auto v = parse_w1_slave(*text, where);
        if (!v) return v.err();
        millidegrees = *v;
    }
    auto c = w1_celsius(*family_, millidegrees, where);
    if (!c) return c.err();
    return reading{{"temperature", *c, "°C"}};
}

std::vector<w1_device> list_w1_devices(const std::filesystem::path& root) {
    std::vector<w1_device> out;
    std::error_code ec;
    for (const auto& entry :
         std::filesystem::directory_iterator(under_root(root, w1_devices_dir), ec)) {
        const std::string name = entry.path().filename().string();
        if (!is_w1_rom_id(name)) continue;
        const w1_family* f = w1_family_of(name);
        out.push_back({name, family_code(name), f ? f->model : ""});
    }
    std::sort(out.begin(), out.end(),
              [](const w1_device& a, const w1_device& b) { return a.rom < b.rom; });
    return out;
}

}  // namespace piogate::hw
