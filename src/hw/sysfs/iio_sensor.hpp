// Any IIO device the kernel drives (an ADC, a light or pressure sensor, iio_dummy), read as a
// piogate sensor: the channels of iio_device.hpp, converted to the published units.
//
// open(): finds the device (by name or path, see find_iio_device) and its channels: the
//   configured ones must exist (not_found names the missing one); none configured = every
//   channel the device has that is read here (none at all is not_found).
// measure(): reads every channel in order; the first failure fails the reading (an error on
//   the error topic, never a partial or zero value).
//
// Thread: open() and measure() block on sysfs: call them on a worker.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <filesystem>
#include <string>
#include <vector>

#include "hw/sensor.hpp"

namespace piogate::hw {

struct iio_sensor_config {
    std::string device;                 // "ads1015", "iio:device0", "/sys/bus/iio/devices/..."
    std::vector<std::string> channels;  // "temp", "voltage0", ...; empty = all
};

class iio_sensor final : public sensor {
public:
    iio_sensor(std::filesystem::path root, iio_sensor_config config);
    const std::string& type() const override { return type_; }  // "iio"
    util::result<void> open() override;
    util::result<reading> measure() override;

    const std::filesystem::path& device_dir() const { return dir_; }  // after open()
    const std::vector<std::string>& channels() const { return channels_; }

private:
    std::filesystem::path root_;
    iio_sensor_config config_;
    std::filesystem::path dir_;
    std::vector<std::string> channels_;
    std::string type_ = "iio";
};

}  // namespace piogate::hw
