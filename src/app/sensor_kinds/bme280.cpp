// Bosch BME280 (temperature, pressure, humidity) and BMP280 (temperature, pressure), one
// driver. Keys: "oversampling" 1, 2, 4, 8, 16 (all channels), "filter" 0 (off), 2, 4, 8, 16.
// Resolution (datasheet): temperature 0.01 °C, pressure 0.18 Pa (0.0018 hPa), humidity
// 0.008 %RH (its output LSB is 1/1024 %RH, finer than the sensor resolves).
#include <algorithm>
// SPDX-License-Identifier: Apache-2.0
#include "app/sensor_kind.hpp"
#include "app/sensor_kinds/quantities.hpp"
#include "hw/sensors/bme280.hpp"
#include "hw/sim/sim_bme280.hpp"

namespace piogate::app::kinds {
namespace {

struct bmx280_options {
    int oversampling = 1;
    int filter = 0;
    bool operator==(const bmx280_options&) const = default;
};

int read_one_of(config::object_reader& r, const char* key, std::initializer_list<int> allowed,
                int fallback) {
    const auto v = static_cast<int>(r.get_int(key, 0, 1024, fallback));
    if (std::find(allowed.begin(), allowed.end(), v) == allowed.end()) {
        std::string all;
        for (int a : allowed) all += (all.empty() ? "" : ", ") + std::to_string(a);
        r.fail(key, std::to_string(v) + " is not one of " + all);
    }
    return v;
}

hw::bmx280_oversampling oversampling(int n) {
    switch (n) {
        case 2:
            return hw::bmx280_oversampling::x2;
        case 4:
            return hw::bmx280_oversampling::x4;
        case 8:
            return hw::bmx280_oversampling::x8;
        case 16:
            return hw::bmx280_oversampling::x16;
        default:
            return hw::bmx280_oversampling::x1;
    }
}

hw::bmx280_filter filter(int n) {
    switch (n) {
        case 2:
            return hw::bmx280_filter::x2;
        case 4:
            return hw::bmx280_filter::x4;
        case 8:
            return hw::bmx280_filter::x8;
        case 16:
            return hw::bmx280_filter::x16;
        default:
            return hw::bmx280_filter::off;
    }
}

class bmx280_kind final : public i2c_sensor_kind {
public:
    explicit bmx280_kind(bool humidity)
        : humidity_(humidity), name_(humidity ? "bme280" : "bmp280") {}

    const std::string& name() const override { return name_; }
    std::uint8_t default_address() const override { return 0x76; }

    config::kind_options read_options(config::object_reader& r) const override {
        bmx280_options o;
        o.oversampling = read_one_of(r, "oversampling", {1, 2, 4, 8, 16}, 1);
        o.filter = read_one_of(r, "filter", {0, 2, 4, 8, 16}, 0);
        return config::kind_options::of(o);
    }

    std::vector<config::quantity_spec> quantities(const config::kind_options&) const override {
        if (humidity_) return {temperature(0.01), pressure(0.0018), humidity(0.008)};
        return {temperature(0.01), pressure(0.0018)};
    }

    std::vector<std::string> sim_values() const override {
        if (humidity_) return {"temperature", "humidity", "pressure"};
        return {"temperature", "pressure"};
    }

    std::shared_ptr<hw::sim_i2c_device> make_sim(
        const config::sim_device_config& d) const override {
        auto dev = std::make_shared<hw::sim_bme280>(humidity_ ? hw::sim_bmx280_model::bme280
                                                              : hw::sim_bmx280_model::bmp280);
        dev->set_environment(sim_value(d, "temperature", 21.5), sim_value(d, "humidity", 45.0),
                             sim_value(d, "pressure", 1013.25));
        return dev;
    }

    std::vector<i2c_probe> probes() const override {
        if (!humidity_) return {};  // one probe for both: the chip id tells them apart
        return {{"bme280/bmp280", {0x76, 0x77}, hw::bme280_probe}};
    }

protected:
    std::unique_ptr<hw::sensor> make_driver(hw::i2c_bus& bus,
                                            const config::sensor_config& c) const override {
        const auto& o = c.options.as<bmx280_options>();
        hw::bme280_config k;
        k.address = c.address;
        k.expect = humidity_ ? hw::bmx280_chip::bme280 : hw::bmx280_chip::bmp280;
        k.temperature = k.pressure = k.humidity = oversampling(o.oversampling);
        k.filter = filter(o.filter);
        return std::make_unique<hw::bme280>(bus, k);
    }

private:
    bool humidity_;
    std::string name_;
};

}  // namespace

const sensor_kind& bme280_kind() {
    static const bmx280_kind kind(true);
    return kind;
}

const sensor_kind& bmp280_kind() {
    static const bmx280_kind kind(false);
    return kind;
}

}  // namespace piogate::app::kinds
