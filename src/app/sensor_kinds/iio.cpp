// Any device of the kernel's Industrial I/O subsystem: "iio". Keys: "device" (required: the
// device's name as in its `name` file, "iio:deviceN", or a /sys/bus/iio/devices/... path) and
// "channels" (required, e.g. ["temp", "humidityrelative"]; temp, humidityrelative, pressure,
// illuminance, voltageN). Quantities: temperature °C, humidity %RH, pressure hPa, illuminance
// lx, voltageN V (indexed temp/humidity/... channels keep their index: "temperature1").
// Resolution: the device's own is not known in general; 0.001 (one milli-unit, the step of
// the kernel's processed _input values) is used, so precision rounding never hides a real step.
#include <algorithm>
// SPDX-License-Identifier: Apache-2.0
#include "app/sensor_kind.hpp"
#include "app/sensor_kinds/quantities.hpp"
#include "hw/sysfs/iio_device.hpp"
#include "hw/sysfs/iio_sensor.hpp"

namespace piogate::app::kinds {
namespace {

struct iio_options {
    std::string device;
    std::vector<std::string> channels;
    bool operator==(const iio_options&) const = default;
};

class iio_kind_t final : public sysfs_sensor_kind {
public:
    const std::string& name() const override { return name_; }

    config::kind_options read_options(config::object_reader& r) const override {
        iio_options o;
        o.device = r.get_string("device");
        if (o.device.empty()) r.fail("device", "must name the IIO device");
        if (!r.has("channels"))
            r.fail("channels", "required: the channels to read, e.g. [\"temp\"]");
        r.for_each("channels", [&](const config::json& c, const std::string& path) {
            if (!c.is_string() || !hw::iio_quantity_of(c.get<std::string>())) {
                throw config::config_error(
                    path, "a channel is temp, humidityrelative, pressure, illuminance or voltageN");
            }
            const auto name = c.get<std::string>();
            if (std::find(o.channels.begin(), o.channels.end(), name) != o.channels.end()) {
                throw config::config_error(path, "channel listed twice");
            }
            o.channels.push_back(name);
        });
        if (o.channels.empty()) r.fail("channels", "at least one channel is needed");
        return config::kind_options::of(o);
    }

    std::vector<config::quantity_spec> quantities(
        const config::kind_options& options) const override {
        std::vector<config::quantity_spec> out;
        for (const auto& c : options.as<iio_options>().channels) {
            const auto q = hw::iio_quantity_of(c);
            out.push_back(custom_quantity(q->name, q->unit, 0.001));
        }
        return out;
    }

protected:
    std::unique_ptr<hw::sensor> make_driver(const std::filesystem::path& root,
                                            const config::sensor_config& c) const override {
        const auto& o = c.options.as<iio_options>();
        return std::make_unique<hw::iio_sensor>(root, hw::iio_sensor_config{o.device, o.channels});
    }

private:
    std::string name_ = "iio";
};

}  // namespace

const sensor_kind& iio_kind() {
    static const iio_kind_t kind;
    return kind;
}

}  // namespace piogate::app::kinds
