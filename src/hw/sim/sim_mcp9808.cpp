#include "hw/sim/sim_mcp9808.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <cmath>

#include "hw/sensors/word_register.hpp"

namespace piogate::hw {

namespace {

constexpr std::uint8_t reg_config = 0x01, reg_upper = 0x02, reg_lower = 0x03, reg_crit = 0x04;
constexpr std::uint8_t reg_ambient = 0x05, reg_manufacturer = 0x06, reg_device = 0x07;
constexpr std::uint8_t reg_resolution = 0x08;
constexpr std::uint16_t config_shutdown = 0x0100;
constexpr std::uint16_t flag_crit = 0x8000, flag_upper = 0x4000, flag_lower = 0x2000;

// Code of `celsius` in 1/16 °C, rounded down to a multiple of `step` codes, 13-bit clamp.
std::int32_t sixteenths(double celsius, int step) {
    if (std::isnan(celsius)) return 0;
    double c = std::floor(celsius * 16.0 / step) * step;
    if (c < -4096) c = -4096;
    if (c > 4095) c = 4095;
    return static_cast<std::int32_t>(c);
}

double limit_celsius(std::uint16_t word) {
    return sign_extend(word >> 2 & 0x7FF, 11) * 0.25;
}

}  // namespace

sim_mcp9808::sim_mcp9808() {
    words_[0x00] = 0x001D;
    words_[reg_manufacturer] = 0x0054;
    words_[reg_device] = 0x0400;
    words_[reg_resolution] = 0x03;
    words_[reg_ambient] = ambient();
}

std::uint16_t sim_mcp9808::ambient_word(double celsius) {
    return static_cast<std::uint16_t>(sixteenths(celsius, 1) & 0x1FFF);
}

void sim_mcp9808::set_temperature(double celsius) {
    std::lock_guard lock(mutex_);
    celsius_ = celsius;
}

void sim_mcp9808::set_ids(std::uint16_t manufacturer, std::uint16_t device) {
    std::lock_guard lock(mutex_);
    words_[reg_manufacturer] = manufacturer;
    words_[reg_device] = device;
}

bool sim_mcp9808::shut_down() const {
    std::lock_guard lock(mutex_);
    return words_[reg_config] & config_shutdown;
}

std::uint16_t sim_mcp9808::ambient() const {
    const int step = 1 << (3 - (words_[reg_resolution] & 0x03));  // 8, 4, 2, 1 sixteenths
    const std::int32_t code = sixteenths(celsius_, step);
    auto word = static_cast<std::uint16_t>(code & 0x1FFF);
    const double t = code / 16.0;
    if (t >= limit_celsius(words_[reg_crit])) word |= flag_crit;
    if (t > limit_celsius(words_[reg_upper])) word |= flag_upper;
    if (t < limit_celsius(words_[reg_lower])) word |= flag_lower;
    return word;
}

bool sim_mcp9808::has_register(std::uint8_t reg) const {
    return reg <= reg_resolution;
}

int sim_mcp9808::register_size(std::uint8_t reg) const {
    return reg == reg_resolution ? 1 : 2;
}

void sim_mcp9808::on_word_written(std::uint8_t reg, std::uint16_t value) {
    switch (reg) {
        case reg_config:
            words_[reg] = value & 0x07FF;
            break;
        case reg_upper:
        case reg_lower:
        case reg_crit:
            words_[reg] = value & 0x1FFC;
            break;
        case reg_resolution:
            words_[reg] = value & 0x03;
            break;
        default:
            break;  // reserved and read-only registers
    }
}

std::uint16_t sim_mcp9808::on_word_read(std::uint8_t reg) {
    if (reg == reg_ambient && !(words_[reg_config] & config_shutdown)) words_[reg] = ambient();
    return words_[reg];
}

}  // namespace piogate::hw
