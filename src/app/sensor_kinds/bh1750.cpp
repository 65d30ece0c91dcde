// ROHM BH1750FVI: illuminance. Keys: "mode" "high" (1 lx), "high2" (0.5 lx), "low" (4 lx);
// "mtreg" 31..254 (measurement time register, default 69: larger is more sensitive, slower).
// Resolution: one count, 1/1.2 lx × 69/mtreg (halved in high2, × 4 in low): the datasheet's
// 0.11 lx at high2 and mtreg 254.
#include "hw/sensors/bh1750.hpp"
#include "app/sensor_kind.hpp"
#include "app/sensor_kinds/quantities.hpp"
#include "hw/sim/sim_bh1750.hpp"
// SPDX-License-Identifier: Apache-2.0
namespace piogate::app::kinds {
namespace {

struct bh1750_options {
    std::string mode = "high";
    int mtreg = 69;
    bool operator==(const bh1750_options&) const = default;
};

class bh1750_descriptor final : public i2c_sensor_kind {
public:
    const std::string& name() const override {
        static const std::string n = "bh1750";
        return n;
    }
    std::uint8_t default_address() const override { return 0x23; }

    config::kind_options read_options(config::object_reader& r) const override {
        bh1750_options o;
        const std::vector<std::string> modes = {"high", "high2", "low"};
        o.mode = modes[r.get_choice("mode", modes, 0)];
        o.mtreg = static_cast<int>(r.get_int("mtreg", 31, 254, 69));
        return config::kind_options::of(o);
    }

    std::vector<config::quantity_spec> quantities(
        const config::kind_options& options) const override {
        const auto& o = options.as<bh1750_options>();
        const double factor = o.mode == "high2" ? 0.5 : o.mode == "low" ? 4.0 : 1.0;
        return {illuminance(factor / 1.2 * 69.0 / o.mtreg)};
    }

    std::vector<std::string> sim_values() const override { return {"illuminance"}; }

    std::shared_ptr<hw::sim_i2c_device> make_sim(
        const config::sim_device_config& d) const override {
        auto dev = std::make_shared<hw::sim_bh1750>();
        dev->set_lux(sim_value(d, "illuminance", 250.0));
        return dev;
    }

    std::vector<i2c_probe> probes() const override {
        return {{"bh1750", {0x23, 0x5C}, hw::bh1750_probe}};
    }

protected:
    std::unique_ptr<hw::sensor> make_driver(hw::i2c_bus& bus,
                                            const config::sensor_config& c) const override {
        const auto& o = c.options.as<bh1750_options>();
        hw::bh1750_config k;
        k.address = c.address;
        k.mode = o.mode == "high2" ? hw::bh1750_mode::high2
                 : o.mode == "low" ? hw::bh1750_mode::low
                                   : hw::bh1750_mode::high;
        k.mtreg = static_cast<std::uint8_t>(o.mtreg);
        return std::make_unique<hw::bh1750>(bus, k);
    }
};

}  // namespace

const sensor_kind& bh1750_kind() {
    static const bh1750_descriptor kind;
    return kind;
}

}  // namespace piogate::app::kinds
