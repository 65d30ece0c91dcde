// Every sensor driver, with its default addresses and a non-destructive probe that recognises
// its chip (chip id where it has one). Used by `piogate --scan-i2c` and the config checks.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hw/i2c_bus.hpp"

namespace piogate::hw {

struct sensor_entry {
    std::string type;
    std::vector<std::uint8_t> addresses;
    bool (*probe)(i2c_bus& bus, std::uint8_t address);
};

const std::vector<sensor_entry>& sensor_catalog();

}  // namespace piogate::hw
