#include "hw/sim/sim_htu21d.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <cmath>

#include "hw/sensors/crc8.hpp"

namespace piogate::hw {

namespace {

constexpr std::uint8_t writable_bits = 0x87;  // resolution (7, 0), heater (2), OTP reload (1)

// Resolution bits 7 and 0 of the user register: the measured bits of RH and T.
struct resolution {
    int rh_bits, t_bits;
};

resolution resolution_of(std::uint8_t user_register) {
    switch (((user_register >> 6) & 0x02) | (user_register & 0x01)) {
        case 0:
            return {12, 14};
        case 1:
            return {8, 12};
        case 2:
            return {10, 13};
        default:
            return {11, 11};
    }
}

// Rounds a 16-bit signal to the given number of significant bits.
std::uint16_t quantize(double signal, int bits) {
    const double step = 1 << (16 - bits);
    const double top = 65536.0 - step;
    double value = std::round(signal / step) * step;
    if (!(value > 0.0)) value = 0.0;  // also NaN
    if (value > top) value = top;
    return static_cast<std::uint16_t>(value);
}

}  // namespace

sim_htu21d::sim_htu21d(std::uint8_t user_register)
    : power_up_register_(user_register), user_register_(user_register) {}

void sim_htu21d::set_environment(double celsius, double relative_humidity) {
    std::lock_guard lock(mutex_);
    celsius_ = celsius;
    humidity_ = relative_humidity;
}

void sim_htu21d::set_conversion_times(std::chrono::microseconds temperature,
                                      std::chrono::microseconds humidity) {
    std::lock_guard lock(mutex_);
    temperature_time_ = temperature;
    humidity_time_ = humidity;
}

std::uint8_t sim_htu21d::user_register() const {
    std::lock_guard lock(mutex_);
    return user_register_;
}

int sim_htu21d::measurements_started() const {
    std::lock_guard lock(mutex_);
    return measurements_;
}

void sim_htu21d::start(bool humidity, bool hold) {
    const resolution res = resolution_of(user_register_);
    std::uint16_t raw = 0;
    if (humidity) {
        raw = static_cast<std::uint16_t>(
            quantize((humidity_ + 6.0) / 125.0 * 65536.0, res.rh_bits) | 0x02);
    } else {
        raw = quantize((celsius_ + 46.85) / 175.72 * 65536.0, res.t_bits);
    }
    result_[0] = static_cast<std::uint8_t>(raw >> 8);
    result_[1] = static_cast<std::uint8_t>(raw & 0xFF);
    result_[2] = crc8(std::span<const std::uint8_t>(result_, 2), 0x31, 0x00);
    pending_ = pending::measurement;
    hold_ = hold;
    ready_at_ = chip_clock().now() + (humidity ? humidity_time_ : temperature_time_);
    ++measurements_;
}

bool sim_htu21d::on_write(std::span<const std::uint8_t> data) {
    std::lock_guard lock(mutex_);
    if (pending_ == pending::measurement && chip_clock().now() < ready_at_)
        return false;  // converting
    if (data.empty()) return true;
    if (data.size() == 1) {
        switch (data[0]) {
            case 0xE3:
                start(false, true);
                return true;
            case 0xE5:
                start(true, true);
                return true;
            case 0xF3:
                start(false, false);
                return true;
            case 0xF5:
                start(true, false);
                return true;
            case 0xE7:
                pending_ = pending::user_register;
                return true;
            case 0xFE:
                user_register_ = power_up_register_;
                pending_ = pending::none;
                return true;
            default:
                return false;
        }
    }
    if (data.size() == 2 && data[0] == 0xE6) {
        user_register_ = static_cast<std::uint8_t>((data[1] & writable_bits) |
                                                   (user_register_ & ~writable_bits));
        pending_ = pending::none;
        return true;
    }
    return false;
}

bool sim_htu21d::on_read(std::span<std::uint8_t> out) {
    std::unique_lock lock(mutex_);
    std::uint8_t frame[3];
    std::size_t size = 0;
    switch (pending_) {
        case pending::none:
            return false;
        case pending::user_register:
            frame[0] = user_register_;
            size = 1;
            break;
        case pending::measurement:
            if (chip_clock().now() < ready_at_) {
                if (!hold_) return false;  // no-hold: no ACK while converting
                const auto until = ready_at_;
                lock.unlock();  // hold master: SCL held low until the result is there
                chip_clock().sleep_until(until);
                lock.lock();
            }
            std::copy(result_, result_ + 3, frame);
            size = 3;
            break;
    }
    pending_ = pending::none;
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = i < size ? frame[i] : 0xFF;
    return true;
}

}  // namespace piogate::hw
