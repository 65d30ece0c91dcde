// TI ADS1115 (16 bit) and ADS1015 (12 bit): voltages on AIN0..AIN3 against GND, one quantity
// "voltageN" per configured channel. Keys: "channels" (default [0, 1, 2, 3]), "gain_volts"
// (full scale 6.144, 4.096, 2.048, 1.024, 0.512, 0.256; default 4.096), "data_rate"
// (samples/s, 0 = the chip's default). Resolution: one code, full scale / 32768 (ADS1115:
// 125 µV at 4.096 V) or / 2048 (ADS1015: 2 mV).
#include <algorithm>
// SPDX-License-Identifier: Apache-2.0
#include "app/sensor_kind.hpp"
#include "app/sensor_kinds/quantities.hpp"
#include "hw/sensors/ads1115.hpp"
#include "hw/sim/sim_ads1115.hpp"

namespace piogate::app::kinds {
namespace {

struct ads1x15_options {
    std::vector<int> channels{0, 1, 2, 3};
    double gain_volts = 4.096;
    int data_rate = 0;
    bool operator==(const ads1x15_options&) const = default;
};

hw::ads1x15_gain gain(double volts) {
    if (volts >= 6.0) return hw::ads1x15_gain::fsr_6v144;
    if (volts >= 4.0) return hw::ads1x15_gain::fsr_4v096;
    if (volts >= 2.0) return hw::ads1x15_gain::fsr_2v048;
    if (volts >= 1.0) return hw::ads1x15_gain::fsr_1v024;
    if (volts >= 0.5) return hw::ads1x15_gain::fsr_0v512;
    return hw::ads1x15_gain::fsr_0v256;
}

class ads1x15_kind final : public i2c_sensor_kind {
public:
    explicit ads1x15_kind(hw::ads1x15_chip chip)
        : chip_(chip), name_(chip == hw::ads1x15_chip::ads1115 ? "ads1115" : "ads1015") {}

    const std::string& name() const override { return name_; }
    std::uint8_t default_address() const override { return 0x48; }

    config::kind_options read_options(config::object_reader& r) const override {
        ads1x15_options o;
        if (r.has("channels")) {
            o.channels.clear();
            r.for_each("channels", [&](const config::json& c, const std::string& path) {
                if (!c.is_number_unsigned() || c.get<std::uint64_t>() > 3) {
                    throw config::config_error(path, "a channel is 0, 1, 2 or 3");
                }
                if (std::find(o.channels.begin(), o.channels.end(), c.get<int>()) !=
                    o.channels.end()) {
                    throw config::config_error(path, "channel listed twice");
                }
                o.channels.push_back(c.get<int>());
            });
            if (o.channels.empty()) r.fail("channels", "at least one channel is needed");
        }
        o.gain_volts = r.get_number("gain_volts", 0.256, 6.144, 4.096);
        const double gains[] = {6.144, 4.096, 2.048, 1.024, 0.512, 0.256};
        if (std::none_of(std::begin(gains), std::end(gains),
                         [&](double g) { return g == o.gain_volts; })) {
            r.fail("gain_volts", "full scale must be 6.144, 4.096, 2.048, 1.024, 0.512 or 0.256");
        }
        o.data_rate = static_cast<int>(r.get_int("data_rate", 0, 3300, 0));
        return config::kind_options::of(o);
    }

    std::vector<config::quantity_spec> quantities(
        const config::kind_options& options) const override {
        const auto& o = options.as<ads1x15_options>();
        const double codes = chip_ == hw::ads1x15_chip::ads1115 ? 32768 : 2048;
        std::vector<config::quantity_spec> out;
        for (int c : o.channels)
            out.push_back(voltage("voltage" + std::to_string(c), o.gain_volts / codes));
        return out;
    }

    std::vector<std::string> sim_values() const override {
        return {"voltage0", "voltage1", "voltage2", "voltage3"};
    }

    std::shared_ptr<hw::sim_i2c_device> make_sim(
        const config::sim_device_config& d) const override {
        auto dev = std::make_shared<hw::sim_ads1115>(chip_);
        dev->set_inputs({sim_value(d, "voltage0", 0), sim_value(d, "voltage1", 0),
                         sim_value(d, "voltage2", 0), sim_value(d, "voltage3", 0)});
        return dev;
    }

    std::vector<i2c_probe> probes() const override {
        if (chip_ != hw::ads1x15_chip::ads1115) return {};  // one probe: the chips look alike
        return {{"ads1115/ads1015", {0x48, 0x49, 0x4A, 0x4B}, hw::ads1115_probe}};
    }

protected:
    std::unique_ptr<hw::sensor> make_driver(hw::i2c_bus& bus,
                                            const config::sensor_config& c) const override {
        const auto& o = c.options.as<ads1x15_options>();
        hw::ads1115_config k;
        k.address = c.address;
        k.chip = chip_;
        k.channels = {false, false, false, false};
        for (int ch : o.channels) k.channels[static_cast<std::size_t>(ch)] = true;
        k.gain = gain(o.gain_volts);
        k.data_rate = static_cast<unsigned>(o.data_rate);
        return std::make_unique<hw::ads1115>(bus, k);
    }

private:
    hw::ads1x15_chip chip_;
    std::string name_;
};

}  // namespace

const sensor_kind& ads1115_kind() {
    static const ads1x15_kind kind(hw::ads1x15_chip::ads1115);
    return kind;
}

const sensor_kind& ads1015_kind() {
    static const ads1x15_kind kind(hw::ads1x15_chip::ads1015);
    return kind;
}

}  // namespace piogate::app::kinds
