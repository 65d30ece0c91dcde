// The "sensors" section: one entry per I2C sensor, with the keys common to all and the keys of
// its type. Validated here (types, ranges, duplicate ids, two sensors at one bus address);
// app/sensor_factory.cpp turns an entry into a driver.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/json_reader.hpp"

namespace piogate::config {

// Type-specific keys; each type reads only its own (others are unknown keys).
struct sensor_options {
    int oversampling = 1;  // bme280/bmp280: 1, 2, 4, 8, 16 (all channels)
    int filter = 0;        // bme280/bmp280: IIR filter 0 (off), 2, 4, 8, 16
    std::string mode = "high";  // bh1750: "high" (1 lx), "high2" (0.5 lx), "low" (4 lx)
    int mtreg = 69;             // bh1750: measurement time register 31..254
    std::vector<int> channels{0, 1, 2, 3};  // ads1115/ads1015: AIN0..AIN3 against GND
    double gain_volts = 4.096;  // ads1115/ads1015: full scale 6.144, 4.096, 2.048, 1.024, 0.512, 0.256
    int data_rate = 0;          // ads1115/ads1015: samples/s, 0 = the chip's default
    bool extended = false;      // tmp102: 13-bit extended mode
    double shunt_ohms = 0.1;    // ina219
    double max_current = 3.2;   // ina219: A
    int reg = 0;                // generic: register
    int length = 2;             // generic: bytes 1..4
    bool is_signed = false;     // generic
    bool little_endian = false; // generic: byte order
    double scale = 1.0;         // generic: value = raw * scale + offset
    double offset = 0.0;        // generic
    std::string quantity = "value";  // generic: the member name in the reading
    std::string unit;                // generic

    bool operator==(const sensor_options&) const = default;
};

struct sensor_config {
    std::string id;    // unique, [a-z0-9_-]+: the MQTT topic level
    std::string type;  // "bme280", "sht3x", ...
    std::string bus;   // the I2C bus number
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
    sensor_options options;
    std::string path;  // JSON path of the entry, for messages

    bool operator==(const sensor_config&) const = default;
};

// The sensor types and their default address (0 = the address is required).
const std::vector<std::pair<std::string, std::uint8_t>>& sensor_types();

// The quantities (reading member names) a sensor of this type and options reports.
std::vector<std::string> sensor_quantities(const std::string& type, const sensor_options& options);

std::vector<sensor_config> read_sensor_configs(object_reader& r);

}  // namespace piogate::config
