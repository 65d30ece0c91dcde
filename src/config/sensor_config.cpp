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

namespace {

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
                if (!c.is_number_integer() || c.get<int>() < 0 || c.get<int>() > 3) {
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
        if (bus->is_number_integer() && bus->get<int>() >= 0 && bus->get<int>() <= 255) {
            s.bus = std::to_string(bus->get<int>());
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
        read_options(r, s.type, s.options);
        r.finish();
        out.push_back(std::move(s));
    });
    return out;
}

}  // namespace piogate::config
