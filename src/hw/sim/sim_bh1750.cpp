#include "hw/sim/sim_bh1750.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <cmath>

namespace piogate::hw {

namespace {

bool is_continuous(std::uint8_t op) {
    return op == 0x10 || op == 0x11 || op == 0x13;
}
bool is_one_time(std::uint8_t op) {
    return op == 0x20 || op == 0x21 || op == 0x23;
}
bool is_low_resolution(std::uint8_t op) {
    return (op & 0x0F) == 0x03;
}
bool is_high2(std::uint8_t op) {
    return (op & 0x0F) == 0x01;
}

}  // namespace

void sim_bh1750::set_lux(double lux) {
    std::lock_guard lock(mutex_);
    lux_ = lux;
}

void sim_bh1750::set_measurement_time(std::chrono::microseconds time) {
    std::lock_guard lock(mutex_);
    h_time_ = time;
}

bool sim_bh1750::powered() const {
    std::lock_guard lock(mutex_);
    return powered_;
}

std::uint8_t sim_bh1750::mtreg() const {
    std::lock_guard lock(mutex_);
    return mtreg_;
}

int sim_bh1750::measurements_started() const {
    std::lock_guard lock(mutex_);
    return measurements_;
}

std::uint16_t sim_bh1750::counts() const {
    double c = lux_ * 1.2 * mtreg_ / 69.0;
    if (is_high2(mode_)) c *= 2.0;
    if (!(c > 0.0)) return 0;  // also NaN
    return c >= 65535.0 ? 65535 : static_cast<std::uint16_t>(std::lround(c));
}

void sim_bh1750::update(util::steady_time now) {
    if (mode_ == 0 || now < ready_at_) return;
    data_ = counts();
    if (is_continuous(mode_)) {
        start(mode_, ready_at_);
    } else {
        mode_ = 0;
        powered_ = false;  // one-time modes end in Power Down
    }
}

void sim_bh1750::start(std::uint8_t op, util::steady_time now) {
    const auto h_time = h_time_ * mtreg_ / 69;
    const auto l_time = std::chrono::microseconds(16000) * mtreg_ / 69;
    mode_ = op;
    powered_ = true;
    ready_at_ = now + (is_low_resolution(op) ? l_time : h_time);
    ++measurements_;
}

void sim_bh1750::opcode(std::uint8_t op, util::steady_time now) {
    if (op == 0x00) {
        powered_ = false;
        mode_ = 0;
    } else if (op == 0x01) {
        powered_ = true;
    } else if (op == 0x07) {
        if (powered_) data_ = 0;
    } else if (is_continuous(op) || is_one_time(op)) {
        start(op, now);
    } else if ((op & 0xF8) == 0x40) {
        mtreg_ = static_cast<std::uint8_t>((mtreg_ & 0x1F) | (op & 0x07) << 5);
    } else if ((op & 0xE0) == 0x60) {
        mtreg_ = static_cast<std::uint8_t>((mtreg_ & 0xE0) | (op & 0x1F));
    }
}

bool sim_bh1750::on_write(std::span<const std::uint8_t> data) {
    std::lock_guard lock(mutex_);
    const auto now = chip_clock().now();
    update(now);
    for (auto op : data) opcode(op, now);
    return true;
}

bool sim_bh1750::on_read(std::span<std::uint8_t> out) {
    std::lock_guard lock(mutex_);
    update(chip_clock().now());
    for (std::size_t i = 0; i < out.size(); ++i) {
        out[i] = i == 0   ? static_cast<std::uint8_t>(data_ >> 8)
                 : i == 1 ? static_cast<std::uint8_t>(data_ & 0xFF)
                          : 0xFF;
    }
    return true;
}

}  // namespace piogate::hw
