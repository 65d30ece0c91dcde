#include "hw/sensor_catalog.hpp"

#include "hw/sensors/ads1115.hpp"
#include "hw/sensors/aht20.hpp"
#include "hw/sensors/bh1750.hpp"
#include "hw/sensors/bme280.hpp"
#include "hw/sensors/htu21d.hpp"
#include "hw/sensors/ina219.hpp"
#include "hw/sensors/lm75.hpp"
#include "hw/sensors/mcp9808.hpp"
#include "hw/sensors/sht3x.hpp"

namespace piogate::hw {

namespace {
std::vector<std::uint8_t> range(std::uint8_t first, std::uint8_t last) {
    std::vector<std::uint8_t> out;
    for (unsigned a = first; a <= last; ++a) out.push_back(static_cast<std::uint8_t>(a));
    return out;
}
}  // namespace

const std::vector<sensor_entry>& sensor_catalog() {
    static const std::vector<sensor_entry> catalog = {
        {"bme280/bmp280", {0x76, 0x77}, bme280_probe},
        {"sht3x", {0x44, 0x45}, sht3x_probe},
        {"aht20", {0x38}, aht20_probe},
        {"htu21d/si7021", {0x40}, htu21d_probe},
        {"bh1750", {0x23, 0x5C}, bh1750_probe},
        {"ads1115/ads1015", range(0x48, 0x4B), ads1115_probe},
        {"lm75", range(0x48, 0x4F), lm75_probe},
        {"tmp102", range(0x48, 0x4B), tmp102_probe},
        {"mcp9808", range(0x18, 0x1F), mcp9808_probe},
        {"ina219", range(0x40, 0x4F), ina219_probe},
    };
    return catalog;
}

}  // namespace piogate::hw
