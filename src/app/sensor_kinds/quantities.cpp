#include "app/sensor_kinds/quantities.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <map>
#include <set>

namespace piogate::app::kinds {
namespace {

config::quantity_spec fixed(std::string name, std::string unit, double resolution,
                            std::string device_class, std::string ha_unit = {}) {
    return {std::move(name), std::move(unit), resolution, std::move(device_class),
            std::move(ha_unit)};
}

}  // namespace

config::quantity_spec temperature(double r) {
    return fixed("temperature", "°C", r, "temperature");
}
config::quantity_spec humidity(double r) {
    return fixed("humidity", "%RH", r, "humidity", "%");
}
config::quantity_spec pressure(double r) {
    return fixed("pressure", "hPa", r, "pressure");
}
config::quantity_spec illuminance(double r) {
    return fixed("illuminance", "lx", r, "illuminance");
}
config::quantity_spec voltage(std::string name, double r) {
    return fixed(std::move(name), "V", r, "voltage");
}
config::quantity_spec current(double r) {
    return fixed("current", "A", r, "current");
}
config::quantity_spec power(double r) {
    return fixed("power", "W", r, "power");
}

config::quantity_spec custom_quantity(std::string name, std::string unit, double resolution) {
    // Home Assistant refuses a device class with a unit it does not know for it.
    static const std::map<std::string, std::set<std::string>> classes = {
        {"temperature", {"°C", "°F", "K"}},
        {"humidity", {"%"}},
        {"pressure", {"Pa", "hPa", "kPa", "bar", "cbar", "mbar", "mmHg", "inHg", "psi"}},
        {"illuminance", {"lx"}},
        {"voltage", {"V", "mV"}},
        {"current", {"A", "mA"}},
        {"power", {"W", "kW"}},
    };
    const std::string ha_unit = unit == "%RH" ? "%" : std::string();
    const std::string shown = ha_unit.empty() ? unit : ha_unit;
    const std::string base = name.substr(0, name.find_last_not_of("0123456789") + 1);
    auto it = classes.find(base);
    std::string device_class =
        it != classes.end() && it->second.count(shown) ? base : std::string();
    return fixed(std::move(name), std::move(unit), resolution, std::move(device_class), ha_unit);
}

double sim_value(const config::sim_device_config& d, const char* key, double fallback) {
    auto it = d.values.find(key);
    return it == d.values.end() ? fallback : it->second;
}

}  // namespace piogate::app::kinds
