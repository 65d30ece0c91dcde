// A sensor kind, whole: what the config layer sees (config/sensor_kind.hpp: name, source, own
// keys, quantities with unit, resolution and Home Assistant mapping) plus what only the app may
// know: the driver factory over the kind's source, the simulated chip, the --scan-i2c probe.
// One descriptor per kind, each in its own file in app/sensor_kinds/, listed once in
// app/sensor_kinds/registry.cpp.
//
// Thread: descriptors are immutable; make() and make_sim() run on the event-loop thread at
// start-up or reload and do no I/O beyond opening the source (the driver's open() and
// measure() run on the worker named in sensor_driver).
// Errors: make() throws std::runtime_error when the source cannot be had (a bus that cannot
// be opened, a bus the simulated board does not have).
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "config/board_config.hpp"
#include "config/sensor_config.hpp"
#include "config/sensor_kind.hpp"
#include "hw/i2c_bus.hpp"
#include "hw/sensor.hpp"

namespace piogate::hw {
class sim_i2c_device;
}

namespace piogate::app {

class board;

// A driver with what it refers to, and the worker its blocking work goes to.
struct sensor_driver {
    std::unique_ptr<hw::sensor> sensor;
    std::shared_ptr<void> source;  // what the driver refers to (its I2C bus): kept alive with it
    std::string worker;            // "i2c-1", "sysfs": sensors naming one worker share its thread
};

// What `piogate --scan-i2c` tries: at these addresses, a non-destructive probe that recognises
// the chip; `label` is printed when it does ("bme280/bmp280").
struct i2c_probe {
    std::string label;
    std::vector<std::uint8_t> addresses;
    bool (*probe)(hw::i2c_bus& bus, std::uint8_t address) = nullptr;
};

class sensor_kind : public config::sensor_kind {
public:
    // The driver for a validated entry of this kind, over its source on `b`.
    virtual sensor_driver make(const config::sensor_config& c, board& b) const = 0;
    // The simulated chip for a sim board's I2C device of this model (kinds whose sim_values()
    // is not empty), set to the entry's physical values.
    virtual std::shared_ptr<hw::sim_i2c_device> make_sim(const config::sim_device_config& d) const;
    // --scan-i2c: the probes of this kind (a family lists its probe once, on one kind).
    virtual std::vector<i2c_probe> probes() const { return {}; }
};

// A kind on an I2C bus: the config has "bus" and "address" (default_address()); the driver is
// built over the board's bus and runs on that bus's worker ("i2c-<bus>").
class i2c_sensor_kind : public sensor_kind {
public:
    config::sensor_source source() const final { return config::sensor_source::i2c; }
    sensor_driver make(const config::sensor_config& c, board& b) const final;

protected:
    virtual std::unique_ptr<hw::sensor> make_driver(hw::i2c_bus& bus,
                                                    const config::sensor_config& c) const = 0;
};

// A kind read from sysfs files under the board's sysfs root ("/" on a real board, a fake tree
// on the simulated one); runs on the worker worker_name() names ("sysfs" unless the kind's reads
// are slow enough to hold up the others).
class sysfs_sensor_kind : public sensor_kind {
public:
    config::sensor_source source() const final { return config::sensor_source::sysfs; }
    sensor_driver make(const config::sensor_config& c, board& b) const final;

protected:
    virtual std::string worker_name() const { return "sysfs"; }
    virtual std::unique_ptr<hw::sensor> make_driver(const std::filesystem::path& sysfs_root,
                                                    const config::sensor_config& c) const = 0;
};

}  // namespace piogate::app
