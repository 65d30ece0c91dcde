// DHT11 and DHT22 (AM2302) through the kernel's dht11 IIO driver (dtoverlay=dht11,gpiopin=N):
// "dht11", "dht22". Key: "device" (the IIO device; default "dht11", the driver's name, which
// matches "dht11@N"; with two sensors give "iio:deviceN"). Quantities: temperature °C,
// humidity %RH. Resolution: DHT22 0.1 °C / 0.1 %RH; DHT11 1 °C / 1 %RH. A failed exchange (the
// driver's frequent EIO / ETIMEDOUT) is retried within the interval, at least 2 s apart.
#include "app/sensor_kind.hpp"
#include "app/sensor_kinds/quantities.hpp"
#include "hw/sysfs/dht_sensor.hpp"
// SPDX-License-Identifier: Apache-2.0
namespace piogate::app::kinds {
namespace {

struct dht_options {
    std::string device = "dht11";
    bool operator==(const dht_options&) const = default;
};

class dht_kind_t final : public sysfs_sensor_kind {
public:
    explicit dht_kind_t(hw::dht_model model)
        : model_(model), name_(model == hw::dht_model::dht11 ? "dht11" : "dht22") {}

    const std::string& name() const override { return name_; }

    config::kind_options read_options(config::object_reader& r) const override {
        dht_options o;
        o.device = r.get_string("device", o.device);
        if (o.device.empty()) r.fail("device", "must name the IIO device");
        return config::kind_options::of(o);
    }

    std::vector<config::quantity_spec> quantities(const config::kind_options&) const override {
        const double step = model_ == hw::dht_model::dht11 ? 1.0 : 0.1;
        return {temperature(step), humidity(step)};
    }

protected:
    std::unique_ptr<hw::sensor> make_driver(const std::filesystem::path& root,
                                            const config::sensor_config& c) const override {
        return std::make_unique<hw::dht_sensor>(
            root, hw::dht_sensor_config{model_, c.options.as<dht_options>().device});
    }

private:
    hw::dht_model model_;
    std::string name_;
};

}  // namespace

const sensor_kind& dht11_kind() {
    static const dht_kind_t kind(hw::dht_model::dht11);
    return kind;
}

const sensor_kind& dht22_kind() {
    static const dht_kind_t kind(hw::dht_model::dht22);
    return kind;
}

}  // namespace piogate::app::kinds
