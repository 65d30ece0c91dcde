#include "hw/sim/sim_ina219.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "hw/sensors/ina219.hpp"

namespace piogate::hw {

namespace {

constexpr std::uint8_t reg_config = 0x00, reg_shunt = 0x01, reg_bus = 0x02;
constexpr std::uint8_t reg_power = 0x03, reg_current = 0x04, reg_calibration = 0x05;

std::int32_t clipped(double value, double low, double high) {
    if (std::isnan(value)) return 0;
    return static_cast<std::int32_t>(std::round(std::clamp(value, low, high)));
}

}  // namespace

sim_ina219::sim_ina219(double shunt_ohms) : shunt_ohms_(shunt_ohms) {
    reset();
}

void sim_ina219::set_bus(double volts, double amps) {
    std::lock_guard lock(mutex_);
    volts_ = volts;
    amps_ = amps;
}

void sim_ina219::set_stuck(bool stuck) {
    std::lock_guard lock(mutex_);
    stuck_ = stuck;
}

int sim_ina219::conversions_started() const {
    std::lock_guard lock(mutex_);
    return conversions_;
}

int sim_ina219::resets() const {
    std::lock_guard lock(mutex_);
    return resets_;
}

void sim_ina219::reset() {
    words_.fill(0);
    words_[reg_config] = ina219_config_reset;
    converting_ = cnvr_ = ovf_ = false;
}

void sim_ina219::convert() {
    const std::uint16_t cfg = words_[reg_config];
    const unsigned mode = cfg & 7;
    const double shunt_fs = 4000 << (cfg >> 11 & 3);
    const double bus_fs = cfg & 0x2000 ? 8000 : 4000;
    if (mode & 1) {
        const double code = amps_ * shunt_ohms_ / 10e-6;
        words_[reg_shunt] = static_cast<std::uint16_t>(clipped(code, -shunt_fs, shunt_fs));
    }
    if (mode & 2) {
        words_[reg_bus] = static_cast<std::uint16_t>(clipped(volts_ / 4e-3, 0, bus_fs) << 3);
    }
    const std::uint16_t cal = words_[reg_calibration];
    ovf_ = false;
    std::int64_t current = 0, power = 0;
    if (cal != 0) {
        current =
            static_cast<std::int16_t>(words_[reg_shunt]) * static_cast<std::int64_t>(cal) / 4096;
        if (current > 32767 || current < -32768) {
            ovf_ = true;
            current = current > 0 ? 32767 : -32768;
        }
        power = std::llabs(current) * (words_[reg_bus] >> 3) / 5000;
        if (power > 65535) {
            ovf_ = true;
            power = 65535;
        }
    }
    words_[reg_current] = static_cast<std::uint16_t>(current);
    words_[reg_power] = static_cast<std::uint16_t>(power);
    cnvr_ = true;
}

void sim_ina219::update(util::steady_time now) {
    const unsigned mode = words_[reg_config] & 7;
    if (mode >= 5) {
        convert();
    } else if (converting_ && !stuck_ && now >= ready_at_) {
        converting_ = false;
        convert();
    }
}

bool sim_ina219::has_register(std::uint8_t reg) const {
    return reg <= reg_calibration;
}

void sim_ina219::on_word_written(std::uint8_t reg, std::uint16_t value) {
    if (reg == reg_calibration) {
        words_[reg] = value & 0xFFFE;
        return;
    }
    if (reg != reg_config) return;  // result registers are read-only
    if (value & 0x8000) {
        reset();
        ++resets_;
        return;
    }
    words_[reg_config] = value & 0x3FFF;
    const unsigned mode = value & 7;
    cnvr_ = false;
    converting_ = false;
    if (mode >= 1 && mode <= 3) {
        auto time = std::chrono::microseconds(0);
        if (mode & 1) time += ina219_adc_time(value >> 3 & 0xF);
        if (mode & 2) time += ina219_adc_time(value >> 7 & 0xF);
        converting_ = true;
        ready_at_ = chip_clock().now() + time;
        ++conversions_;
    }
}

std::uint16_t sim_ina219::on_word_read(std::uint8_t reg) {
    update(chip_clock().now());
    if (reg == reg_bus) {
        return static_cast<std::uint16_t>((words_[reg_bus] & 0xFFF8) | (cnvr_ ? 0x2 : 0) |
                                          (ovf_ ? 0x1 : 0));
    }
    const std::uint16_t value = words_[reg];
    if (reg == reg_power) cnvr_ = false;
    return value;
}

}  // namespace piogate::hw
