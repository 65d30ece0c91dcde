// The SoC's own temperature from the kernel's thermal framework:
// /sys/class/thermal/thermal_zoneN/{type,temp} ("cpu-thermal" on a Raspberry Pi 4/5 with
// recent kernels, "cpu_thermal" on older ones; temp in m°C).
//
// `zone`: "thermal_zoneN", or a type ("cpu-thermal"; '-' and '_' compare equal), or empty for
// the SoC: the first zone whose type is cpu-thermal / soc-thermal / cpu_thermal ..., else
// thermal_zone0. measure(): "temperature" in °C; -273.15..200 °C, else out_of_range.
//
// Thread: open() and measure() block on sysfs: call them on a worker.
// Errors: results naming the zone and file.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <filesystem>
#include <string>

#include "hw/sensor.hpp"

namespace piogate::hw {

inline constexpr const char* thermal_class_dir = "/sys/class/thermal";

util::result<std::filesystem::path> find_thermal_zone(const std::filesystem::path& root,
                                                      const std::string& zone);

struct thermal_zone_config {
    std::string zone;  // "thermal_zone0", "cpu-thermal", or "" for the SoC
};

class thermal_zone final : public sensor {
public:
    thermal_zone(std::filesystem::path root, thermal_zone_config config);
    const std::string& type() const override { return type_; }  // "soc_temperature"
    util::result<void> open() override;
    util::result<reading> measure() override;

private:
    std::filesystem::path root_;
    thermal_zone_config config_;
    std::filesystem::path dir_;
    std::string type_ = "soc_temperature";
};

}  // namespace piogate::hw
