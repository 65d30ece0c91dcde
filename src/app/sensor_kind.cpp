#include "app/sensor_kind.hpp"
// SPDX-License-Identifier: Apache-2.0
#include "app/board.hpp"
#include "hw/sim/sim_i2c_bus.hpp"

namespace piogate::app {

std::shared_ptr<hw::sim_i2c_device> sensor_kind::make_sim(const config::sim_device_config&) const {
    return nullptr;
}

sensor_driver i2c_sensor_kind::make(const config::sensor_config& c, board& b) const {
    auto bus = b.i2c(c.bus);
    auto driver = make_driver(*bus, c);
    return {std::move(driver), std::move(bus), "i2c-" + c.bus};
}

sensor_driver sysfs_sensor_kind::make(const config::sensor_config& c, board& b) const {
    return {make_driver(b.sysfs_root(), c), nullptr, worker_name()};
}

}  // namespace piogate::app
