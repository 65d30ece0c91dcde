// Opening /dev/i2c-N: resolving "1" / "i2c-1" / "/dev/i2c-1", and start-up errors that say what
// to do (the buses that do exist, the group that grants access).
// Thread: start-up, any thread. Errors: std::runtime_error with one clear line.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <string>

#include "hw/linux/i2c_dev_io.hpp"

namespace piogate::hw::i2c_dev {

struct opened_bus {
    unique_fd fd;
    std::string name;         // "i2c-1" (the file name), used in every error message
    std::string path;         // "/dev/i2c-1"
    int number = -1;          // 1, or -1 when the name has no number
    unsigned long funcs = 0;  // I2C_FUNCS
};

// `spec` is a bus number ("1"), a name ("i2c-1") or a path ("/dev/i2c-1").
opened_bus open_bus(const std::string& spec);

// "i2c-0 (SMBus stub driver), i2c-1 (bcm2835 (i2c@7e804000))", or "" when there are none.
std::string list_buses();

}  // namespace piogate::hw::i2c_dev
