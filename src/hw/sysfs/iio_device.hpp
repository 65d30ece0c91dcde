// Industrial I/O devices (/sys/bus/iio/devices/iio:deviceN) as the kernel's drivers expose
// them: finding a device by its `name` or by path, and reading one channel in the IIO ABI's
// units (Documentation/ABI/testing/sysfs-bus-iio): in_<channel>_input (processed), or
// in_<channel>_raw with in_<channel>_scale / in_<channel>_offset, falling back to the shared
// in_<type>_scale / in_<type>_offset ("in_voltage_scale"): value = (raw + offset) * scale.
//
// Channels and what a reader publishes (IIO unit -> published unit):
//   temp[N]             milli °C -> "temperature" °C
//   humidityrelative[N] milli %RH -> "humidity" %RH
//   pressure[N]         kPa -> "pressure" hPa
//   illuminance[N]      lux -> "illuminance" lx
//   voltageN            mV -> "voltageN" V
//
// Thread: any; blocks on sysfs (a driver may talk to its chip during the read): use a worker.
// Errors: results naming the device and file.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hw/sensor.hpp"

namespace piogate::hw {

inline constexpr const char* iio_devices_dir = "/sys/bus/iio/devices";

// `device`: "iio:device0"; a path ("/sys/bus/iio/devices/iio:device0", placed under `root`);
// or a name matching the device's `name` file exactly or up to its '@' ("dht11" matches
// "dht11@4"). Not found lists the names present; a name two devices share is an error asking
// for the iio:deviceN form.
util::result<std::filesystem::path> find_iio_device(const std::filesystem::path& root,
                                                    const std::string& device);

// What a channel name means: its quantity, the factor from IIO units and the published unit.
struct iio_quantity {
    std::string name;  // "temperature", "voltage0"
    double factor;     // 0.001, 10, 1
    std::string unit;  // "°C"
};
// "temp" -> temperature; "voltage1" -> voltage1; nullopt for a channel type not read here.
std::optional<iio_quantity> iio_quantity_of(std::string_view channel);

// The channels of a device that a reader understands, from its in_*_input / in_*_raw files,
// sorted: {"humidityrelative", "temp"}.
std::vector<std::string> list_iio_channels(const std::filesystem::path& device_dir);

// One channel in IIO units: processed, or (raw + offset) * scale. not_found when the device
// has neither in_<channel>_input nor in_<channel>_raw.
util::result<double> read_iio_channel(const std::filesystem::path& device_dir,
                                      const std::string& channel);

// The same, as a published measurement (converted to the unit above).
util::result<measurement> read_iio_measurement(const std::filesystem::path& device_dir,
                                               const std::string& channel);

}  // namespace piogate::hw
