// The "sensors" section: one entry per sensor, with the keys common to all, the keys of its
// source ("bus" and "address" for I2C) and the keys of its kind, which the kind reads itself
// (config/sensor_kind.hpp; the kinds are in app/sensor_kinds/). Validated here (types, ranges,
// duplicate ids, two sensors at one bus address); app/sensor_factory.cpp turns an entry into
// a driver.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/filter_config.hpp"
#include "config/json_reader.hpp"
#include "config/sensor_kind.hpp"

namespace piogate::config {

struct sensor_config {
    std::string id;    // unique, [a-z0-9_-]+: the MQTT topic level
    std::string type;  // "bme280", "sht3x", ...: the kind's name
    const sensor_kind* kind = nullptr;  // from the installed table (never null once read)
    std::string bus;                    // I2C kinds: the bus number; "" for other sources
    std::uint8_t address = 0;
    std::chrono::milliseconds interval{10000};
    int qos = 1;          // of the reading messages
    bool retain = false;  // of the reading messages
    // Deadband: a reading is published only when some quantity moved by more than its
    // deadband since the last published reading (in the quantity's unit; absent = always).
    std::map<std::string, double> deadband;
    // With a deadband: publish at least this often anyway (0 = never forced).
    std::chrono::milliseconds heartbeat{0};
    // MQTT 5.0 only ("expiry_s"): the Message Expiry Interval of the readings, in seconds,
    // counted from when the broker receives one; absent = they do not expire.
    std::optional<std::uint32_t> expiry_s;
    kind_options options;  // the kind's own keys
    // "filters" and "precision" (config/filter_config.hpp): applied before the deadband.
    filter_config filters;
    std::string path;  // JSON path of the entry, for messages

    bool operator==(const sensor_config&) const = default;
};

// The quantities (reading members, with unit and resolution) this sensor reports.
std::vector<quantity_spec> sensor_quantities(const sensor_config& s);
// Only the names, for a kind by name ("" list for an unknown kind).
std::vector<std::string> sensor_quantities(const std::string& type, const kind_options& options);

// Reads "sensors" with the installed kinds (install_sensor_kinds()).
std::vector<sensor_config> read_sensor_configs(object_reader& r);

}  // namespace piogate::config
