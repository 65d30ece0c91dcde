// What every sensor driver offers: open (chip-id check, calibration, configuration) and
// measure (the datasheet's measurement sequence, converted to physical units).
//
// Thread: both block on the bus (and sleep for conversion times): call them on the bus's I2C
// worker thread, never on the event loop.
// Errors: results. A value that cannot be valid (CRC mismatch, out of the chip's range, NaN,
// status says stale) is an error, never a reading.
#pragma once

#include <string>
#include <vector>

#include "hw/i2c_bus.hpp"
#include "util/result.hpp"

namespace piogate::hw {

// One quantity of a reading. Names and units are fixed per quantity:
// temperature °C, humidity %RH, pressure hPa, illuminance lx, voltage V, current A, power W;
// a generic register sensor uses the name and unit of its config.
struct measurement {
    std::string name;  // "temperature", "humidity", "pressure", "illuminance", "voltage", ...
    double value = 0;
    std::string unit;  // "°C", "%RH", "hPa", "lx", "V", "A", "W"
};

using reading = std::vector<measurement>;

class sensor {
public:
    virtual ~sensor() = default;
    virtual const std::string& type() const = 0;  // "bme280"
    virtual util::result<void> open() = 0;
    virtual util::result<reading> measure() = 0;
};

}  // namespace piogate::hw
