#include "app/sensor_factory.hpp"

#include <stdexcept>

#include "hw/sensors/ads1115.hpp"
#include "hw/sensors/aht20.hpp"
#include "hw/sensors/bh1750.hpp"
#include "hw/sensors/bme280.hpp"
#include "hw/sensors/generic_register.hpp"
#include "hw/sensors/htu21d.hpp"
#include "hw/sensors/ina219.hpp"
#include "hw/sensors/lm75.hpp"
#include "hw/sensors/mcp9808.hpp"
#include "hw/sensors/sht3x.hpp"

namespace piogate::app {
namespace {

hw::bmx280_oversampling oversampling(int n) {
    switch (n) {
        case 2: return hw::bmx280_oversampling::x2;
        case 4: return hw::bmx280_oversampling::x4;
        case 8: return hw::bmx280_oversampling::x8;
        case 16: return hw::bmx280_oversampling::x16;
        default: return hw::bmx280_oversampling::x1;
    }
}

hw::bmx280_filter filter(int n) {
    switch (n) {
        case 2: return hw::bmx280_filter::x2;
        case 4: return hw::bmx280_filter::x4;
        case 8: return hw::bmx280_filter::x8;
        case 16: return hw::bmx280_filter::x16;
        default: return hw::bmx280_filter::off;
    }
}

hw::ads1x15_gain gain(double volts) {
    if (volts >= 6.0) return hw::ads1x15_gain::fsr_6v144;
    if (volts >= 4.0) return hw::ads1x15_gain::fsr_4v096;
    if (volts >= 2.0) return hw::ads1x15_gain::fsr_2v048;
    if (volts >= 1.0) return hw::ads1x15_gain::fsr_1v024;
    if (volts >= 0.5) return hw::ads1x15_gain::fsr_0v512;
    return hw::ads1x15_gain::fsr_0v256;
}

}  // namespace

std::unique_ptr<hw::sensor> make_sensor(hw::i2c_bus& bus, const config::sensor_config& c) {
    const auto& o = c.options;
    const std::string& t = c.type;
    if (t == "bme280" || t == "bmp280") {
        hw::bme280_config k;
        k.address = c.address;
        k.expect = t == "bme280" ? hw::bmx280_chip::bme280 : hw::bmx280_chip::bmp280;
        k.temperature = k.pressure = k.humidity = oversampling(o.oversampling);
        k.filter = filter(o.filter);
        return std::make_unique<hw::bme280>(bus, k);
    }
    if (t == "sht3x") return std::make_unique<hw::sht3x>(bus, hw::sht3x_config{c.address});
    if (t == "aht20") return std::make_unique<hw::aht20>(bus, hw::aht20_config{c.address});
    if (t == "htu21d") return std::make_unique<hw::htu21d>(bus, hw::htu21d_config{c.address});
    if (t == "mcp9808") return std::make_unique<hw::mcp9808>(bus, hw::mcp9808_config{c.address});
    if (t == "bh1750") {
        hw::bh1750_config k;
        k.address = c.address;
        k.mode = o.mode == "high2" ? hw::bh1750_mode::high2
                 : o.mode == "low" ? hw::bh1750_mode::low
                                   : hw::bh1750_mode::high;
        k.mtreg = static_cast<std::uint8_t>(o.mtreg);
        return std::make_unique<hw::bh1750>(bus, k);
    }
    if (t == "ads1115" || t == "ads1015") {
        hw::ads1115_config k;
        k.address = c.address;
        k.chip = t == "ads1115" ? hw::ads1x15_chip::ads1115 : hw::ads1x15_chip::ads1015;
        k.channels = {false, false, false, false};
        for (int ch : o.channels) k.channels[static_cast<std::size_t>(ch)] = true;
        k.gain = gain(o.gain_volts);
        k.data_rate = static_cast<unsigned>(o.data_rate);
        return std::make_unique<hw::ads1115>(bus, k);
    }
    if (t == "lm75" || t == "tmp102") {
        hw::lm75_config k;
        k.address = c.address;
        k.variant = t == "lm75" ? hw::lm75_variant::lm75 : hw::lm75_variant::tmp102;
        k.extended = o.extended;
        return std::make_unique<hw::lm75>(bus, k);
    }
    if (t == "ina219") {
        hw::ina219_config k;
        k.address = c.address;
        k.shunt_ohms = o.shunt_ohms;
        k.max_current = o.max_current;
        return std::make_unique<hw::ina219>(bus, k);
    }
    if (t == "generic") {
        hw::generic_register_config k;
        k.address = c.address;
        k.reg = static_cast<std::uint8_t>(o.reg);
        k.length = static_cast<unsigned>(o.length);
        k.is_signed = o.is_signed;
        k.order = o.little_endian ? hw::register_byte_order::little : hw::register_byte_order::big;
        k.scale = o.scale;
        k.offset = o.offset;
        k.name = o.quantity;
        k.unit = o.unit;
        return std::make_unique<hw::generic_register>(bus, k);
    }
    throw std::runtime_error(c.path + ": no driver for sensor type \"" + t + "\"");
}

}  // namespace piogate::app
