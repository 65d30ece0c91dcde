#include "config/sensor_config.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <cstdio>
#include <set>

namespace piogate::config {

std::vector<quantity_spec> sensor_quantities(const sensor_config& s) {
    return s.kind ? s.kind->quantities(s.options) : std::vector<quantity_spec>{};
}

std::vector<std::string> sensor_quantities(const std::string& type, const kind_options& options) {
    std::vector<std::string> out;
    if (const sensor_kind* k = find_sensor_kind(type)) {
        for (const auto& q : k->quantities(options)) out.push_back(q.name);
    }
    return out;
}

namespace {

// "deadband": a number for every quantity, or an object quantity -> number.
std::map<std::string, double> read_deadband(object_reader& r, const sensor_config& s) {
    std::map<std::string, double> out;
    const json* d = r.get_child("deadband");
    if (!d) return out;
    std::vector<std::string> quantities;
    for (const auto& q : sensor_quantities(s)) quantities.push_back(q.name);
    const std::string path = child_path(r.path(), "deadband");
    if (d->is_number()) {
        const double v = d->get<double>();
        if (!(v >= 0 && v <= 1e9)) r.fail("deadband", "must be between 0 and 1e9, got " + d->dump());
        for (const auto& q : quantities) out[q] = v;
        return out;
    }
    if (!d->is_object()) {
        r.fail("deadband", std::string("expected a number or an object of quantity: number, got ") +
                               type_name(*d));
    }
    std::string all;
    for (const auto& q : quantities) all += (all.empty() ? "" : ", ") + q;
    for (const auto& [key, value] : d->items()) {
        if (std::find(quantities.begin(), quantities.end(), key) == quantities.end()) {
            throw config_error(child_path(path, key),
                               "sensor type " + s.type + " reports no \"" + key + "\" (it reports " + all + ")");
        }
    }
    object_reader dr(*d, path);
    for (const auto& q : quantities) {
        if (dr.has(q)) out[q] = dr.get_number(q, 0, 1e9);
    }
    dr.finish();
    return out;
}

// "bus" and "address" of an I2C sensor; two sensors at one place are refused.
void read_i2c_place(object_reader& r, sensor_config& s,
                    std::set<std::pair<std::string, std::uint8_t>>& places) {
    const json* bus = r.get_child("bus");
    if (!bus) r.fail("bus", "missing (the I2C bus number, as in /dev/i2c-N)");
    if (bus->is_number_unsigned() && bus->get<std::uint64_t>() <= 255) {
        s.bus = std::to_string(bus->get<std::uint64_t>());
    } else {
        r.fail("bus", "expected a bus number 0..255, got " + bus->dump());
    }
    const std::uint8_t default_address = s.kind->default_address();
    s.address = default_address ? r.get_i2c_address("address", default_address)
                                : r.get_i2c_address("address");
    if (!places.insert({s.bus, s.address}).second) {
        char hex[8];
        std::snprintf(hex, sizeof hex, "0x%02X", s.address);
        r.fail("address",
               std::string("another sensor already uses bus ") + s.bus + " address " + hex);
    }
}

}  // namespace

std::vector<sensor_config> read_sensor_configs(object_reader& parent) {
    std::vector<sensor_config> out;
    std::set<std::string> ids;
    std::set<std::pair<std::string, std::uint8_t>> places;
    const sensor_kind_table* kinds = nullptr;  // looked up only when there are sensors
    std::vector<std::string> type_names;
    parent.for_each("sensors", [&](const json& j, const std::string& path) {
        if (!kinds) {
            kinds = &installed_sensor_kinds();
            for (const auto* k : *kinds) type_names.push_back(k->name());
        }
        object_reader r(j, path);
        sensor_config s;
        s.path = path;
        s.id = r.get_id("id");
        if (!ids.insert(s.id).second) r.fail("id", "duplicate sensor id \"" + s.id + "\"");
        const std::size_t t = r.get_choice("type", type_names);
        s.type = type_names[t];
        s.kind = (*kinds)[t];
        if (s.kind->source() == sensor_source::i2c) read_i2c_place(r, s, places);
        s.interval = std::chrono::milliseconds(
            static_cast<std::int64_t>(r.get_number("interval_s", 0.1, 86400, 10) * 1000));
        s.qos = static_cast<int>(r.get_int("qos", 0, 2, 1));
        s.retain = r.get_bool("retain", false);
        s.options = s.kind->read_options(r);
        s.deadband = read_deadband(r, s);
        {
            std::vector<std::string> names;
            for (const auto& q : sensor_quantities(s)) names.push_back(q.name);
            s.filters = read_filter_config(r, names, "sensor type " + s.type);
        }
        s.heartbeat = std::chrono::milliseconds(
            static_cast<std::int64_t>(r.get_number("heartbeat_s", 0, 86400 * 7, 0) * 1000));
        if (s.heartbeat.count() > 0 && s.heartbeat < s.interval) {
            r.fail("heartbeat_s", "is shorter than interval_s (every reading is published anyway)");
        }
        if (r.has("expiry_s")) {
            s.expiry_s = static_cast<std::uint32_t>(r.get_int("expiry_s", 1, 0xFFFFFFFF));
        }
        r.finish();
        out.push_back(std::move(s));
    });
    return out;
}

}  // namespace piogate::config
