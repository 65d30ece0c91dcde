// Microchip MCP9808: temperature.
// No keys of its own. Resolution (datasheet): 0.0625 °C (the power-on resolution).
#include "hw/sensors/mcp9808.hpp"
#include "app/sensor_kind.hpp"
#include "app/sensor_kinds/quantities.hpp"
#include "hw/sim/sim_mcp9808.hpp"
// SPDX-License-Identifier: Apache-2.0
namespace piogate::app::kinds {
namespace {

struct no_options {
    bool operator==(const no_options&) const = default;
};

class mcp9808_descriptor final : public i2c_sensor_kind {
public:
    const std::string& name() const override {
        static const std::string n = "mcp9808";
        return n;
    }
    std::uint8_t default_address() const override { return 0x18; }

    config::kind_options read_options(config::object_reader&) const override {
        return config::kind_options::of(no_options{});
    }

    std::vector<config::quantity_spec> quantities(const config::kind_options&) const override {
        return {temperature(0.0625)};
    }

    std::vector<std::string> sim_values() const override { return {"temperature"}; }

    std::shared_ptr<hw::sim_i2c_device> make_sim(
        const config::sim_device_config& d) const override {
        auto dev = std::make_shared<hw::sim_mcp9808>();
        dev->set_temperature(sim_value(d, "temperature", 21.5));
        return dev;
    }

    std::vector<i2c_probe> probes() const override {
        return {{"mcp9808", {0x18, 0x19, 0x1A, 0x1B, 0x1C, 0x1D, 0x1E, 0x1F}, hw::mcp9808_probe}};
    }

protected:
    std::unique_ptr<hw::sensor> make_driver(hw::i2c_bus& bus,
                                            const config::sensor_config& c) const override {
        return std::make_unique<hw::mcp9808>(bus, hw::mcp9808_config{c.address});
    }
};

}  // namespace

const sensor_kind& mcp9808_kind() {
    static const mcp9808_descriptor kind;
    return kind;
}

}  // namespace piogate::app::kinds
