#include "app/sensor_factory.hpp"
// SPDX-License-Identifier: Apache-2.0
#include "app/sensor_kinds/registry.hpp"

namespace piogate::app {

sensor_driver make_sensor(board& b, const config::sensor_config& c) {
    return kind_of(c).make(c, b);
}

}  // namespace piogate::app
