#include "hw/sim/sim_sysfs.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <numbers>
#include <stdexcept>

namespace piogate::hw {

namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

// read(2) at offset 0 of a process's own memory fails with EIO: the zero page is never mapped.
constexpr const char* eio_target = "/proc/self/mem";

std::string integer_text(double v) {
    return std::to_string(std::llround(v)) + "\n";
}

std::uint8_t dallas_crc8(const std::uint8_t* bytes, std::size_t n) {
    std::uint8_t crc = 0;
    for (std::size_t i = 0; i < n; ++i) {
        std::uint8_t b = bytes[i];
        for (int bit = 0; bit < 8; ++bit) {
            const bool mix = (crc ^ b) & 1;
            crc = static_cast<std::uint8_t>(crc >> 1);
            if (mix) crc ^= 0x8C;
            b = static_cast<std::uint8_t>(b >> 1);
        }
    }
    return crc;
}

std::string scratchpad_text(const std::uint8_t (&pad)[9]) {
    std::string out;
    char hex[4];
    for (auto b : pad) {
        std::snprintf(hex, sizeof hex, "%02x ", b);
        out += hex;
    }
    out.pop_back();
    return out;
}

std::uint64_t mix(std::uint64_t x) {
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

void make_dirs(const fs::path& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec)
        throw std::runtime_error("simulated sysfs: cannot create " + dir.string() + ": " +
                                 ec.message());
}

void make_eio(const fs::path& file) {
    const fs::path tmp = file.parent_path() / ("." + file.filename().string() + ".tmp");
    ::unlink(tmp.c_str());
    if (::symlink(eio_target, tmp.c_str()) != 0 || ::rename(tmp.c_str(), file.c_str()) != 0) {
        throw std::runtime_error("simulated sysfs: cannot make " + file.string() +
                                 " fail: " + std::strerror(errno));
    }
}

// The w1 probe's resolution file, 9..12 (12 when absent or garbled).
int resolution_bits(const fs::path& dir) {
    std::ifstream in(dir / "resolution");
    int bits = 12;
    if (!(in >> bits) || bits < 9 || bits > 12) bits = 12;
    return bits;
}

// 1/16 °C units, the low bits the resolution leaves undefined cleared (as the chip does).
std::int16_t ds18b20_raw(double celsius, int bits) {
    const long raw = std::lround(celsius * 16.0);
    const int drop = 12 - bits;
    return static_cast<std::int16_t>(raw & ~((1L << drop) - 1));
}

}  // namespace

double sim_wave::at(milliseconds t) const {
    if (amplitude == 0 || period.count() <= 0) return base;
    const double phase =
        static_cast<double>(t.count() % period.count()) / static_cast<double>(period.count());
    return base + amplitude * std::sin(2 * std::numbers::pi * phase);
}

std::string sim_w1_scratchpad(double celsius) {
    const auto raw = static_cast<std::uint16_t>(ds18b20_raw(celsius, 12));
    std::uint8_t pad[9] = {static_cast<std::uint8_t>(raw & 0xFF),
                           static_cast<std::uint8_t>(raw >> 8),
                           0x4b,
                           0x46,
                           0x7f,
                           0xff,
                           0x0c,
                           0x10,
                           0};
    pad[8] = dallas_crc8(pad, 8);
    return scratchpad_text(pad);
}

void sim_sysfs::write_atomic(const fs::path& file, const std::string& text) {
    const fs::path tmp = file.parent_path() / ("." + file.filename().string() + ".tmp");
    ::unlink(tmp.c_str());  // never write through a symlink left by make_eio
    {
        std::ofstream out(tmp, std::ios::trunc);
        out << text;
        if (!out) throw std::runtime_error("simulated sysfs: cannot write " + tmp.string());
    }
    if (::rename(tmp.c_str(), file.c_str()) != 0) {
        throw std::runtime_error("simulated sysfs: cannot rename to " + file.string() + ": " +
                                 std::strerror(errno));
    }
}

sim_sysfs::sim_sysfs(fs::path root, sim_sysfs_config config)
    : root_(std::move(root)), config_(std::move(config)) {
    const fs::path w1 = root_ / "sys/bus/w1/devices";
    make_dirs(w1 / "w1_bus_master1");
    for (const auto& probe : config_.w1) {
        make_dirs(w1 / probe.rom);
        if (!probe.w1_slave_only && !fs::exists(w1 / probe.rom / "resolution")) {
            write_atomic(w1 / probe.rom / "resolution", "12\n");
        }
    }
    make_dirs(root_ / "sys/bus/iio/devices");
    for (std::size_t i = 0; i < config_.iio.size(); ++i) {
        const fs::path dir = root_ / "sys/bus/iio/devices" / ("iio:device" + std::to_string(i));
        make_dirs(dir);
        write_atomic(dir / "name", config_.iio[i].name + "\n");
        bool voltage = false;
        for (const auto& [channel, wave] : config_.iio[i].channels) {
            voltage = voltage || channel.starts_with("voltage");
        }
        if (voltage) write_atomic(dir / "in_voltage_scale", "0.500000000\n");  // mV per step
    }
    make_dirs(root_ / "sys/class/hwmon");
    for (std::size_t i = 0; i < config_.hwmon.size(); ++i) {
        const fs::path dir = root_ / "sys/class/hwmon" / ("hwmon" + std::to_string(i));
        make_dirs(dir);
        write_atomic(dir / "name", config_.hwmon[i].name + "\n");
        for (const auto& [channel, label] : config_.hwmon[i].labels) {
            write_atomic(dir / (channel + "_label"), label + "\n");
        }
    }
    make_dirs(root_ / "sys/class/thermal");
    for (std::size_t i = 0; i < config_.thermal.size(); ++i) {
        const fs::path dir = root_ / "sys/class/thermal" / ("thermal_zone" + std::to_string(i));
        make_dirs(dir);
        write_atomic(dir / "type", config_.thermal[i].type + "\n");
    }
    update(milliseconds(0));
}

bool sim_sysfs::update(milliseconds t) {
    try {
        for (const auto& probe : config_.w1) write_w1(probe, t);
        for (std::size_t i = 0; i < config_.iio.size(); ++i) write_iio(i, t);
        for (std::size_t i = 0; i < config_.hwmon.size(); ++i) write_hwmon(i, t);
        for (std::size_t i = 0; i < config_.thermal.size(); ++i) write_thermal(i, t);
        return true;
    } catch (const std::exception&) {
        return false;
    }
}

bool sim_sysfs::failing(const sim_iio_device& device, milliseconds t) const {
    if (device.fail_one_in <= 0) return false;
    const auto slot = static_cast<std::uint64_t>(t.count() / 1000);
    return mix(slot) % static_cast<std::uint64_t>(device.fail_one_in) == 0;
}

void sim_sysfs::write_w1(const sim_w1_probe& probe, milliseconds t) {
    const fs::path dir = root_ / "sys/bus/w1/devices" / probe.rom;
    const int bits = probe.w1_slave_only ? 12 : resolution_bits(dir);
    std::int16_t raw = ds18b20_raw(probe.temperature.at(t), bits);
    if (probe.fault == sim_w1_probe::fault_t::power_on) raw = 0x0550;  // 85.000 °C
    const long millidegrees = static_cast<long>(raw) * 1000 / 16;
    if (!probe.w1_slave_only)
        write_atomic(dir / "temperature", std::to_string(millidegrees) + "\n");
    std::string pad = sim_w1_scratchpad(raw / 16.0);
    const std::string crc = pad.substr(pad.size() - 2);
    const bool crc_ok = probe.fault != sim_w1_probe::fault_t::crc;
    write_atomic(dir / "w1_slave", pad + " : crc=" + crc + (crc_ok ? " YES" : " NO") + "\n" + pad +
                                       " t=" + std::to_string(millidegrees) + "\n");
}

void sim_sysfs::write_iio(std::size_t index, milliseconds t) {
    const auto& device = config_.iio[index];
    const fs::path dir = root_ / "sys/bus/iio/devices" / ("iio:device" + std::to_string(index));
    const bool fail = failing(device, t);
    for (const auto& [channel, wave] : device.channels) {
        const double v = wave.at(t);
        if (channel.starts_with("voltage")) {
            write_atomic(dir / ("in_" + channel + "_raw"), integer_text(v * 1000.0 / 0.5));
            continue;
        }
        const fs::path file = dir / ("in_" + channel + "_input");
        if (fail) {
            make_eio(file);
        } else if (channel == "pressure") {
            char buf[32];
            std::snprintf(buf, sizeof buf, "%.5f\n", v / 10.0);  // kPa
            write_atomic(file, buf);
        } else if (channel == "illuminance") {
            write_atomic(file, integer_text(v));
        } else {
            write_atomic(file, integer_text(v * 1000.0));  // m°C, milli-%RH
        }
    }
}

void sim_sysfs::write_hwmon(std::size_t index, milliseconds t) {
    const auto& device = config_.hwmon[index];
    const fs::path dir = root_ / "sys/class/hwmon" / ("hwmon" + std::to_string(index));
    for (const auto& [channel, wave] : device.channels) {
        double factor = 1000.0;                          // temp m°C, in mV, curr mA
        if (channel.starts_with("power")) factor = 1e6;  // µW
        if (channel.starts_with("fan")) factor = 1.0;    // RPM
        write_atomic(dir / (channel + "_input"), integer_text(wave.at(t) * factor));
    }
}

void sim_sysfs::write_thermal(std::size_t index, milliseconds t) {
    const fs::path dir = root_ / "sys/class/thermal" / ("thermal_zone" + std::to_string(index));
    write_atomic(dir / "temp", integer_text(config_.thermal[index].temperature.at(t) * 1000.0));
}

}  // namespace piogate::hw
