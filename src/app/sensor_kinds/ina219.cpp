// TI INA219: bus voltage, current through the shunt, power. Keys: "shunt_ohms" (default 0.1),
// "max_current" (A, the largest expected; default 3.2). Resolution (datasheet): bus voltage
// 4 mV; current one LSB of the programmed calibration (about max_current / 32768); power
// 20 current LSBs.
#include <cmath>
// SPDX-License-Identifier: Apache-2.0
#include "app/sensor_kind.hpp"
#include "app/sensor_kinds/quantities.hpp"
#include "hw/sensors/ina219.hpp"
#include "hw/sim/sim_ina219.hpp"

namespace piogate::app::kinds {
namespace {

struct ina219_options {
    double shunt_ohms = 0.1;
    double max_current = 3.2;
    bool operator==(const ina219_options&) const = default;
};

class ina219_descriptor final : public i2c_sensor_kind {
public:
    const std::string& name() const override {
        static const std::string n = "ina219";
        return n;
    }
    std::uint8_t default_address() const override { return 0x40; }

    config::kind_options read_options(config::object_reader& r) const override {
        ina219_options o;
        o.shunt_ohms = r.get_number("shunt_ohms", 0.0001, 100, 0.1);
        o.max_current = r.get_number("max_current", 0.001, 400, 3.2);
        return config::kind_options::of(o);
    }

    std::vector<config::quantity_spec> quantities(
        const config::kind_options& options) const override {
        const auto& o = options.as<ina219_options>();
        // As the driver programs it (hw/sensors/ina219.cpp open()).
        auto calibration =
            hw::ina219_calibration(hw::ina219_min_current_lsb(o.max_current), o.shunt_ohms);
        if (calibration == 0) calibration = 0xFFFE;
        const double lsb = hw::ina219_effective_current_lsb(calibration, o.shunt_ohms);
        return {voltage("voltage", 0.004), current(lsb), power(20 * lsb)};
    }

    std::vector<std::string> sim_values() const override { return {"voltage", "current"}; }

    std::shared_ptr<hw::sim_i2c_device> make_sim(
        const config::sim_device_config& d) const override {
        auto dev = std::make_shared<hw::sim_ina219>();
        dev->set_bus(sim_value(d, "voltage", 5.0), sim_value(d, "current", 0.1));
        return dev;
    }

    std::vector<i2c_probe> probes() const override {
        std::vector<std::uint8_t> addresses;
        for (unsigned a = 0x40; a <= 0x4F; ++a) addresses.push_back(static_cast<std::uint8_t>(a));
        return {{"ina219", addresses, hw::ina219_probe}};
    }

protected:
    std::unique_ptr<hw::sensor> make_driver(hw::i2c_bus& bus,
                                            const config::sensor_config& c) const override {
        const auto& o = c.options.as<ina219_options>();
        hw::ina219_config k;
        k.address = c.address;
        k.shunt_ohms = o.shunt_ohms;
        k.max_current = o.max_current;
        return std::make_unique<hw::ina219>(bus, k);
    }
};

}  // namespace

const sensor_kind& ina219_kind() {
    static const ina219_descriptor kind;
    return kind;
}

}  // namespace piogate::app::kinds
