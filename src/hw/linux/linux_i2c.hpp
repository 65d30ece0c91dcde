// The /dev/i2c-N backend of i2c_bus.
// Thread: blocking; use from the bus's i2c_worker thread. Errors at open time throw
// std::runtime_error (bus missing, permission); transactions return results.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <memory>
#include <string>

#include "hw/i2c_bus.hpp"

namespace piogate::hw {

struct linux_i2c_config {
    std::string bus;   // "1", "i2c-1" or "/dev/i2c-1"
    int retries = 2;   // extra attempts per transaction after bus errors / NACK
};

std::unique_ptr<i2c_bus> open_linux_i2c(const linux_i2c_config& config);

}  // namespace piogate::hw
