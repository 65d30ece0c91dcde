// LM75 (9 bit) and TI TMP102 (12 bit; 13 bit in extended mode): temperature, one driver.
// Keys: tmp102 "extended" (13-bit mode, up to 150 °C); the LM75 has none.
// Resolution (datasheet): LM75 0.5 °C, TMP102 0.0625 °C.
#include "hw/sensors/lm75.hpp"
#include "app/sensor_kind.hpp"
#include "app/sensor_kinds/quantities.hpp"
#include "hw/sim/sim_lm75.hpp"
// SPDX-License-Identifier: Apache-2.0
namespace piogate::app::kinds {
namespace {

struct lm75_options {
    bool extended = false;  // tmp102 only
    bool operator==(const lm75_options&) const = default;
};

class lm75_family_kind final : public i2c_sensor_kind {
public:
    explicit lm75_family_kind(hw::lm75_variant variant)
        : variant_(variant), name_(variant == hw::lm75_variant::lm75 ? "lm75" : "tmp102") {}

    const std::string& name() const override { return name_; }
    std::uint8_t default_address() const override { return 0x48; }

    config::kind_options read_options(config::object_reader& r) const override {
        lm75_options o;
        if (variant_ == hw::lm75_variant::tmp102) o.extended = r.get_bool("extended", false);
        return config::kind_options::of(o);
    }

    std::vector<config::quantity_spec> quantities(const config::kind_options&) const override {
        return {temperature(variant_ == hw::lm75_variant::lm75 ? 0.5 : 0.0625)};
    }

    std::vector<std::string> sim_values() const override { return {"temperature"}; }

    std::shared_ptr<hw::sim_i2c_device> make_sim(
        const config::sim_device_config& d) const override {
        auto dev = std::make_shared<hw::sim_lm75>(variant_);
        dev->set_temperature(sim_value(d, "temperature", 21.5));
        return dev;
    }

    std::vector<i2c_probe> probes() const override {
        if (variant_ == hw::lm75_variant::lm75) {
            return {{"lm75", {0x48, 0x49, 0x4A, 0x4B, 0x4C, 0x4D, 0x4E, 0x4F}, hw::lm75_probe}};
        }
        return {{"tmp102", {0x48, 0x49, 0x4A, 0x4B}, hw::tmp102_probe}};
    }

protected:
    std::unique_ptr<hw::sensor> make_driver(hw::i2c_bus& bus,
                                            const config::sensor_config& c) const override {
        hw::lm75_config k;
        k.address = c.address;
        k.variant = variant_;
        k.extended = c.options.as<lm75_options>().extended;
        return std::make_unique<hw::lm75>(bus, k);
    }

private:
    hw::lm75_variant variant_;
    std::string name_;
};

}  // namespace

const sensor_kind& lm75_kind() {
    static const lm75_family_kind kind(hw::lm75_variant::lm75);
    return kind;
}

const sensor_kind& tmp102_kind() {
    static const lm75_family_kind kind(hw::lm75_variant::tmp102);
    return kind;
}

}  // namespace piogate::app::kinds
