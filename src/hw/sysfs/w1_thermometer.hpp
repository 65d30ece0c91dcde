// 1-Wire thermometers through the kernel's w1-gpio + w1_therm drivers (dtoverlay=w1-gpio):
// DS18B20 (family 28), DS1822 (22), DS18S20 (10), MAX31850 (3b), DS28EA00 (42), each addressed
// by its ROM id ("28-0316a2794aff") under <root>/sys/bus/w1/devices/.
//
// measure(): reads `temperature` (millidegrees, kernels >= 5.9) or, where the driver lacks it,
//   `w1_slave` ("72 01 4b 46 7f ff 0e 10 57 : crc=57 YES" then "... t=23125"): "temperature"
//   in °C. Errors, never readings: a CRC "NO" (crc_mismatch), 85.000 °C on a DS18x20 / DS28EA00
//   (the scratchpad's power-on value: the conversion did not run, usually power or wiring;
//   out_of_range), a value outside the family's range (out_of_range), a missing probe
//   (not_found naming the ROM id), empty or garbled text (out_of_range), a read error (io_error
//   / timeout). The MAX31850 is a thermocouple converter: 85 °C is a real temperature there.
// open(): checks the probe is present and its family known; with `resolution` (9..12 bits)
//   writes it to the driver's `resolution` file (kernels >= 5.10; not_supported where the
//   driver has no such file, or for the DS18S20 / MAX31850 whose resolution is fixed).
//
// Thread: open() and measure() block (a conversion takes up to 750 ms): call them on a worker.
// Errors: results; every message starts with the ROM id.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "hw/sensor.hpp"

namespace piogate::hw {

inline constexpr const char* w1_devices_dir = "/sys/bus/w1/devices";

struct w1_family {
    unsigned code;      // 0x28
    const char* model;  // "DS18B20"
    double min, max;    // the datasheet's measuring range, °C
    bool power_on_85;   // 85.000 °C is the power-on scratchpad value
    bool resolution_settable;
};

// The family of a ROM id ("28-..." -> DS18B20), or nullptr for a family no driver here reads.
const w1_family* w1_family_of(std::string_view rom);
// "28-0316a2794aff": two hex digits, '-', twelve hex digits.
bool is_w1_rom_id(std::string_view text);

// Parses w1_slave's two lines; `where` starts every message. Returns millidegrees.
util::result<long> parse_w1_slave(std::string_view text, const std::string& where);
// Checks millidegrees read from a probe of `family` and converts to °C.
util::result<double> w1_celsius(const w1_family& family, long millidegrees,
                                const std::string& where);

struct w1_thermometer_config {
    std::string rom;     // "28-0316a2794aff"
    int resolution = 0;  // 9..12 bits, 0 = leave the probe's setting
};

class w1_thermometer final : public sensor {
public:
    w1_thermometer(std::filesystem::path root, w1_thermometer_config config);
    const std::string& type() const override { return type_; }  // "ds18b20", "ds1822", ...
    util::result<void> open() override;
    util::result<reading> measure() override;

private:
    std::filesystem::path dir_;
    w1_thermometer_config config_;
    const w1_family* family_;
    std::string type_;
};

// A probe found on the bus, for `piogate --scan-w1`.
struct w1_device {
    std::string rom;    // "28-0316a2794aff"
    unsigned family;    // 0x28
    std::string model;  // "DS18B20", or "" for a family no reader here knows
};

// Every ROM id under <root>/sys/bus/w1/devices (bus masters and other entries skipped), sorted.
// Throws nothing; a missing directory (no w1 master loaded) is an empty list.
std::vector<w1_device> list_w1_devices(const std::filesystem::path& root);

}  // namespace piogate::hw
