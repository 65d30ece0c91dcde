// TE HTU21D and Silicon Labs Si7021: temperature and humidity.
// No keys of its own. Resolution (datasheet): temperature 0.01 °C (14 bit),
// humidity 0.04 %RH (12 bit).
#include "hw/sensors/htu21d.hpp"
#include "app/sensor_kind.hpp"
#include "app/sensor_kinds/quantities.hpp"
#include "hw/sim/sim_htu21d.hpp"
// SPDX-License-Identifier: Apache-2.0
namespace piogate::app::kinds {
namespace {

struct no_options {
    bool operator==(const no_options&) const = default;
};

class htu21d_descriptor final : public i2c_sensor_kind {
public:
    const std::string& name() const override {
        static const std::string n = "htu21d";
        return n;
    }
    std::uint8_t default_address() const override { return 0x40; }

    config::kind_options read_options(config::object_reader&) const override {
        return config::kind_options::of(no_options{});
    }

    std::vector<config::quantity_spec> quantities(const config::kind_options&) const override {
        return {temperature(0.01), humidity(0.04)};
    }

    std::vector<std::string> sim_values() const override { return {"temperature", "humidity"}; }

    std::shared_ptr<hw::sim_i2c_device> make_sim(
        const config::sim_device_config& d) const override {
        auto dev = std::make_shared<hw::sim_htu21d>();
        dev->set_environment(sim_value(d, "temperature", 21.5), sim_value(d, "humidity", 45.0));
        return dev;
    }

    std::vector<i2c_probe> probes() const override {
        return {{"htu21d/si7021", {0x40}, hw::htu21d_probe}};
    }

protected:
    std::unique_ptr<hw::sensor> make_driver(hw::i2c_bus& bus,
                                            const config::sensor_config& c) const override {
        return std::make_unique<hw::htu21d>(bus, hw::htu21d_config{c.address});
    }
};

}  // namespace

const sensor_kind& htu21d_kind() {
    static const htu21d_descriptor kind;
    return kind;
}

}  // namespace piogate::app::kinds
