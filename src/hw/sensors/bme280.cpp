#include "hw/sensors/bme280.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <array>

namespace piogate::hw {

namespace {

// Register map (BME280 data sheet 5.3; the BMP280 has the same map without 0xE1.., 0xF2, 0xFD..).
constexpr std::uint8_t reg_id = 0xD0;
constexpr std::uint8_t reg_reset = 0xE0;
constexpr std::uint8_t reg_ctrl_hum = 0xF2;
constexpr std::uint8_t reg_status = 0xF3;
constexpr std::uint8_t reg_ctrl_meas = 0xF4;
constexpr std::uint8_t reg_config = 0xF5;

constexpr std::uint8_t reset_word = 0xB6;
constexpr std::uint8_t status_measuring = 0x08;  // bit 3: conversion running
constexpr std::uint8_t status_im_update = 0x01;  // bit 0: NVM being copied to image registers
constexpr std::uint8_t mode_sleep = 0x00;
constexpr std::uint8_t mode_forced = 0x01;
constexpr auto startup_time = std::chrono::milliseconds(2);  // t_startup after a (soft) reset

std::uint8_t bits(bmx280_oversampling os) {
    return static_cast<std::uint8_t>(os) & 0x07;
}

const char* chip_name(bmx280_chip chip) {
    switch (chip) {
        case bmx280_chip::bme280:
            return "BME280 (0x60)";
        case bmx280_chip::bmp280:
            return "BMP280 (0x58)";
        case bmx280_chip::any:
            break;
    }
    return "BME280 (0x60) or BMP280 (0x58)";
}

bmx280_chip chip_of(std::uint8_t id) {
    if (id == bme280_chip_id) return bmx280_chip::bme280;
    if (id == bmp280_chip_id) return bmx280_chip::bmp280;
    return bmx280_chip::any;
}

}  // namespace

bme280::bme280(i2c_bus& bus, bme280_config config)
    : bus_(bus),
      config_(config),
      type_(config.expect == bmx280_chip::bmp280 ? "bmp280" : "bme280") {}

util::error bme280::fail(std::error_code code, int reg, const std::string& what) const {
    std::string where = bus_.name() + " " + hex(config_.address);
    if (reg >= 0) where += " reg " + hex(static_cast<unsigned>(reg));
    return {code, where + ": " + type_ + ": " + what};
}

util::error bme280::step_failed(const char* step, const util::error& cause) const {
    // The bus already names bus, address and register; add what we were doing.
    return {cause.code, type_ + ": " + step + ": " + cause.message};
}

util::result<std::uint8_t> bme280::read_byte(std::uint8_t reg, const char* step) {
    std::array<std::uint8_t, 1> b{};
    if (auto r = read_registers(bus_, config_.address, reg, b); !r) {
        return step_failed(step, r.err());
    }
    return b[0];
}

util::result<void> bme280::write_byte(std::uint8_t reg, std::uint8_t value, const char* step) {
    if (auto r = write_register(bus_, config_.address, reg, value); !r) {
        return step_failed(step, r.err());
    }
    return {};
}

std::uint8_t bme280::ctrl_meas(std::uint8_t mode) const {
    return static_cast<std::uint8_t>(bits(config_.temperature) << 5 | bits(config_.pressure) << 2 |
                                     mode);
}

util::result<void> bme280::open() {
    chip_ = bmx280_chip::any;
    phase_ = phase::closed;
    if (config_.temperature == bmx280_oversampling::skipped) {
        return fail(hw_errc::not_supported, -1,
                    "temperature cannot be skipped: pressure and humidity are compensated with it");
    }
    auto id = read_byte(reg_id, "reading chip id");
    if (!id) return id.err();
    const bmx280_chip found = chip_of(*id);
    if (found == bmx280_chip::any ||
        (config_.expect != bmx280_chip::any && found != config_.expect)) {
        return fail(hw_errc::bad_chip_id, reg_id,
                    "chip id " + hex(*id) + " found, expected " + chip_name(config_.expect));
    }
    if (config_.soft_reset) {
        if (auto r = write_byte(reg_reset, reset_word, "soft reset"); !r) return r;
    }
    // The NVM copy, the calibration and the configuration follow in attempt(), once the chip
    // is up (t_startup after the reset) and says the copy is done.
    wait_before_first_attempt(config_.soft_reset ? startup_time : std::chrono::milliseconds(0));
    chip_ = found;
    phase_ = phase::starting;
    start_polling();
    return {};
}

measure_result bme280::attempt() {
    if (phase_ == phase::closed) {
        return fail(hw_errc::io_error, -1, "measure() without a successful open()");
    }
    if (auto wait = startup_wait()) return *wait;
    switch (phase_) {
        case phase::reset_due:
            if (auto r = write_byte(reg_reset, reset_word, "soft reset"); !r) return r.err();
            phase_ = phase::starting;
            start_polling();
            return measure_result::converting(startup_time, type_ + ": starting up");
        case phase::starting:
            return finish_start();
        case phase::converting:
            return finish_conversion();
        case phase::idle:
        case phase::closed:
            break;
    }
    return start_conversion();
}

measure_result bme280::finish_start() {
    const char* const copy = config_.soft_reset ? "NVM copy after reset" : "NVM copy";
    auto status = read_byte(reg_status, "reading status");
    if (!status) return restart(status.err());
    if ((*status & status_im_update) != 0) {
        return poll_again(config_.status_polls, config_.poll_interval,
                          type_ + ": " + copy + " running", [&] {
                              return restart(fail(hw_errc::timeout, reg_status,
                                                  std::string(copy) + " still running after " +
                                                      std::to_string(config_.status_polls) +
                                                      " polls (status stuck?)"));
                          });
    }
    if (auto r = configure(); !r) return restart(r.err());
    phase_ = phase::idle;
    return start_conversion();
}

util::error bme280::restart(util::error cause) {
    // The next attempt() starts the chip afresh: a reset (when configured) and its NVM copy.
    phase_ = config_.soft_reset ? phase::reset_due : phase::starting;
    start_polling();
    return cause;
}

util::result<void> bme280::configure() {
    std::array<std::uint8_t, bmx280_calib0_size> block0{};
    std::array<std::uint8_t, bme280_calib1_size> block1{};
    if (auto r = read_registers(bus_, config_.address, bmx280_calib0_reg, block0); !r) {
        return step_failed("reading calibration 0x88..0xA1", r.err());
    }
    std::span<const std::uint8_t> humidity_block;
    if (has_humidity()) {
        if (auto r = read_registers(bus_, config_.address, bme280_calib1_reg, block1); !r) {
            return step_failed("reading calibration 0xE1..0xE7", r.err());
        }
        humidity_block = block1;
    }
    const auto cal = decode_bmx280_calibration(block0, humidity_block);
    if (auto r = check_bmx280_calibration(cal); !r) {
        return fail(r.err().code, bmx280_calib0_reg, r.err().message + " (blank or damaged NVM?)");
    }

    // Sleep mode first: writes to "config" may be ignored in normal mode (data sheet 5.4.6).
    if (auto r = write_byte(reg_ctrl_meas, ctrl_meas(mode_sleep), "writing ctrl_meas"); !r) {
        return r;
    }
    const auto config_reg =
        static_cast<std::uint8_t>((static_cast<unsigned>(config_.filter) & 7) << 2);
    if (auto r = write_byte(reg_config, config_reg, "writing config"); !r) return r;
    cal_ = cal;
    return {};
}

measure_result bme280::finish_conversion() {
    auto status = read_byte(reg_status, "reading status");
    if (!status) {
        phase_ = phase::idle;
        return status.err();
    }
    if ((*status & status_measuring) != 0) {
        return poll_again(
            config_.status_polls, config_.poll_interval, type_ + ": conversion running", [&] {
                phase_ = phase::idle;
                return fail(hw_errc::timeout, reg_status,
                            "measurement still running after " +
                                std::to_string(config_.status_polls) + " polls (status stuck?)");
            });
    }
    phase_ = phase::idle;
    return read_result();
}

measure_result bme280::start_conversion() {
    // ctrl_hum only takes effect with the next write to ctrl_meas (data sheet 5.4.3).
    if (has_humidity()) {
        if (auto r = write_byte(reg_ctrl_hum, bits(config_.humidity), "writing ctrl_hum"); !r) {
            return r.err();
        }
    }
    if (auto r = write_byte(reg_ctrl_meas, ctrl_meas(mode_forced), "starting forced measurement");
        !r) {
        return r.err();
    }
    phase_ = phase::converting;
    start_polling();
    return measure_result::converting(conversion_time(), type_ + ": conversion running");
}

std::chrono::milliseconds bme280::conversion_time() const {
    return std::chrono::ceil<std::chrono::milliseconds>(bmx280_max_measurement_time(
        config_.temperature, config_.pressure,
        has_humidity() ? config_.humidity : bmx280_oversampling::skipped));
}

util::result<reading> bme280::read_result() {
    const bool humidity = has_humidity() && config_.humidity != bmx280_oversampling::skipped;
    const bool pressure = config_.pressure != bmx280_oversampling::skipped;
    // One burst so all words come from the same conversion (data sheet 4.1, register shadowing).
    std::array<std::uint8_t, 8> data{};
    const std::size_t size = has_humidity() ? 8 : 6;
    if (auto r = read_registers(bus_, config_.address, bmx280_data_reg,
                                std::span<std::uint8_t>(data).first(size));
        !r) {
        return step_failed("reading data 0xF7..", r.err());
    }
    const auto raw = decode_bmx280_raw(std::span<const std::uint8_t>(data).first(size));
    auto values = convert_bmx280(cal_, raw, pressure, humidity);
    if (!values) return fail(values.err().code, bmx280_data_reg, values.err().message);

    reading out;
    out.push_back({"temperature", values->celsius, "°C"});
    if (values->has_pressure) out.push_back({"pressure", values->hpa, "hPa"});
    if (values->has_humidity) out.push_back({"humidity", values->rh, "%RH"});
    return out;
}

bool bme280_probe(i2c_bus& bus, std::uint8_t address) {
    std::array<std::uint8_t, 1> id{};
    if (!read_registers(bus, address, reg_id, id)) return false;
    return id[0] == bme280_chip_id || id[0] == bmp280_chip_id;
}

}  // namespace piogate::hw
