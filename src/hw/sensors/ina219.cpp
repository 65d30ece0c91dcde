#include "hw/sensors/ina219.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <cmath>
#include <cstdio>

#include "hw/sensors/word_register.hpp"

namespace piogate::hw {

namespace {

constexpr std::uint8_t reg_config = 0x00, reg_shunt = 0x01, reg_bus = 0x02;
constexpr std::uint8_t reg_power = 0x03, reg_current = 0x04, reg_calibration = 0x05;

constexpr std::uint16_t config_reset_bit = 0x8000;
constexpr std::uint16_t bus_reserved = 0x0004, bus_cnvr = 0x0002, bus_ovf = 0x0001;
constexpr std::uint16_t mode_triggered_both = 0x0003;
constexpr double calibration_scale = 0.04096;  // datasheet equation 1
constexpr double shunt_lsb = 10e-6;
constexpr double bus_lsb = 4e-3;
constexpr double pin_limit_volts = 26.0;  // IN+/IN− common mode: 0..26 V

const std::string type_name = "ina219";

util::error damaged_bus_word(std::uint16_t word, const std::string& where) {
    return hw_fail(hw_errc::out_of_range, where + ": bus voltage word " + hex(word, 4) +
                                              " has the always-zero bit 2 set (damaged read)");
}

std::string text(const char* format, double v) {
    char buf[48];
    std::snprintf(buf, sizeof buf, format, v);
    return buf;
}

}  // namespace

double ina219_min_current_lsb(double max_expected_amps) {
    return max_expected_amps / 32768.0;
}

std::uint16_t ina219_calibration(double current_lsb, double shunt_ohms) {
    const double cal = std::trunc(calibration_scale / (current_lsb * shunt_ohms));
    if (!(cal >= 2.0 && cal <= 65535.0)) return 0;  // also NaN and infinities
    return static_cast<std::uint16_t>(static_cast<unsigned>(cal) & 0xFFFE);
}

double ina219_effective_current_lsb(std::uint16_t calibration, double shunt_ohms) {
    return calibration_scale / (calibration * shunt_ohms);
}

int ina219_pga_for(double max_shunt_volts) {
    for (int pga = 0; pga < 4; ++pga) {
        // A relative tolerance: 3.2 A × 0.1 Ω is 0.32000000000000006 in binary floating point.
        if (max_shunt_volts <= 0.04 * (1 << pga) * (1 + 1e-9)) return pga;
    }
    return -1;
}

int ina219_adc_bits(unsigned samples) {
    if (samples == 1) return 0x3;  // 12 bits, one sample: the reset value
    for (int n = 1; n <= 7; ++n) {
        if (samples == 1u << n) return 0x8 | n;
    }
    return -1;
}

std::chrono::microseconds ina219_adc_time(unsigned adc_bits) {
    static constexpr long resolution_us[] = {84, 148, 276, 532};  // 9..12 bits
    static constexpr long averaged_us[] = {532, 1060, 2130, 4260, 8510, 17020, 34050, 68100};
    if (adc_bits & 0x8) return std::chrono::microseconds(averaged_us[adc_bits & 7]);
    return std::chrono::microseconds(resolution_us[adc_bits & 3]);
}

double ina219_bus_volts(std::uint16_t raw) {
    return (raw >> 3) * bus_lsb;
}

double ina219_shunt_volts(std::uint16_t raw) {
    return static_cast<std::int16_t>(raw) * shunt_lsb;
}

util::result<reading> ina219_decode(const ina219_raw& raw, double current_lsb, int pga,
                                    bool bus_32v, const std::string& where) {
    if (raw.bus & bus_reserved) return damaged_bus_word(raw.bus, where);
    if (raw.bus & bus_ovf) {
        return hw_fail(hw_errc::out_of_range,
                       where + ": overflow flag set in the bus voltage register (" +
                           hex(raw.bus, 4) + "): current or power out of the calibrated range");
    }
    const int shunt_full_scale = 4000 << pga;
    if (std::abs(static_cast<std::int16_t>(raw.shunt)) >= shunt_full_scale) {
        return hw_fail(hw_errc::out_of_range,
                       where + ": shunt voltage " + text("%.5f V", ina219_shunt_volts(raw.shunt)) +
                           " is at the ±" + std::to_string(40 << pga) + " mV full scale (clipped)");
    }
    const double volts = ina219_bus_volts(raw.bus);
    // 32 V range: above the pins' 26 V limit; 16 V range: the full-scale code is saturation.
    if (bus_32v ? volts > pin_limit_volts : volts >= 16.0) {
        return hw_fail(hw_errc::out_of_range,
                       where + ": bus voltage " + text("%.3f V", volts) + " is " +
                           (bus_32v ? "above the pins' 26 V limit" : "at the 16 V full scale"));
    }
    return reading{{"voltage", volts, "V"},
                   {"current", static_cast<std::int16_t>(raw.current) * current_lsb, "A"},
                   {"power", raw.power * 20.0 * current_lsb, "W"}};
}

bool ina219_registers_plausible(std::uint16_t config, std::uint16_t calibration,
                                std::uint16_t bus) {
    return (config & 0xC000) == 0 && (calibration & 0x0001) == 0 && (bus & bus_reserved) == 0;
}

ina219::ina219(i2c_bus& bus, ina219_config config) : bus_(bus), config_(config) {}

const std::string& ina219::type() const {
    return type_name;
}

util::error ina219::fail(hw_errc code, int reg, const std::string& what) const {
    std::string where = bus_.name() + " " + hex(config_.address);
    if (reg >= 0) where += " reg " + hex(static_cast<unsigned>(reg));
    return hw_fail(code, where + ": " + type_name + ": " + what);
}

util::error ina219::step_failed(const char* step, const util::error& cause) const {
    return {cause.code, type_name + ": " + step + ": " + cause.message};
}

util::result<void> ina219::check_config() {
    const double max_shunt = config_.max_current * config_.shunt_ohms;
    pga_ = ina219_pga_for(max_shunt);
    if (!(config_.shunt_ohms > 0) || !(config_.max_current > 0) || pga_ < 0) {
        return fail(hw_errc::not_supported, -1,
                    "max current × shunt = " + text("%.4g V", max_shunt) +
                        " needs a positive value up to the 0.32 V shunt range");
    }
    const int adc = ina219_adc_bits(config_.samples);
    if (adc < 0) {
        return fail(hw_errc::not_supported, -1,
                    std::to_string(config_.samples) + " samples: the chip averages 1, 2, 4 .. 128");
    }
    double lsb =
        config_.current_lsb > 0 ? config_.current_lsb : ina219_min_current_lsb(config_.max_current);
    calibration_ = ina219_calibration(lsb, config_.shunt_ohms);
    if (calibration_ == 0 && config_.current_lsb <= 0) {
        calibration_ = 0xFFFE;  // tiny shunt voltages: the finest LSB the register allows
    }
    if (calibration_ == 0) {
        return fail(hw_errc::not_supported, -1,
                    "current LSB " + text("%.4g A", lsb) + " needs a calibration outside 16 bits");
    }
    current_lsb_ = ina219_effective_current_lsb(calibration_, config_.shunt_ohms);
    config_word_ = static_cast<std::uint16_t>((config_.bus_32v ? 0x2000 : 0) | pga_ << 11 |
                                              adc << 7 | adc << 3 | mode_triggered_both);
    return {};
}

util::result<void> ina219::verify_identity() {
    auto cfg = read_word(bus_, config_.address, reg_config);
    if (!cfg) return step_failed("reading configuration", cfg.err());
    if (*cfg == ina219_config_reset) return {};
    auto cal = read_word(bus_, config_.address, reg_calibration);
    if (!cal) return step_failed("reading calibration", cal.err());
    auto bus = read_word(bus_, config_.address, reg_bus);
    if (!bus) return step_failed("reading bus voltage", bus.err());
    if (!ina219_registers_plausible(*cfg, *cal, *bus)) {
        return fail(hw_errc::bad_chip_id, reg_config,
                    "configuration " + hex(*cfg, 4) + ", calibration " + hex(*cal, 4) +
                        ", bus voltage " + hex(*bus, 4) +
                        " cannot be an INA219's (not resetting it)");
    }
    if (auto r = write_word(bus_, config_.address, reg_config, config_reset_bit); !r) {
        return step_failed("resetting", r.err());
    }
    cfg = read_word(bus_, config_.address, reg_config);
    if (!cfg) return step_failed("reading configuration after reset", cfg.err());
    if (*cfg != ina219_config_reset) {
        return fail(hw_errc::bad_chip_id, reg_config,
                    "configuration " + hex(*cfg, 4) + " after reset, expected 0x399F");
    }
    return {};
}

util::result<void> ina219::open() {
    calibration_ = 0;
    converting_ = false;
    if (auto r = check_config(); !r) return r;
    if (auto r = verify_identity(); !r) {
        calibration_ = 0;
        return r;
    }
    const std::uint16_t cal = calibration_;
    calibration_ = 0;  // not open until the chip holds it
    if (auto r = write_word(bus_, config_.address, reg_calibration, cal); !r) {
        return step_failed("writing calibration", r.err());
    }
    auto back = read_word(bus_, config_.address, reg_calibration);
    if (!back) return step_failed("reading calibration back", back.err());
    if (*back != cal) {
        return fail(hw_errc::io_error, reg_calibration,
                    "calibration reads back " + hex(*back, 4) + ", wrote " + hex(cal, 4));
    }
    calibration_ = cal;
    return {};
}

std::chrono::milliseconds ina219::conversion_time() const {
    const unsigned adc = config_word_ >> 3 & 0xF;
    // Shunt, then bus; +10 % for the oscillator.
    return std::chrono::ceil<std::chrono::milliseconds>(ina219_adc_time(adc) * 2 * 11 / 10);
}

measure_result ina219::attempt() {
    if (calibration_ == 0)
        return fail(hw_errc::io_error, -1, "measure() without a successful open()");
    if (!converting_) {
        if (auto r = write_word(bus_, config_.address, reg_config, config_word_); !r) {
            return step_failed("starting conversion", r.err());
        }
        converting_ = true;
        start_polling();
        return measure_result::converting(conversion_time(),
                                          std::string(type_name) + ": conversion running");
    }
    ina219_raw raw;
    auto bus = read_word(bus_, config_.address, reg_bus);
    if (!bus) {
        converting_ = false;
        return step_failed("reading bus voltage", bus.err());
    }
    raw.bus = *bus;
    if (raw.bus & bus_reserved) {
        converting_ = false;
        return damaged_bus_word(raw.bus, where());
    }
    if ((raw.bus & bus_cnvr) == 0) {
        return poll_again(config_.status_polls, config_.poll_interval,
                          std::string(type_name) + ": conversion running", [&] {
                              converting_ = false;
                              return fail(hw_errc::timeout, reg_bus,
                                          "conversion not ready after " +
                                              std::to_string(config_.status_polls) +
                                              " polls (CNVR stuck at 0)");
                          });
    }
    converting_ = false;
    struct {
        std::uint8_t reg;
        std::uint16_t* out;
        const char* step;
    } const reads[] = {{reg_shunt, &raw.shunt, "reading shunt voltage"},
                       {reg_current, &raw.current, "reading current"},
                       {reg_power, &raw.power, "reading power"}};  // last: clears CNVR
    for (const auto& r : reads) {
        auto word = read_word(bus_, config_.address, r.reg);
        if (!word) return step_failed(r.step, word.err());
        *r.out = *word;
    }
    return ina219_decode(raw, current_lsb_, pga_, config_.bus_32v, where());
}

std::string ina219::where() const {
    return bus_.name() + " " + hex(config_.address) + " " + type_name;
}

bool ina219_probe(i2c_bus& bus, std::uint8_t address) {
    auto cfg = read_word(bus, address, reg_config);
    if (!cfg) return false;
    if (*cfg == ina219_config_reset) return true;
    auto cal = read_word(bus, address, reg_calibration);
    auto volts = read_word(bus, address, reg_bus);
    return cal && volts && ina219_registers_plausible(*cfg, *cal, *volts);
}

}  // namespace piogate::hw
