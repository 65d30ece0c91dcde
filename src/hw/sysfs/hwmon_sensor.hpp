// hwmon devices by name (/sys/class/hwmon/hwmonN/name: "rpi_volt", "ina3221", "pwmfan", ...)
// and one or all of their channels, in the hwmon ABI's units (Documentation/hwmon/sysfs-
// interface.rst):
//   tempN_input  m°C -> "temperature" °C      inN_input    mV -> "voltage" V
//   currN_input  mA  -> "current" A           powerN_input µW -> "power" W
//   fanN_input   RPM -> "fan" RPM
// One channel ("temp1") publishes the plain quantity name; all channels (no "channel") name
// each "<quantity><N>" ("temperature1", "voltage0"). tempN_label and friends, where the
// driver has them, name the channel in messages ("temp1 (Tctl)").
// The attribute files live in hwmonN/ or, with older drivers, hwmonN/device/.
//
// Thread: open() and measure() block on sysfs: call them on a worker.
// Errors: results naming the hwmon device and file; a name two devices share is an error
// asking for "hwmonN".
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hw/sensor.hpp"

namespace piogate::hw {

inline constexpr const char* hwmon_class_dir = "/sys/class/hwmon";

// By the `name` file, or "hwmonN" directly. Returns the directory holding the attribute files.
util::result<std::filesystem::path> find_hwmon_device(const std::filesystem::path& root,
                                                      const std::string& name);

struct hwmon_quantity {
    std::string name;  // "temperature"
    double factor;     // from the hwmon unit to the published one
    std::string unit;  // "°C"
};
// "temp1" -> temperature; nullopt for a channel type not read here or a malformed name.
std::optional<hwmon_quantity> hwmon_quantity_of(std::string_view channel);

// The channels with an _input file, sorted: {"in0", "temp1"}.
std::vector<std::string> list_hwmon_channels(const std::filesystem::path& dir);

struct hwmon_sensor_config {
    std::string name;     // the hwmon name, or "hwmonN"
    std::string channel;  // "temp1"; empty = every channel
};

class hwmon_sensor final : public sensor {
public:
    hwmon_sensor(std::filesystem::path root, hwmon_sensor_config config);
    const std::string& type() const override { return type_; }  // "hwmon"
    util::result<void> open() override;
    util::result<reading> measure() override;

private:
    std::filesystem::path root_;
    hwmon_sensor_config config_;
    std::filesystem::path dir_;
    std::vector<std::string> channels_;
    std::string type_ = "hwmon";
};

}  // namespace piogate::hw
