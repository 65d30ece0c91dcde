// One channel of a hwmon device by its name (/sys/class/hwmon/hwmonN/name): "hwmon". Keys:
// "name" (required: "rpi_volt", "ina3221", ..., or "hwmonN") and "channel" (required: tempN,
// inN, currN, powerN or fanN). Quantities: temperature °C, voltage V, current A, power W,
// fan RPM. Resolution: the hwmon ABI's units (0.001 °C, V, A; 1 µW; 1 RPM).
#include <cctype>
// SPDX-License-Identifier: Apache-2.0
#include "app/sensor_kind.hpp"
#include "app/sensor_kinds/quantities.hpp"
#include "hw/sysfs/hwmon_sensor.hpp"

namespace piogate::app::kinds {
namespace {

struct hwmon_options {
    std::string name;
    std::string channel;
    bool operator==(const hwmon_options&) const = default;
};

class hwmon_kind_t final : public sysfs_sensor_kind {
public:
    const std::string& name() const override { return name_; }

    config::kind_options read_options(config::object_reader& r) const override {
        hwmon_options o;
        o.name = r.get_string("name");
        if (o.name.empty()) r.fail("name", "must name the hwmon device");
        o.channel = r.get_string("channel");
        if (!hw::hwmon_quantity_of(o.channel)) {
            r.fail("channel", "\"" + o.channel + "\" is not tempN, inN, currN, powerN or fanN");
        }
        return config::kind_options::of(o);
    }

    std::vector<config::quantity_spec> quantities(
        const config::kind_options& options) const override {
        const auto q = hw::hwmon_quantity_of(options.as<hwmon_options>().channel);
        if (q->name == "temperature") return {temperature(0.001)};
        if (q->name == "voltage") return {voltage("voltage", 0.001)};
        if (q->name == "current") return {current(0.001)};
        if (q->name == "power") return {power(1e-6)};
        return {custom_quantity("fan", "RPM", 1)};
    }

protected:
    std::unique_ptr<hw::sensor> make_driver(const std::filesystem::path& root,
                                            const config::sensor_config& c) const override {
        const auto& o = c.options.as<hwmon_options>();
        return std::make_unique<hw::hwmon_sensor>(root, hw::hwmon_sensor_config{o.name, o.channel});
    }

private:
    std::string name_ = "hwmon";
};

}  // namespace

const sensor_kind& hwmon_kind() {
    static const hwmon_kind_t kind;
    return kind;
}

}  // namespace piogate::app::kinds
