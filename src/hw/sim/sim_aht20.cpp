#include "hw/sim/sim_aht20.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <cmath>
#include <initializer_list>

#include "hw/sensors/crc8.hpp"

namespace piogate::hw {

namespace {

constexpr std::uint32_t full_scale = 1U << 20;

std::uint32_t clamp_raw(double value) {
    if (!(value > 0.0)) return 0;  // also NaN
    if (value >= full_scale - 1.0) return full_scale - 1;
    return static_cast<std::uint32_t>(std::lround(value));
}

bool is(std::span<const std::uint8_t> data, std::initializer_list<std::uint8_t> command) {
    return std::equal(data.begin(), data.end(), command.begin(), command.end());
}

}  // namespace

sim_aht20::sim_aht20(bool calibrated) : calibrated_(calibrated) {}

void sim_aht20::set_environment(double celsius, double relative_humidity) {
    std::lock_guard lock(mutex_);
    celsius_ = celsius;
    humidity_ = relative_humidity;
}

void sim_aht20::set_measurement_time(std::chrono::microseconds time) {
    std::lock_guard lock(mutex_);
    measurement_time_ = time;
}

void sim_aht20::set_accepts_initialization(bool accepts) {
    std::lock_guard lock(mutex_);
    accepts_initialization_ = accepts;
}

bool sim_aht20::calibrated() const {
    std::lock_guard lock(mutex_);
    return calibrated_;
}

int sim_aht20::measurements_started() const {
    std::lock_guard lock(mutex_);
    return measurements_;
}

std::uint32_t sim_aht20::raw_temperature(double celsius) {
    return clamp_raw((celsius + 50.0) / 200.0 * full_scale);
}

std::uint32_t sim_aht20::raw_humidity(double relative_humidity) {
    return clamp_raw(relative_humidity / 100.0 * full_scale);
}

bool sim_aht20::on_write(std::span<const std::uint8_t> data) {
    std::lock_guard lock(mutex_);
    if (data.empty() || is(data, {0x71})) return true;  // address check; status comes with reads
    if (is(data, {0xBE, 0x08, 0x00})) {
        if (accepts_initialization_) calibrated_ = true;
        return true;
    }
    if (is(data, {0xBA})) {  // soft reset: abandons a measurement, keeps the OTP calibration
        measuring_ = false;
        return true;
    }
    if (is(data, {0xAC, 0x33, 0x00})) {
        const std::uint32_t rh = raw_humidity(humidity_);
        const std::uint32_t t = raw_temperature(celsius_);
        next_[0] = static_cast<std::uint8_t>(rh >> 12);
        next_[1] = static_cast<std::uint8_t>(rh >> 4);
        next_[2] = static_cast<std::uint8_t>(((rh & 0x0F) << 4) | (t >> 16));
        next_[3] = static_cast<std::uint8_t>(t >> 8);
        next_[4] = static_cast<std::uint8_t>(t);
        measuring_ = true;
        ready_at_ = chip_clock().now() + measurement_time_;
        ++measurements_;
        return true;
    }
    return false;
}

bool sim_aht20::on_read(std::span<std::uint8_t> out) {
    std::lock_guard lock(mutex_);
    if (measuring_ && chip_clock().now() >= ready_at_) {
        std::copy(std::begin(next_), std::end(next_), std::begin(data_));
        measuring_ = false;
    }
    std::uint8_t frame[7];
    frame[0] = static_cast<std::uint8_t>(0x10 | (measuring_ ? 0x80 : 0) | (calibrated_ ? 0x08 : 0));
    std::copy(std::begin(data_), std::end(data_), frame + 1);
    frame[6] = crc8(std::span<const std::uint8_t>(frame, 6), 0x31, 0xFF);
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = i < 7 ? frame[i] : 0xFF;
    return true;
}

}  // namespace piogate::hw
