#include "config/sim_sysfs_config.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <cctype>
#include <set>

#include "config/config_error.hpp"

namespace piogate::config {

namespace {

constexpr double value_limit = 1e9;

sim_wave_config read_wave(const json& j, const std::string& path) {
    if (j.is_number()) {
        const double v = j.get<double>();
        if (v < -value_limit || v > value_limit) throw config_error(path, "out of range");
        return {v, 0, 600};
    }
    if (!j.is_object()) {
        throw config_error(path, std::string("must be a number or {\"value\", \"amplitude\", "
                                             "\"period_s\"}, not ") +
                                     type_name(j));
    }
    object_reader r(j, path);
    sim_wave_config w;
    w.value = r.get_number("value", -value_limit, value_limit);
    w.amplitude = r.get_number("amplitude", 0, value_limit, 0.0);
    w.period_s = r.get_number("period_s", 1, 86400 * 365, 600.0);
    r.finish();
    return w;
}

// "temp", "voltage3": a type from `types` followed by digits (required when `indexed`).
bool valid_channel(const std::string& channel, const std::vector<std::string>& types,
                   bool index_required, const std::string& indexed_type) {
    std::size_t i = channel.size();
    while (i > 0 && std::isdigit(static_cast<unsigned char>(channel[i - 1]))) --i;
    const std::string type = channel.substr(0, i);
    const bool has_index = i < channel.size();
    for (const auto& t : types) {
        if (t != type) continue;
        return has_index || !(index_required || t == indexed_type);
    }
    return false;
}

std::map<std::string, sim_wave_config> read_channels(object_reader& r,
                                                     const std::vector<std::string>& types,
                                                     bool index_required,
                                                     const std::string& indexed_type,
                                                     const std::string& allowed) {
    std::map<std::string, sim_wave_config> out;
    const json* channels = r.get_child("channels");
    const std::string path = child_path(r.path(), "channels");
    if (!channels) throw config_error(path, "required: the device's channels and their values");
    if (!channels->is_object()) throw config_error(path, "must be an object");
    for (const auto& [name, value] : channels->items()) {
        if (!valid_channel(name, types, index_required, indexed_type)) {
            throw config_error(child_path(path, name), "not a channel name (" + allowed + ")");
        }
        out[name] = read_wave(value, child_path(path, name));
    }
    if (out.empty()) throw config_error(path, "lists no channel");
    return out;
}

bool rom_id(const std::string& s) {
    if (s.size() != 15 || s[2] != '-') return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (i != 2 && !std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
    }
    return true;
}

std::string device_name(object_reader& r, const char* key) {
    std::string name = r.get_string(key);
    if (name.empty() || name.find('/') != std::string::npos ||
        name.find('\n') != std::string::npos) {
        r.fail(key, "must be a non-empty name without '/' or a line break");
    }
    return name;
}

}  // namespace

sim_sysfs_section read_sim_sysfs(const json& j, const std::string& path) {
    object_reader r(j, path);
    sim_sysfs_section s;
    std::set<std::string> roms;
    r.for_each("w1", [&](const json& e, const std::string& p) {
        object_reader c(e, p);
        sim_w1_config w;
        w.rom = c.get_string("rom");
        if (!rom_id(w.rom)) {
            c.fail("rom", "\"" + w.rom + "\" is not a 1-Wire ROM id (28-0316a2794aff)");
        }
        if (!roms.insert(w.rom).second) c.fail("rom", w.rom + " is listed twice");
        if (const json* t = c.get_child("temperature")) {
            w.temperature = read_wave(*t, child_path(p, "temperature"));
        }
        w.w1_slave_only = c.get_bool("w1_slave_only", false);
        const std::vector<std::string> faults{"none", "power_on", "crc"};
        w.fault = faults[c.get_choice("fault", faults, 0)];
        c.finish();
        s.w1.push_back(std::move(w));
    });
    r.for_each("iio", [&](const json& e, const std::string& p) {
        object_reader c(e, p);
        sim_iio_config d;
        d.name = device_name(c, "name");
        d.channels = read_channels(
            c, {"temp", "humidityrelative", "pressure", "illuminance", "voltage"}, false, "voltage",
            "temp, humidityrelative, pressure, illuminance, voltageN");
        d.fail_one_in = static_cast<int>(c.get_int("fail_one_in", 0, 1000, 0));
        c.finish();
        s.iio.push_back(std::move(d));
    });
    r.for_each("hwmon", [&](const json& e, const std::string& p) {
        object_reader c(e, p);
        sim_hwmon_config d;
        d.name = device_name(c, "name");
        d.channels = read_channels(c, {"temp", "in", "curr", "power", "fan"}, true, "",
                                   "tempN, inN, currN, powerN, fanN");
        if (const json* labels = c.get_child("labels")) {
            const std::string lpath = child_path(p, "labels");
            if (!labels->is_object()) throw config_error(lpath, "must be an object");
            for (const auto& [name, value] : labels->items()) {
                if (!d.channels.count(name)) {
                    throw config_error(child_path(lpath, name), "no such channel in \"channels\"");
                }
                if (!value.is_string())
                    throw config_error(child_path(lpath, name), "must be a string");
                d.labels[name] = value.get<std::string>();
            }
        }
        c.finish();
        s.hwmon.push_back(std::move(d));
    });
    r.for_each("thermal", [&](const json& e, const std::string& p) {
        object_reader c(e, p);
        sim_thermal_config z;
        z.type = device_name(c, "type");
        if (const json* t = c.get_child("temperature")) {
            z.temperature = read_wave(*t, child_path(p, "temperature"));
        }
        c.finish();
        s.thermal.push_back(std::move(z));
    });
    r.finish();
    return s;
}

}  // namespace piogate::config
