// ASAIR AHT20: temperature and humidity.
// No keys of its own. Resolution (datasheet): temperature 0.01 °C, humidity 0.024 %RH.
#include "hw/sensors/aht20.hpp"
#include "app/sensor_kind.hpp"
#include "app/sensor_kinds/quantities.hpp"
#include "hw/sim/sim_aht20.hpp"
// SPDX-License-Identifier: Apache-2.0
namespace piogate::app::kinds {
namespace {

struct no_options {
    bool operator==(const no_options&) const = default;
};

class aht20_descriptor final : public i2c_sensor_kind {
public:
    const std::string& name() const override {
        static const std::string n = "aht20";
        return n;
    }
    std::uint8_t default_address() const override { return 0x38; }

    config::kind_options read_options(config::object_reader&) const override {
        return config::kind_options::of(no_options{});
    }

    std::vector<config::quantity_spec> quantities(const config::kind_options&) const override {
        return {temperature(0.01), humidity(0.024)};
    }

    std::vector<std::string> sim_values() const override { return {"temperature", "humidity"}; }

    std::shared_ptr<hw::sim_i2c_device> make_sim(
        const config::sim_device_config& d) const override {
        auto dev = std::make_shared<hw::sim_aht20>();
        dev->set_environment(sim_value(d, "temperature", 21.5), sim_value(d, "humidity", 45.0));
        return dev;
    }

    std::vector<i2c_probe> probes() const override { return {{"aht20", {0x38}, hw::aht20_probe}}; }

protected:
    std::unique_ptr<hw::sensor> make_driver(hw::i2c_bus& bus,
                                            const config::sensor_config& c) const override {
        return std::make_unique<hw::aht20>(bus, hw::aht20_config{c.address});
    }
};

}  // namespace

const sensor_kind& aht20_kind() {
    static const aht20_descriptor kind;
    return kind;
}

}  // namespace piogate::app::kinds
