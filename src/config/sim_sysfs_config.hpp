// The simulated board's "sysfs" section: the kernel devices its fake sysfs tree holds (see
// hw/sim/sim_sysfs.hpp, which the app builds from this), so the sysfs sensor kinds run on the
// simulated board.
//
//   "sysfs": {
//     "w1":      [{"rom": "28-0316a2794aff", "temperature": 21.5,
//                  "w1_slave_only": false, "fault": "none" | "power_on" | "crc"}],
//     "iio":     [{"name": "dht11@4", "channels": {"temp": 22, "humidityrelative": 45},
//                  "fail_one_in": 4}],
//     "hwmon":   [{"name": "rpi_volt", "channels": {"in0": 0.86}, "labels": {"in0": "core"}}],
//     "thermal": [{"type": "cpu-thermal", "temperature": 48}]
//   }
// Every value (in published units: °C, %RH, hPa, lx, V, A, W, RPM) is a number or a wave
// {"value": 48, "amplitude": 4, "period_s": 120}: value + amplitude * sin(2π t / period).
// iio channels: temp, humidityrelative, pressure, illuminance, voltageN; hwmon channels:
// tempN, inN, currN, powerN, fanN.
//
// Errors: config_error naming the JSON path (bad ROM id, a ROM id twice, unknown channel, ...).
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <map>
#include <string>
#include <vector>

#include "config/json_reader.hpp"

namespace piogate::config {

struct sim_wave_config {
    double value = 0;
    double amplitude = 0;
    double period_s = 600;

    bool operator==(const sim_wave_config&) const = default;
};

struct sim_w1_config {
    std::string rom;
    sim_wave_config temperature{21.5};
    bool w1_slave_only = false;
    std::string fault = "none";  // "none", "power_on", "crc"

    bool operator==(const sim_w1_config&) const = default;
};

struct sim_iio_config {
    std::string name;
    std::map<std::string, sim_wave_config> channels;
    int fail_one_in = 0;

    bool operator==(const sim_iio_config&) const = default;
};

struct sim_hwmon_config {
    std::string name;
    std::map<std::string, sim_wave_config> channels;
    std::map<std::string, std::string> labels;

    bool operator==(const sim_hwmon_config&) const = default;
};

struct sim_thermal_config {
    std::string type = "cpu-thermal";
    sim_wave_config temperature{48.0, 3.0, 120};

    bool operator==(const sim_thermal_config&) const = default;
};

struct sim_sysfs_section {
    std::vector<sim_w1_config> w1;
    std::vector<sim_iio_config> iio;
    std::vector<sim_hwmon_config> hwmon;
    std::vector<sim_thermal_config> thermal;

    bool empty() const { return w1.empty() && iio.empty() && hwmon.empty() && thermal.empty(); }
    bool operator==(const sim_sysfs_section&) const = default;
};

// Reads the "sysfs" object at `path`; throws config_error.
sim_sysfs_section read_sim_sysfs(const json& j, const std::string& path);

}  // namespace piogate::config
