// The SoC's temperature and other thermal zones (/sys/class/thermal/thermal_zoneN):
// "soc_temperature" (key "zone" optional: default the zone of type cpu-thermal / cpu_thermal /
// soc-thermal, else thermal_zone0) and "thermal" ("zone" required: "thermal_zoneN" or a type).
// Quantity: temperature °C; resolution 0.1 °C (the Pi's sensor steps are coarser than the
// m°C it reports).
#include "app/sensor_kind.hpp"
#include "app/sensor_kinds/quantities.hpp"
#include "hw/sysfs/thermal_zone.hpp"
// SPDX-License-Identifier: Apache-2.0
namespace piogate::app::kinds {
namespace {

struct thermal_options {
    std::string zone;
    bool operator==(const thermal_options&) const = default;
};

class thermal_kind_t final : public sysfs_sensor_kind {
public:
    thermal_kind_t(std::string name, bool zone_required)
        : name_(std::move(name)), zone_required_(zone_required) {}

    const std::string& name() const override { return name_; }

    config::kind_options read_options(config::object_reader& r) const override {
        thermal_options o;
        o.zone = zone_required_ ? r.get_string("zone") : r.get_string("zone", "");
        if (zone_required_ && o.zone.empty()) r.fail("zone", "must name the thermal zone");
        return config::kind_options::of(o);
    }

    std::vector<config::quantity_spec> quantities(const config::kind_options&) const override {
        return {temperature(0.1)};
    }

protected:
    std::unique_ptr<hw::sensor> make_driver(const std::filesystem::path& root,
                                            const config::sensor_config& c) const override {
        return std::make_unique<hw::thermal_zone>(
            root, hw::thermal_zone_config{c.options.as<thermal_options>().zone});
    }

private:
    std::string name_;
    bool zone_required_;
};

}  // namespace

const sensor_kind& soc_temperature_kind() {
    static const thermal_kind_t kind("soc_temperature", false);
    return kind;
}

const sensor_kind& thermal_kind() {
    static const thermal_kind_t kind("thermal", true);
    return kind;
}

}  // namespace piogate::app::kinds
