// The "board" section: which hardware backend runs, and for the simulated board, what it has.
//
//   "board": {"kind": "linux"}                       real /dev/gpiochip* and /dev/i2c-*
//   "board": {"kind": "sim",                          the simulated board (demo, tests)
//             "gpio": [{"chip": "gpiochip0", "label": "pinctrl-bcm2835", "lines": 28}],
//             "i2c":  [{"bus": "1", "devices": [{"model": "bme280", "address": "0x76",
//                                                 "temperature": 21.5, "humidity": 40}]}],
//             "patterns": [{"line": "GPIO17", "toggle_every_ms": 10000}]}
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "config/json_reader.hpp"
#include "config/sim_sysfs_config.hpp"

namespace piogate::config {

struct sim_device_config {
    std::string model;  // "bme280", "sht31", ...
    std::uint8_t address = 0;
    std::map<std::string, double> values;  // physical start values: "temperature" -> 21.5
    std::string path;                      // JSON path, for messages

    bool operator==(const sim_device_config&) const = default;
};

struct sim_i2c_bus_config {
    std::string bus;  // the number, as in /dev/i2c-N
    std::vector<sim_device_config> devices;

    bool operator==(const sim_i2c_bus_config&) const = default;
};

struct sim_gpio_chip_config {
    std::string name = "gpiochip0";
    std::string label = "pinctrl-bcm2835";
    unsigned lines = 28;  // named GPIO0..GPIO<lines-1>

    bool operator==(const sim_gpio_chip_config&) const = default;
};

struct sim_pattern_config {
    std::string line;
    std::chrono::milliseconds toggle_every{10000};

    bool operator==(const sim_pattern_config&) const = default;
};

struct board_config {
    enum class kind_t { linux, sim } kind = kind_t::linux;
    std::vector<sim_gpio_chip_config> gpio;
    std::vector<sim_i2c_bus_config> i2c;
    std::vector<sim_pattern_config> patterns;
    sim_sysfs_section sysfs;  // the simulated sysfs tree (config/sim_sysfs_config.hpp)

    bool operator==(const board_config&) const = default;
};

// The simulated chip models (the installed sensor kinds that have one, by name) and the
// physical quantities each accepts as start values.
std::map<std::string, std::vector<std::string>> sim_models();

// Reads "board" from `r` (absent = linux); throws config_error with the JSON path.
board_config read_board_config(object_reader& r);

}  // namespace piogate::config
