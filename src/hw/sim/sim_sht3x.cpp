#include "hw/sim/sim_sht3x.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <cmath>

#include "hw/sensors/crc8.hpp"

namespace piogate::hw {

namespace {

// Commands from the datasheet (tables 9, 13, 16, 17, 19; serial number application note).
constexpr std::uint16_t single_high = 0x2400, single_medium = 0x240B, single_low = 0x2416;
constexpr std::uint16_t stretch_high = 0x2C06, stretch_medium = 0x2C0D, stretch_low = 0x2C10;
constexpr std::uint16_t read_status = 0xF32D, clear_status = 0x3041, soft_reset = 0x30A2;
constexpr std::uint16_t heater_on = 0x306D, heater_off = 0x3066, break_periodic = 0x3093;
constexpr std::uint16_t serial_stretch = 0x3780, serial_no_stretch = 0x3682;

constexpr std::uint16_t status_alert_pending = 0x8000, status_heater = 0x2000;
constexpr std::uint16_t status_rh_alert = 0x0800, status_t_alert = 0x0400;
constexpr std::uint16_t status_reset = 0x0010, status_command_failed = 0x0002;

constexpr std::uint32_t serial_number = 0x1A2B3C4D;

std::uint16_t clamp_raw(double value) {
    if (!(value > 0.0)) return 0;  // also NaN
    return value >= 65535.0 ? 65535 : static_cast<std::uint16_t>(std::lround(value));
}

}  // namespace

void sim_sht3x::set_environment(double celsius, double relative_humidity) {
    std::lock_guard lock(mutex_);
    celsius_ = celsius;
    humidity_ = relative_humidity;
}

void sim_sht3x::set_measurement_time(std::chrono::microseconds time) {
    std::lock_guard lock(mutex_);
    measurement_time_ = time;
}

std::uint16_t sim_sht3x::status() const {
    std::lock_guard lock(mutex_);
    return status_;
}

int sim_sht3x::measurements_started() const {
    std::lock_guard lock(mutex_);
    return measurements_;
}

std::uint16_t sim_sht3x::raw_temperature(double celsius) {
    return clamp_raw((celsius + 45.0) * 65535.0 / 175.0);
}

std::uint16_t sim_sht3x::raw_humidity(double relative_humidity) {
    return clamp_raw(relative_humidity * 65535.0 / 100.0);
}

void sim_sht3x::put_word(std::uint8_t* out, std::uint16_t word) {
    out[0] = static_cast<std::uint8_t>(word >> 8);
    out[1] = static_cast<std::uint8_t>(word & 0xFF);
    out[2] = crc8(std::span<const std::uint8_t>(out, 2), 0x31, 0xFF);
}

void sim_sht3x::start_measurement(std::chrono::microseconds time, bool stretch) {
    put_word(result_, raw_temperature(celsius_));
    put_word(result_ + 3, raw_humidity(humidity_));
    pending_ = pending::measurement;
    stretch_ = stretch;
    ready_at_ = chip_clock().now() + time;
    ++measurements_;
}

bool sim_sht3x::on_write(std::span<const std::uint8_t> data) {
    std::lock_guard lock(mutex_);
    // A measuring chip does not acknowledge its address.
    if (pending_ == pending::measurement && chip_clock().now() < ready_at_) return false;
    if (data.size() != 2) {
        status_ |= status_command_failed;
        return true;
    }
    const auto command = static_cast<std::uint16_t>((data[0] << 8) | data[1]);
    using std::chrono::microseconds;
    switch (command) {
        case single_high:
            start_measurement(measurement_time_, false);
            break;
        case single_medium:
            start_measurement(microseconds(4500), false);
            break;
        case single_low:
            start_measurement(microseconds(2500), false);
            break;
        case stretch_high:
            start_measurement(measurement_time_, true);
            break;
        case stretch_medium:
            start_measurement(microseconds(4500), true);
            break;
        case stretch_low:
            start_measurement(microseconds(2500), true);
            break;
        case read_status:
            pending_ = pending::status;
            return true;  // keeps bit 1 as it was
        case serial_stretch:
        case serial_no_stretch:
            pending_ = pending::serial;
            break;
        case clear_status:
            status_ &= ~(status_alert_pending | status_rh_alert | status_t_alert | status_reset);
            pending_ = pending::none;
            break;
        case soft_reset:
            status_ = status_alert_pending | status_reset;
            pending_ = pending::none;
            break;
        case heater_on:
            status_ |= status_heater;
            break;
        case heater_off:
            status_ &= ~status_heater;
            break;
        case break_periodic:
            pending_ = pending::none;
            break;
        default:
            status_ |= status_command_failed;
            return true;
    }
    status_ &= ~status_command_failed;
    return true;
}

bool sim_sht3x::on_read(std::span<std::uint8_t> out) {
    std::unique_lock lock(mutex_);
    std::uint8_t frame[6];
    std::size_t size = 0;
    switch (pending_) {
        case pending::none:
            return false;  // no data: the chip NACKs the read header
        case pending::measurement:
            if (chip_clock().now() < ready_at_) {
                if (!stretch_) return false;
                const auto until = ready_at_;
                lock.unlock();  // holding SCL low: the bus waits, set_environment need not
                chip_clock().sleep_until(until);
                lock.lock();
            }
            std::copy(result_, result_ + 6, frame);
            size = 6;
            break;
        case pending::status:
            put_word(frame, status_);
            size = 3;
            break;
        case pending::serial:
            put_word(frame, static_cast<std::uint16_t>(serial_number >> 16));
            put_word(frame + 3, static_cast<std::uint16_t>(serial_number & 0xFFFF));
            size = 6;
            break;
    }
    pending_ = pending::none;
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = i < size ? frame[i] : 0xFF;
    return true;
}

}  // namespace piogate::hw
