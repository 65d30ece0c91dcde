#include "hw/sysfs/iio_sensor.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <algorithm>

#include "hw/sysfs/iio_device.hpp"

namespace piogate::hw {

iio_sensor::iio_sensor(std::filesystem::path root, iio_sensor_config config)
    : root_(std::move(root)), config_(std::move(config)) {}

util::result<void> iio_sensor::open() {
    auto dir = find_iio_device(root_, config_.device);
    if (!dir) return dir.err();
    dir_ = *dir;
    const auto present = list_iio_channels(dir_);
    if (config_.channels.empty()) {
        if (present.empty()) {
            return hw_fail(hw_errc::not_found,
                           "IIO device " + config_.device + " (" + dir_.string() +
                               "): no temperature, humidity, pressure, illuminance or voltage "
                               "channel");
        }
        channels_ = present;
        return {};
    }
    for (const auto& channel : config_.channels) {
        if (!iio_quantity_of(channel)) {
            return hw_fail(hw_errc::not_supported,
                           "IIO device " + config_.device + ": channel \"" + channel +
                               "\" is not one of temp, humidityrelative, pressure, illuminance, "
                               "voltageN");
        }
        if (std::find(present.begin(), present.end(), channel) == present.end()) {
            std::string have;
            for (const auto& p : present) have += (have.empty() ? "" : ", ") + p;
            return hw_fail(hw_errc::not_found, "IIO device " + config_.device + " (" +
                                                   dir_.string() + "): no channel \"" + channel +
                                                   "\" (it has: " + (have.empty() ? "none" : have) +
                                                   ")");
        }
    }
    channels_ = config_.channels;
    return {};
}

util::result<reading> iio_sensor::measure() {
    if (dir_.empty()) {
        return hw_fail(hw_errc::not_found, "IIO device " + config_.device + ": not opened");
    }
    reading out;
    for (const auto& channel : channels_) {
        auto m = read_iio_measurement(dir_, channel);
        if (!m) {
            return util::error{m.err().code,
                               "IIO device " + config_.device + ": " + m.err().message};
        }
        out.push_back(std::move(*m));
    }
    return out;
}

}  // namespace piogate::hw
