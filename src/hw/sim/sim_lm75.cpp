#include "hw/sim/sim_lm75.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <cmath>

namespace piogate::hw {

namespace {

constexpr std::uint8_t reg_temperature = 0x00, reg_config = 0x01;
constexpr std::uint16_t tmp102_config_reset = 0x60A0;
constexpr std::uint16_t tmp102_read_only = 0x600F;  // R1:R0 and the low nibble
constexpr std::uint16_t tmp102_sd = 0x0100, tmp102_em = 0x0010;

std::int32_t steps(double value, double step, std::int32_t lowest, std::int32_t highest) {
    if (std::isnan(value)) return 0;
    const double s = std::round(value / step);
    if (s < lowest) return lowest;
    if (s > highest) return highest;
    return static_cast<std::int32_t>(s);
}

}  // namespace

sim_lm75::sim_lm75(lm75_variant variant) : variant_(variant) {
    const bool tmp102 = variant == lm75_variant::tmp102;
    words_[reg_config] = tmp102 ? tmp102_config_reset : 0x00;
    words_[0x02] = 0x4B00;  // 75 °C
    words_[0x03] = 0x5000;  // 80 °C
    words_[reg_temperature] = temperature_word(variant, celsius_, false);
}

std::uint16_t sim_lm75::temperature_word(lm75_variant variant, double celsius, bool extended) {
    if (variant == lm75_variant::lm75) {
        return static_cast<std::uint16_t>(steps(celsius, 0.5, -256, 255) << 7);
    }
    if (extended) {
        return static_cast<std::uint16_t>(steps(celsius, 0.0625, -4096, 4095) << 3 | 1);
    }
    return static_cast<std::uint16_t>(steps(celsius, 0.0625, -2048, 2047) << 4);
}

void sim_lm75::set_temperature(double celsius) {
    std::lock_guard lock(mutex_);
    celsius_ = celsius;
}

bool sim_lm75::shut_down() const {
    std::lock_guard lock(mutex_);
    return shutdown_bit();
}

bool sim_lm75::shutdown_bit() const {
    const std::uint16_t cfg = words_[reg_config];
    return variant_ == lm75_variant::tmp102 ? (cfg & tmp102_sd) != 0 : (cfg & 0x01) != 0;
}

bool sim_lm75::extended() const {
    return variant_ == lm75_variant::tmp102 && (words_[reg_config] & tmp102_em) != 0;
}

bool sim_lm75::has_register(std::uint8_t reg) const {
    return reg <= 0x03;
}

int sim_lm75::register_size(std::uint8_t reg) const {
    return reg == reg_config && variant_ == lm75_variant::lm75 ? 1 : 2;
}

void sim_lm75::on_word_written(std::uint8_t reg, std::uint16_t value) {
    if (reg == reg_temperature) return;  // read-only
    if (reg == reg_config) {
        if (variant_ == lm75_variant::tmp102) {
            value = static_cast<std::uint16_t>((value & ~tmp102_read_only) |
                                               (words_[reg] & tmp102_read_only));
        }
        words_[reg] = value;
        return;
    }
    // Limits: 9-bit (LM75) or 12-bit (TMP102) registers; the unused low bits read 0.
    words_[reg] =
        static_cast<std::uint16_t>(value & (variant_ == lm75_variant::lm75 ? 0xFF80 : 0xFFF0));
}

std::uint16_t sim_lm75::on_word_read(std::uint8_t reg) {
    if (reg == reg_temperature && !shutdown_bit()) {
        words_[reg] = temperature_word(variant_, celsius_, extended());
    }
    return words_[reg];
}

}  // namespace piogate::hw
