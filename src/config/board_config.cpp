#include "config/board_config.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <set>

#include "config/sensor_kind.hpp"

namespace piogate::config {

std::map<std::string, std::vector<std::string>> sim_models() {
    std::map<std::string, std::vector<std::string>> models;
    for (const auto* k : installed_sensor_kinds()) {
        if (auto values = k->sim_values(); !values.empty()) models[k->name()] = std::move(values);
    }
    return models;
}

namespace {

sim_device_config read_device(const json& j, const std::string& path) {
    object_reader r(j, path);
    sim_device_config d;
    d.path = path;
    const auto models = sim_models();
    std::vector<std::string> names;
    for (const auto& [name, keys] : models) names.push_back(name);
    d.model = names[r.get_choice("model", names)];
    d.address = r.get_i2c_address("address");
    for (const auto& key : models.at(d.model)) {
        if (r.has(key)) d.values[key] = r.get_number(key, -1e6, 1e6);
    }
    r.finish();
    return d;
}

}  // namespace

board_config read_board_config(object_reader& parent) {
    board_config b;
    const json* j = parent.get_child("board");
    if (!j) return b;
    object_reader r(*j, child_path(parent.path(), "board"));
    b.kind = r.get_choice("kind", {"linux", "sim"}, 0) == 0 ? board_config::kind_t::linux
                                                             : board_config::kind_t::sim;
    const bool sim = b.kind == board_config::kind_t::sim;
    auto only_sim = [&](std::string_view key) {
        if (!sim && r.has(key)) r.fail(key, "only a simulated board (\"kind\": \"sim\") has this");
    };
    only_sim("gpio");
    only_sim("i2c");
    only_sim("patterns");
    only_sim("sysfs");
    r.for_each("gpio", [&](const json& e, const std::string& path) {
        object_reader c(e, path);
        sim_gpio_chip_config chip;
        chip.name = c.get_string("chip", chip.name);
        chip.label = c.get_string("label", chip.label);
        chip.lines = static_cast<unsigned>(c.get_int("lines", 1, 512, chip.lines));
        c.finish();
        b.gpio.push_back(chip);
    });
    std::set<std::string> buses;
    r.for_each("i2c", [&](const json& e, const std::string& path) {
        object_reader c(e, path);
        sim_i2c_bus_config bus;
        bus.bus = std::to_string(c.get_int("bus", 0, 255));
        if (!buses.insert(bus.bus).second) c.fail("bus", "bus " + bus.bus + " is listed twice");
        std::set<std::uint8_t> addresses;
        c.for_each("devices", [&](const json& d, const std::string& dpath) {
            bus.devices.push_back(read_device(d, dpath));
            if (!addresses.insert(bus.devices.back().address).second) {
                throw config_error(dpath + "/address", "two devices at the same address on bus " + bus.bus);
            }
        });
        c.finish();
        b.i2c.push_back(std::move(bus));
    });
    r.for_each("patterns", [&](const json& e, const std::string& path) {
        object_reader c(e, path);
        sim_pattern_config p;
        p.line = c.get_string("line");
        p.toggle_every = std::chrono::milliseconds(c.get_int("toggle_every_ms", 10, 86'400'000));
        c.finish();
        b.patterns.push_back(p);
    });
    if (const json* sysfs = r.get_child("sysfs")) {
        b.sysfs = read_sim_sysfs(*sysfs, child_path(r.path(), "sysfs"));
    }
    if (sim && b.gpio.empty()) b.gpio.push_back({});
    r.finish();
    return b;
}

}  // namespace piogate::config
