// Any I2C register as one quantity: value = raw × scale + offset. Keys: "register" (required),
// "length" 1..4 bytes (default 2), "signed", "byte_order" "big" / "little", "scale",
// "offset", "quantity" (the reading's member name, default "value"), "unit".
// Resolution: one raw step, |scale|. No simulated chip of its own (it reads whatever chip
// the simulated bus has at its address) and no --scan-i2c probe (it recognises nothing).
#include <cmath>
// SPDX-License-Identifier: Apache-2.0
#include "app/sensor_kind.hpp"
#include "app/sensor_kinds/quantities.hpp"
#include "hw/sensors/generic_register.hpp"

namespace piogate::app::kinds {
namespace {

struct generic_options {
    int reg = 0;
    int length = 2;
    bool is_signed = false;
    bool little_endian = false;
    double scale = 1.0;
    double offset = 0.0;
    std::string quantity = "value";
    std::string unit;
    bool operator==(const generic_options&) const = default;
};

class generic_descriptor final : public i2c_sensor_kind {
public:
    const std::string& name() const override {
        static const std::string n = "generic";
        return n;
    }
    std::uint8_t default_address() const override { return 0; }  // no default: required

    config::kind_options read_options(config::object_reader& r) const override {
        generic_options o;
        o.reg = static_cast<int>(r.get_int("register", 0, 255));
        o.length = static_cast<int>(r.get_int("length", 1, 4, 2));
        o.is_signed = r.get_bool("signed", false);
        o.little_endian = r.get_choice("byte_order", {"big", "little"}, 0) == 1;
        o.scale = r.get_number("scale", -1e9, 1e9, 1.0);
        o.offset = r.get_number("offset", -1e9, 1e9, 0.0);
        o.quantity = r.get_string("quantity", std::string("value"));
        if (o.quantity.empty() || o.quantity == "ts" ||
            o.quantity.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") !=
                std::string::npos) {
            r.fail("quantity",
                   "must be a name of a-z, 0-9 and '_', other than \"ts\" (the timestamp)");
        }
        o.unit = r.get_string("unit", std::string());
        return config::kind_options::of(o);
    }

    std::vector<config::quantity_spec> quantities(
        const config::kind_options& options) const override {
        const auto& o = options.as<generic_options>();
        return {custom_quantity(o.quantity, o.unit, std::fabs(o.scale))};
    }

protected:
    std::unique_ptr<hw::sensor> make_driver(hw::i2c_bus& bus,
                                            const config::sensor_config& c) const override {
        const auto& o = c.options.as<generic_options>();
        hw::generic_register_config k;
        k.address = c.address;
        k.reg = static_cast<std::uint8_t>(o.reg);
        k.length = static_cast<unsigned>(o.length);
        k.is_signed = o.is_signed;
        k.order = o.little_endian ? hw::register_byte_order::little : hw::register_byte_order::big;
        k.scale = o.scale;
        k.offset = o.offset;
        k.name = o.quantity;
        k.unit = o.unit;
        return std::make_unique<hw::generic_register>(bus, k);
    }
};

}  // namespace

const sensor_kind& generic_kind() {
    static const generic_descriptor kind;
    return kind;
}

}  // namespace piogate::app::kinds
