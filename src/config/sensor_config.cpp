#include "config/sensor_config.hpp"

#include <algorithm>
#include <cstdio>
#include <set>

namespace piogate::config {

const std::vector<std::pair<std::string, std::uint8_t>>& sensor_types() {
    static const std::vector<std::pair<std::string, std::uint8_t>> types = {
        {"bme280", 0x76}, {"bmp280", 0x76}, {"sht3x", 0x44},   {"aht20", 0x38},
        {"htu21d", 0x40}, {"bh1750", 0x23}, {"ads1115", 0x48}, {"ads1015", 0x48},
        {"lm75", 0x48},   {"tmp102", 0x48}, {"mcp9808", 0x18}, {"ina219", 0x40},
        {"generic", 0},
    };
    return types;
}

std::vector<std::string> sensor_quantities(const std::string& type, const sensor_options& o) {
    if (type == "bme280") return {"temperature", "pressure", "humidity"};
    if (type == "bmp280") return {"temperature", "pressure"};
    if (type == "sht3x" || type == "aht20" || type == "htu21d") return {"temperature", "humidity"};
    if (type == "bh1750") return {"illuminance"};
    if (type == "ads1115" || type == "ads1015") {
        std::vector<std::string> out;
        for (int c : o.channels) out.push_back("voltage" + std::to_string(c));
        return out;
    }
    if (type == "ina219") return {"voltage", "current", "power"};
    if (type == "generic") return {o.quantity};
    return {"temperature"};  // lm75, tmp102, mcp9808
}

namespace {

// "deadband": a number for every quantity, or an object quantity -> number.
std::map<std::string, double> read_deadband(object_reader& r, const sensor_config& s) {
    std::map<std::string, double> out;
    const json* d = r.get_child("deadband");
    if (!d) return out;
    const auto quantities = sensor_quantities(s.type, s.options);
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

int read_power_of_two(object_reader& r, const char* key, std::initializer_list<int> allowed, int fallback) {
    const auto v = static_cast<int>(r.get_int(key, 0, 1024, fallback));
    if (std::find(allowed.begin(), allowed.end(), v) == allowed.end()) {
        std::string all;
        for (int a : allowed) all += (all.empty() ? "" : ", ") + std::to_string(a);
        r.fail(key, std::to_string(v) + " is not one of " + all);
    }
    return v;
}

void read_options(object_reader& r, const std::string& type, sensor_options& o) {
    if (type == "bme280" || type == "bmp280") {
        o.oversampling = read_power_of_two(r, "oversampling", {1, 2, 4, 8, 16}, 1);
        o.filter = read_power_of_two(r, "filter", {0, 2, 4, 8, 16}, 0);
    } else if (type == "bh1750") {
        o.mode = std::vector<std::string>{"high", "high2", "low"}[r.get_choice("mode", {"high", "high2", "low"}, 0)];
        o.mtreg = static_cast<int>(r.get_int("mtreg", 31, 254, 69));
    } else if (type == "ads1115" || type == "ads1015") {
        if (r.has("channels")) {
            o.channels.clear();
            r.for_each("channels", [&](const json& c, const std::string& path) {
                if (!c.is_number_unsigned() || c.get<std::uint64_t>() > 3) {
                    throw config_error(path, "a channel is 0, 1, 2 or 3");
                }
                if (std::find(o.channels.begin(), o.channels.end(), c.get<int>()) != o.channels.end()) {
                    throw config_error(path, "channel listed twice");
                }
                o.channels.push_back(c.get<int>());
            });
            if (o.channels.empty()) r.fail("channels", "at least one channel is needed");
        }
        o.gain_volts = r.get_number("gain_volts", 0.256, 6.144, 4.096);
        const double gains[] = {6.144, 4.096, 2.048, 1.024, 0.512, 0.256};
        if (std::none_of(std::begin(gains), std::end(gains), [&](double g) { return g == o.gain_volts; })) {
            r.fail("gain_volts", "full scale must be 6.144, 4.096, 2.048, 1.024, 0.512 or 0.256");
        }
        o.data_rate = static_cast<int>(r.get_int("data_rate", 0, 3300, 0));
    } else if (type == "tmp102") {
        o.extended = r.get_bool("extended", false);
    } else if (type == "ina219") {
        o.shunt_ohms = r.get_number("shunt_ohms", 0.0001, 100, 0.1);
        o.max_current = r.get_number("max_current", 0.001, 400, 3.2);
    } else if (type == "generic") {
        o.reg = static_cast<int>(r.get_int("register", 0, 255));
        o.length = static_cast<int>(r.get_int("length", 1, 4, 2));
        o.is_signed = r.get_bool("signed", false);
        o.little_endian = r.get_choice("byte_order", {"big", "little"}, 0) == 1;
        o.scale = r.get_number("scale", -1e9, 1e9, 1.0);
        o.offset = r.get_number("offset", -1e9, 1e9, 0.0);
        o.quantity = r.get_string("quantity", std::string("value"));
        if (o.quantity.empty() || o.quantity == "ts" ||
            o.quantity.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") != std::string::npos) {
            r.fail("quantity", "must be a name of a-z, 0-9 and '_', other than \"ts\" (the timestamp)");
        }
        o.unit = r.get_string("unit", std::string());
    }
}

}  // namespace

std::vector<sensor_config> read_sensor_configs(object_reader& parent) {
    std::vector<sensor_config> out;
    std::set<std::string> ids;
    std::set<std::pair<std::string, std::uint8_t>> places;
    std::vector<std::string> type_names;
    for (const auto& [name, address] : sensor_types()) type_names.push_back(name);
    parent.for_each("sensors", [&](const json& j, const std::string& path) {
        object_reader r(j, path);
        sensor_config s;
        s.path = path;
        s.id = r.get_id("id");
        if (!ids.insert(s.id).second) r.fail("id", "duplicate sensor id \"" + s.id + "\"");
        const std::size_t t = r.get_choice("type", type_names);
        s.type = type_names[t];
        const json* bus = r.get_child("bus");
        if (!bus) r.fail("bus", "missing (the I2C bus number, as in /dev/i2c-N)");
        if (bus->is_number_unsigned() && bus->get<std::uint64_t>() <= 255) {
            s.bus = std::to_string(bus->get<std::uint64_t>());
        } else {
            r.fail("bus", "expected a bus number 0..255, got " + bus->dump());
        }
        const std::uint8_t default_address = sensor_types()[t].second;
        s.address = default_address ? r.get_i2c_address("address", default_address)
                                    : r.get_i2c_address("address");
        if (!places.insert({s.bus, s.address}).second) {
            char hex[8];
            std::snprintf(hex, sizeof hex, "0x%02X", s.address);
            r.fail("address", std::string("another sensor already uses bus ") + s.bus + " address " + hex);
        }
        s.interval = std::chrono::milliseconds(
            static_cast<std::int64_t>(r.get_number("interval_s", 0.1, 86400, 10) * 1000));
        s.qos = static_cast<int>(r.get_int("qos", 0, 2, 1));
        s.retain = r.get_bool("retain", false);
        read_options(r, s.type, s.options);
        s.deadband = read_deadband(r, s);
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
