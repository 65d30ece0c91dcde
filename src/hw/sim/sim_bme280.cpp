#include "hw/sim/sim_bme280.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <cmath>
#include <cstdlib>

namespace piogate::hw {

namespace {

// Register map, written out here rather than shared with the driver, so a wrong address on
// either side shows up as a failing test instead of agreeing with itself.
constexpr std::uint8_t reg_calib0 = 0x88;
constexpr std::uint8_t reg_id = 0xD0;
constexpr std::uint8_t reg_reset = 0xE0;
constexpr std::uint8_t reg_calib1 = 0xE1;
constexpr std::uint8_t reg_ctrl_hum = 0xF2;
constexpr std::uint8_t reg_status = 0xF3;
constexpr std::uint8_t reg_ctrl_meas = 0xF4;
constexpr std::uint8_t reg_config = 0xF5;
constexpr std::uint8_t reg_press = 0xF7;  // press 0xF7..0xF9, temp 0xFA..0xFC, hum 0xFD..0xFE

// t_startup (data sheet table 1): the chip answers, its NVM copied, this long after a reset.
constexpr auto nvm_copy_time = std::chrono::milliseconds(2);

int factor(unsigned osrs) {
    return osrs == 0 ? 0 : 1 << (std::min(osrs, 5u) - 1);
}

// Temperature and pressure resolve 16 + (osrs - 1) bits of their 20-bit word, all 20 with the
// IIR filter on (data sheet 3.4, measurement flow).
int adc_bits(unsigned osrs, bool filter) {
    return filter ? 20 : 15 + static_cast<int>(std::min(osrs, 5u));
}

// Data sheet 9.1: t_measure,typ = 1 + 2·T + (2·P + 0.5) + (2·H + 0.5) ms.
std::chrono::microseconds typical_time(unsigned t, unsigned p, unsigned h) {
    auto us = 1000 + 2000 * factor(t);
    if (p) us += 2000 * factor(p) + 500;
    if (h) us += 2000 * factor(h) + 500;
    return std::chrono::microseconds{us};
}

// The raw word (a multiple of the ADC step, inside a `width`-bit register) whose compensated
// value is nearest to `target`, for a compensation monotonic in the raw word.
template <class ValueOf>
std::int32_t invert(ValueOf value_of, double target, int bits, int width, bool increasing) {
    const int shift = width - bits;
    auto value = [&](std::int64_t k) { return value_of(static_cast<std::int32_t>(k << shift)); };
    auto reached = [&](std::int64_t k) {
        return increasing ? value(k) >= target : value(k) <= target;
    };
    std::int64_t lo = 0, hi = (std::int64_t{1} << bits) - 1;
    if (!reached(hi)) return static_cast<std::int32_t>(hi << shift);
    while (lo < hi) {
        const auto mid = lo + (hi - lo) / 2;
        if (reached(mid))
            hi = mid;
        else
            lo = mid + 1;
    }
    if (lo > 0 && std::abs(value(lo - 1) - target) < std::abs(value(lo) - target)) --lo;
    return static_cast<std::int32_t>(lo << shift);
}

}  // namespace

bmx280_calibration sim_bme280::datasheet_calibration() {
    bmx280_calibration c;
    c.t1 = 27504, c.t2 = 26435, c.t3 = -1000;
    c.p1 = 36477, c.p2 = -10685, c.p3 = 3024, c.p4 = 2855, c.p5 = 140, c.p6 = -7;
    c.p7 = 15500, c.p8 = -14600, c.p9 = 6000;
    c.h1 = 75, c.h2 = 362, c.h3 = 0, c.h4 = 333, c.h5 = 50, c.h6 = 30;
    return c;
}

sim_bme280::sim_bme280(sim_bmx280_model model, const bmx280_calibration& cal)
    : model_(model), cal_(cal) {
    std::array<std::uint8_t, bmx280_calib0_size> block0{};
    std::array<std::uint8_t, bme280_calib1_size> block1{};
    encode_bmx280_calibration(cal_, block0, block1);
    const bool bme = model_ == sim_bmx280_model::bme280;
    for (std::size_t i = 0; i < block0.size(); ++i) shadow_[reg_calib0 + i] = block0[i];
    if (bme) {
        for (std::size_t i = 0; i < block1.size(); ++i) shadow_[reg_calib1 + i] = block1[i];
    } else {
        shadow_[reg_calib0 + 25] = 0;  // 0xA1 is reserved on the BMP280: no dig_H1
    }
    shadow_[reg_id] = bme ? bme280_chip_id : bmp280_chip_id;
    std::lock_guard lock(mutex_);
    regs_ = shadow_;
    power_on_reset();
    nvm_copied_at_ = {};
}

void sim_bme280::set_environment(double celsius, double rh, double hpa) {
    std::lock_guard lock(mutex_);
    celsius_ = celsius, rh_ = rh, hpa_ = hpa;
}

void sim_bme280::set_extra_conversion_time(std::chrono::microseconds extra) {
    std::lock_guard lock(mutex_);
    extra_ = extra;
}

void sim_bme280::set_extra_nvm_copy_time(std::chrono::microseconds extra) {
    std::lock_guard lock(mutex_);
    extra_nvm_ = extra;
}

void sim_bme280::set_output_skipped(bool skipped) {
    std::lock_guard lock(mutex_);
    skipped_ = skipped;
}

int sim_bme280::conversions_started() const {
    std::lock_guard lock(mutex_);
    return conversions_;
}

int sim_bme280::resets() const {
    std::lock_guard lock(mutex_);
    return resets_;
}

bool sim_bme280::on_write(std::span<const std::uint8_t> data) {
    // Multi-byte I2C writes are (register, value) pairs, not auto-increment (data sheet 6.2.1).
    for (std::size_t i = 0; i < data.size(); i += 2) {
        sim_register_device::on_write(data.subspan(i, std::min<std::size_t>(2, data.size() - i)));
    }
    return true;
}

bool sim_bme280::writable(std::uint8_t address) const {
    if (address == reg_ctrl_hum) return model_ == sim_bmx280_model::bme280;
    return address == reg_reset || address == reg_ctrl_meas || address == reg_config;
}

void sim_bme280::put(std::uint8_t address, std::uint8_t value) {
    regs_[address] = shadow_[address] = value;
}

void sim_bme280::power_on_reset() {
    for (unsigned a = reg_ctrl_hum; a <= 0xFF; ++a) put(static_cast<std::uint8_t>(a), 0);
    put(reg_press, 0x80);  // press_msb, temp_msb, hum_msb reset to 0x80 (data sheet 5.3)
    put(reg_press + 3, 0x80);
    if (model_ == sim_bmx280_model::bme280) put(reg_press + 6, 0x80);
    put(reg_reset, 0);
    osrs_h_latched_ = 0;
    converting_ = false;
    nvm_copied_at_ = chip_clock().now() + nvm_copy_time + extra_nvm_;
}

void sim_bme280::on_register_written(std::uint8_t address, std::uint8_t value) {
    if (!writable(address)) {
        regs_[address] = shadow_[address];
        return;
    }
    switch (address) {
        case reg_reset:
            regs_[reg_reset] = 0;  // reads back 0x00 whatever was written
            if (value == 0xB6) {
                ++resets_;
                power_on_reset();
            }
            break;
        case reg_ctrl_hum:
            put(address, value & 0x07);
            break;
        case reg_config:
            put(address, value & 0xFD);
            break;  // bit 1 reserved
        case reg_ctrl_meas:
            put(address, value);
            osrs_h_latched_ = regs_[reg_ctrl_hum] & 0x07;  // ctrl_hum takes effect now
            if ((value & 0x03) == 0x01 || (value & 0x03) == 0x02)
                start_conversion(chip_clock().now());
            break;
        default:
            break;
    }
}

void sim_bme280::start_conversion(util::steady_time now) {
    ++conversions_;
    const unsigned t = regs_[reg_ctrl_meas] >> 5, p = (regs_[reg_ctrl_meas] >> 2) & 7;
    const unsigned h = model_ == sim_bmx280_model::bme280 ? osrs_h_latched_ : 0;
    pending_ = convert_environment();
    converting_ = true;
    done_at_ = now + typical_time(t, p, h) + extra_;
}

void sim_bme280::before_read(std::uint8_t) {
    const auto now = chip_clock().now();
    if (converting_ && now >= done_at_) {
        converting_ = false;
        commit(pending_);
        put(reg_ctrl_meas, regs_[reg_ctrl_meas] & 0xFC);  // forced mode ends in sleep mode
    } else if (!converting_ && (regs_[reg_ctrl_meas] & 0x03) == 0x03) {
        commit(convert_environment());  // normal mode: always a fresh sample
    }
    put(reg_status,
        static_cast<std::uint8_t>((converting_ ? 0x08 : 0) | (now < nvm_copied_at_ ? 0x01 : 0)));
}

sim_bme280::sample sim_bme280::convert_environment() const {
    sample s{bmx280_skipped_20bit, bmx280_skipped_20bit, bme280_skipped_humidity};
    if (skipped_) return s;
    const unsigned t = regs_[reg_ctrl_meas] >> 5, p = (regs_[reg_ctrl_meas] >> 2) & 7;
    const bool filter = ((regs_[reg_config] >> 2) & 7) != 0;
    auto t_fine_of = [&](std::int32_t raw) { return compensate_temperature(cal_, raw).t_fine; };
    auto celsius_of = [&](std::int32_t raw) { return t_fine_of(raw) / 5120.0; };
    // Pressure and humidity depend on the temperature even when its output is skipped.
    const std::int32_t t_fine = t_fine_of(invert(celsius_of, celsius_, 20, 20, true));
    if (t) s.adc_t = invert(celsius_of, celsius_, adc_bits(t, filter), 20, true);
    if (p) {
        auto hpa_of = [&](std::int32_t raw) {
            return compensate_pressure_q24_8(cal_, raw, t_fine) / 25600.0;
        };
        s.adc_p = invert(hpa_of, hpa_, adc_bits(p, filter), 20, false);
    }
    if (model_ == sim_bmx280_model::bme280 && osrs_h_latched_) {
        auto rh_of = [&](std::int32_t raw) {
            return compensate_humidity_q22_10(cal_, raw, t_fine) / 1024.0;
        };
        s.adc_h = invert(rh_of, rh_, 16, 16, true);
    }
    return s;
}

void sim_bme280::commit(const sample& s) {
    auto put20 = [&](std::uint8_t at, std::int32_t v) {
        put(at, static_cast<std::uint8_t>(v >> 12));
        put(at + 1, static_cast<std::uint8_t>((v >> 4) & 0xFF));
        put(at + 2, static_cast<std::uint8_t>((v & 0x0F) << 4));
    };
    put20(reg_press, s.adc_p);
    put20(reg_press + 3, s.adc_t);
    if (model_ == sim_bmx280_model::bme280) {
        put(reg_press + 6, static_cast<std::uint8_t>(s.adc_h >> 8));
        put(reg_press + 7, static_cast<std::uint8_t>(s.adc_h & 0xFF));
    }
}

}  // namespace piogate::hw
