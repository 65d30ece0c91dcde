#include "hw/sim/sim_ads1115.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <cmath>

namespace piogate::hw {

namespace {

constexpr std::uint8_t reg_conversion = 0x00, reg_config = 0x01;
constexpr std::uint8_t reg_lo_thresh = 0x02, reg_hi_thresh = 0x03;
constexpr std::uint16_t os_bit = 0x8000, mode_single = 0x0100;

}  // namespace

sim_ads1115::sim_ads1115(ads1x15_chip chip) : chip_(chip) {
    words_[reg_conversion] = 0x0000;
    words_[reg_config] = ads1x15_config_reset;
    words_[reg_lo_thresh] = ads1x15_lo_thresh_reset;
    words_[reg_hi_thresh] = ads1x15_hi_thresh_reset;
}

void sim_ads1115::set_inputs(std::array<double, 4> volts) {
    std::lock_guard lock(mutex_);
    inputs_ = volts;
}

void sim_ads1115::set_input(unsigned channel, double volts) {
    std::lock_guard lock(mutex_);
    inputs_.at(channel) = volts;
}

void sim_ads1115::set_stuck(bool stuck) {
    std::lock_guard lock(mutex_);
    stuck_ = stuck;
}

int sim_ads1115::conversions_started() const {
    std::lock_guard lock(mutex_);
    return conversions_;
}

std::uint16_t sim_ads1115::code(ads1x15_chip chip, double volts, ads1x15_gain gain) {
    const bool twelve = chip == ads1x15_chip::ads1015;
    const double steps = twelve ? 2048.0 : 32768.0;
    double c = std::isnan(volts) ? 0.0 : std::round(volts / ads1x15_full_scale(gain) * steps);
    if (c > steps - 1) c = steps - 1;
    if (c < -steps) c = -steps;
    const auto value = static_cast<std::int32_t>(c);
    return static_cast<std::uint16_t>(twelve ? value * 16 : value);
}

std::uint16_t sim_ads1115::sample() const {
    const std::uint16_t config = words_[reg_config];
    const unsigned mux = config >> 12 & 7;
    double v = 0;
    switch (mux) {
        case 0:
            v = inputs_[0] - inputs_[1];
            break;
        case 1:
            v = inputs_[0] - inputs_[3];
            break;
        case 2:
            v = inputs_[1] - inputs_[3];
            break;
        case 3:
            v = inputs_[2] - inputs_[3];
            break;
        default:
            v = inputs_[mux - 4];
            break;
    }
    return code(chip_, v, static_cast<ads1x15_gain>(config >> 9 & 7));
}

void sim_ads1115::update(util::steady_time now) {
    if (!converting_ || stuck_ || now < ready_at_) return;
    words_[reg_conversion] = sample();
    converting_ = false;
}

bool sim_ads1115::has_register(std::uint8_t reg) const {
    return reg <= reg_hi_thresh;
}

void sim_ads1115::on_word_written(std::uint8_t reg, std::uint16_t value) {
    const auto now = chip_clock().now();
    update(now);
    if (reg == reg_conversion) return;  // read-only
    if (reg != reg_config) {
        // ADS1015 thresholds are 12 bits: Lo's low nibble reads 0, Hi's reads F.
        if (chip_ == ads1x15_chip::ads1015)
            value = reg == reg_lo_thresh ? value & 0xFFF0 : value | 0x000F;
        words_[reg] = value;
        return;
    }
    words_[reg_config] = static_cast<std::uint16_t>(value & ~os_bit);
    if ((value & os_bit) && (value & mode_single) && !converting_) {
        converting_ = true;
        const std::uint8_t dr = value >> 5 & 7;
        ready_at_ = now + ads1x15_conversion_time(chip_, dr);
        ++conversions_;
    }
}

std::uint16_t sim_ads1115::on_word_read(std::uint8_t reg) {
    update(chip_clock().now());
    const bool continuous = (words_[reg_config] & mode_single) == 0;
    if (reg == reg_conversion && continuous) words_[reg_conversion] = sample();
    if (reg == reg_config) {
        return static_cast<std::uint16_t>(words_[reg_config] | (converting_ ? 0 : os_bit));
    }
    return words_[reg];
}

}  // namespace piogate::hw
