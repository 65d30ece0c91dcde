#include "hw/sensors/sht3x.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <array>
#include <chrono>

#include "hw/sensors/crc8.hpp"
#include "hw/sensors/temperature_range.hpp"

namespace piogate::hw {

namespace {

using namespace std::chrono_literals;

constexpr std::uint16_t cmd_measure_high = 0x2400;  // single shot, high repeatability, no stretch
constexpr std::uint16_t cmd_read_status = 0xF32D;
constexpr std::uint16_t cmd_soft_reset = 0x30A2;

constexpr auto soft_reset_time = 2ms;  // tSR max 1.5 ms
constexpr auto measurement_time = sht3x_measurement_time;
constexpr auto retry_interval = sht3x_retry_interval;
constexpr int read_retries = sht3x_read_retries;

const std::string type_name = "sht3x";

std::uint16_t word(std::uint8_t msb, std::uint8_t lsb) {
    return static_cast<std::uint16_t>((msb << 8) | lsb);
}

util::error wrap(const char* what, const util::error& cause) {
    return {cause.code, type_name + " " + what + ": " + cause.message};
}

}  // namespace

double sht3x_celsius(std::uint16_t raw) {
    return -45.0 + 175.0 * raw / 65535.0;
}

double sht3x_humidity(std::uint16_t raw) {
    return 100.0 * raw / 65535.0;
}

util::result<reading> sht3x_decode(std::span<const std::uint8_t, 6> frame,
                                   const std::string& where) {
    if (auto r = check_crc8(frame.subspan<0, 2>(), frame[2], sht3x_crc_polynomial, sht3x_crc_init,
                            where, "temperature");
        !r) {
        return r.err();
    }
    if (auto r = check_crc8(frame.subspan<3, 2>(), frame[5], sht3x_crc_polynomial, sht3x_crc_init,
                            where, "humidity");
        !r) {
        return r.err();
    }
    const std::uint16_t raw_t = word(frame[0], frame[1]);
    const std::uint16_t raw_rh = word(frame[3], frame[4]);
    const double celsius = sht3x_celsius(raw_t);
    if (auto r = check_temperature(where, celsius, raw_t, 4, "SHT3x", sht3x_min_celsius,
                                   sht3x_max_celsius);
        !r) {
        return r.err();
    }
    // 0..65535 maps onto 0..100 %RH exactly: every humidity word is possible.
    return reading{{"temperature", celsius, "°C"}, {"humidity", sht3x_humidity(raw_rh), "%RH"}};
}

sht3x::sht3x(i2c_bus& bus, sht3x_config config) : bus_(bus), config_(config) {}

const std::string& sht3x::type() const {
    return type_name;
}

std::string sht3x::where() const {
    return bus_.name() + " " + hex(config_.address) + " sht3x";
}

util::result<void> sht3x::send(std::uint16_t command, const char* what) {
    const std::array<std::uint8_t, 2> bytes{static_cast<std::uint8_t>(command >> 8),
                                            static_cast<std::uint8_t>(command & 0xFF)};
    if (auto r = bus_.write(config_.address, bytes); !r) return wrap(what, r.err());
    return {};
}

util::result<void> sht3x::open() {
    phase_ = phase::idle;
    if (auto r = send(cmd_soft_reset, "soft reset (0x30A2)"); !r) return r;
    wait_before_first_attempt(soft_reset_time);
    phase_ = phase::checking;
    return {};
}

util::result<void> sht3x::read_status() {
    if (auto r = send(cmd_read_status, "status read (0xF32D)"); !r) return r;
    std::array<std::uint8_t, 3> status{};
    if (auto r = bus_.read(config_.address, status); !r) {
        return wrap("status read (0xF32D)", r.err());
    }
    if (auto r = check_crc8(std::span(status).first<2>(), status[2], sht3x_crc_polynomial,
                            sht3x_crc_init, where(), "status register (no SHT3x here?)");
        !r) {
        return r;
    }
    status_ = word(status[0], status[1]);
    return {};
}

measure_result sht3x::attempt() {
    if (auto wait = startup_wait()) return *wait;
    switch (phase_) {
        case phase::reset_due:
            if (auto r = send(cmd_soft_reset, "soft reset (0x30A2)"); !r) return r.err();
            phase_ = phase::checking;
            return measure_result::converting(soft_reset_time, type_name + ": soft reset");
        case phase::checking:
            if (auto r = read_status(); !r) {
                phase_ = phase::reset_due;
                return r.err();
            }
            return start_measurement();
        case phase::idle:
            return start_measurement();
        case phase::converting:
            break;
    }
    std::array<std::uint8_t, 6> frame{};
    if (auto r = bus_.read(config_.address, frame); !r) {
        if (r.err().code != hw_errc::no_device) {
            phase_ = phase::idle;
            return wrap("result read", r.err());
        }
        return poll_again(
            read_retries, retry_interval,
            type_name + ": conversion running (the chip NACKs the read)", [&] {
                phase_ = phase::idle;
                const auto waited = measurement_time + read_retries * retry_interval;
                return hw_fail(hw_errc::timeout,
                               where() + ": no result " + std::to_string(waited.count()) +
                                   " ms after the measurement command (the chip NACKs the read)");
            });
    }
    phase_ = phase::idle;
    return sht3x_decode(frame, where());
}

measure_result sht3x::start_measurement() {
    phase_ = phase::idle;
    if (auto r = send(cmd_measure_high, "start measurement (0x2400)"); !r) return r.err();
    phase_ = phase::converting;
    start_polling();
    return measure_result::converting(measurement_time, type_name + ": conversion running");
}

bool sht3x_probe(i2c_bus& bus, std::uint8_t address) {
    const std::array<std::uint8_t, 2> command{cmd_read_status >> 8, cmd_read_status & 0xFF};
    std::array<std::uint8_t, 3> status{};
    if (!bus.write(address, command) || !bus.read(address, status)) return false;
    return crc8(std::span(status).first<2>(), sht3x_crc_polynomial, sht3x_crc_init) == status[2];
}

}  // namespace piogate::hw
