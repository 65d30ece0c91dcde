#include "hw/sensors/htu21d.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <array>
#include <chrono>
#include <thread>

#include "hw/sensors/crc8.hpp"
#include "hw/sensors/temperature_range.hpp"

namespace piogate::hw {

namespace {

using namespace std::chrono_literals;

constexpr std::uint8_t cmd_temperature_no_hold = 0xF3;
constexpr std::uint8_t cmd_humidity_no_hold = 0xF5;
constexpr std::uint8_t cmd_read_user_register = 0xE7;

constexpr auto temperature_time = 50ms;  // 14-bit maximum (Si7021: 10.8 ms)
constexpr auto humidity_time = 16ms;     // 12-bit maximum (Si7021: 12 ms)
constexpr auto retry_interval = 5ms;
constexpr int read_retries = 3;

constexpr std::uint8_t status_bits = 0x03;
constexpr std::uint8_t kind_humidity = 0x02;

const std::string type_name = "htu21d";

util::error wrap(const std::string& what, const util::error& cause) {
    return {cause.code, type_name + " " + what + ": " + cause.message};
}

bool plausible_user_register(std::uint8_t value) {
    return (value & 0x02) != 0 && value != 0xFF;
}

}  // namespace

double htu21d_celsius(std::uint16_t raw) {
    return -46.85 + 175.72 * (raw & 0xFFFC) / 65536.0;
}

double htu21d_humidity(std::uint16_t raw) {
    return -6.0 + 125.0 * (raw & 0xFFFC) / 65536.0;
}

util::result<double> htu21d_decode(std::span<const std::uint8_t, 3> frame, htu21d_quantity q,
                                   const std::string& where) {
    const bool humidity = q == htu21d_quantity::humidity;
    const char* name = humidity ? "humidity" : "temperature";
    if (auto r = check_crc8(frame.first<2>(), frame[2], htu21d_crc_polynomial, htu21d_crc_init,
                            where, name);
        !r) {
        return r.err();
    }
    if (((frame[1] & kind_humidity) != 0) != humidity) {
        return hw_fail(hw_errc::out_of_range, where + ": " + name + ": status bits of " +
                                                  hex(frame[1]) + " say " +
                                                  (humidity ? "temperature" : "humidity"));
    }
    const auto raw = static_cast<std::uint16_t>((frame[0] << 8) | frame[1]);
    if (humidity) return std::clamp(htu21d_humidity(raw), 0.0, 100.0);
    const double celsius = htu21d_celsius(raw);
    if (auto r = check_temperature(where, celsius, raw, 4, "HTU21D", htu21d_min_celsius,
                                   htu21d_max_celsius);
        !r) {
        return r.err();
    }
    return celsius;
}

htu21d::htu21d(i2c_bus& bus, htu21d_config config) : bus_(bus), config_(config) {}

const std::string& htu21d::type() const {
    return type_name;
}

std::string htu21d::where() const {
    return bus_.name() + " " + hex(config_.address) + " htu21d";
}

util::result<void> htu21d::open() {
    const std::array<std::uint8_t, 1> command{cmd_read_user_register};
    std::array<std::uint8_t, 1> value{};
    if (auto r = bus_.write_read(config_.address, command, value); !r) {
        return wrap("user register read (0xE7)", r.err());
    }
    if (!plausible_user_register(value[0])) {
        return hw_fail(hw_errc::bad_chip_id, where() + ": user register " + hex(value[0]) +
                                                 " is not an HTU21D's or Si7021's");
    }
    user_register_ = value[0];
    return {};
}

util::result<double> htu21d::convert(htu21d_quantity q) {
    const bool humidity = q == htu21d_quantity::humidity;
    const std::array<std::uint8_t, 1> command{humidity ? cmd_humidity_no_hold
                                                       : cmd_temperature_no_hold};
    const std::string what =
        std::string(humidity ? "humidity" : "temperature") + " (" + hex(command[0]) + ")";
    if (auto r = bus_.write(config_.address, command); !r) return wrap(what + " command", r.err());
    const auto wait = humidity ? humidity_time : temperature_time;
    std::this_thread::sleep_for(wait);
    std::array<std::uint8_t, 3> frame{};
    for (int attempt = 0;; ++attempt) {
        auto r = bus_.read(config_.address, frame);
        if (r) break;
        if (r.err().code != hw_errc::no_device) return wrap(what + " read", r.err());
        if (attempt == read_retries) {
            const auto waited = wait + read_retries * retry_interval;
            return hw_fail(hw_errc::timeout, where() + ": " + what + ": no result " +
                                                 std::to_string(waited.count()) +
                                                 " ms after the command (the chip NACKs the read)");
        }
        std::this_thread::sleep_for(retry_interval);
    }
    return htu21d_decode(frame, q, where());
}

util::result<reading> htu21d::measure() {
    auto celsius = convert(htu21d_quantity::temperature);
    if (!celsius) return celsius.err();
    auto humidity = convert(htu21d_quantity::humidity);
    if (!humidity) return humidity.err();
    return reading{{"temperature", *celsius, "°C"}, {"humidity", *humidity, "%RH"}};
}

bool htu21d_probe(i2c_bus& bus, std::uint8_t address) {
    const std::array<std::uint8_t, 1> command{cmd_read_user_register};
    std::array<std::uint8_t, 1> value{};
    return bus.write_read(address, command, value).ok() && plausible_user_register(value[0]);
}

}  // namespace piogate::hw
