#include "hw/sensors/htu21d.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <array>
#include <chrono>

#include "hw/sensors/crc8.hpp"
#include "hw/sensors/temperature_range.hpp"

namespace piogate::hw {

namespace {

using namespace std::chrono_literals;

constexpr std::uint8_t cmd_temperature_no_hold = 0xF3;
constexpr std::uint8_t cmd_humidity_no_hold = 0xF5;
constexpr std::uint8_t cmd_read_user_register = 0xE7;

constexpr auto temperature_time = htu21d_temperature_time;
constexpr auto humidity_time = htu21d_humidity_time;
constexpr auto retry_interval = htu21d_retry_interval;
constexpr int read_retries = htu21d_read_retries;

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
    phase_ = phase::idle;
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

namespace {
std::string describe(htu21d_quantity q) {
    return q == htu21d_quantity::humidity ? "humidity (0xF5)" : "temperature (0xF3)";
}
}  // namespace

measure_result htu21d::start(htu21d_quantity q) {
    const bool humidity = q == htu21d_quantity::humidity;
    const std::array<std::uint8_t, 1> command{humidity ? cmd_humidity_no_hold
                                                       : cmd_temperature_no_hold};
    phase_ = phase::idle;
    if (auto r = bus_.write(config_.address, command); !r) {
        return wrap(describe(q) + " command", r.err());
    }
    phase_ = humidity ? phase::humidity : phase::temperature;
    start_polling();
    return measure_result::converting(humidity ? humidity_time : temperature_time,
                                      type_name + ": conversion running");
}

measure_result htu21d::read_frame(htu21d_quantity q) {
    const std::string what = describe(q);
    std::array<std::uint8_t, 3> frame{};
    if (auto r = bus_.read(config_.address, frame); !r) {
        if (r.err().code != hw_errc::no_device) return wrap(what + " read", r.err());
        return poll_again(read_retries, retry_interval,
                          type_name + ": conversion running (the chip NACKs the read)", [&] {
                              const auto wait =
                                  q == htu21d_quantity::humidity ? humidity_time : temperature_time;
                              const auto waited = wait + read_retries * retry_interval;
                              return hw_fail(hw_errc::timeout,
                                             where() + ": " + what + ": no result " +
                                                 std::to_string(waited.count()) +
                                                 " ms after the command (the chip NACKs the read)");
                          });
    }
    auto value = htu21d_decode(frame, q, where());
    if (!value) return value.err();
    if (q == htu21d_quantity::humidity) return reading{{"humidity", *value, "%RH"}};
    return reading{{"temperature", *value, "°C"}};
}

measure_result htu21d::attempt() {
    switch (phase_) {
        case phase::idle:
            return start(htu21d_quantity::temperature);
        case phase::temperature: {
            auto r = read_frame(htu21d_quantity::temperature);
            if (r.is_again()) return r;
            if (!r) {
                phase_ = phase::idle;
                return r;
            }
            celsius_ = r->front().value;
            return start(htu21d_quantity::humidity);
        }
        case phase::humidity: {
            auto r = read_frame(htu21d_quantity::humidity);
            if (r.is_again()) return r;
            phase_ = phase::idle;
            if (!r) return r;
            return reading{{"temperature", celsius_, "°C"}, r->front()};
        }
    }
    return hw_fail(hw_errc::io_error, where() + ": bad state");
}

bool htu21d_probe(i2c_bus& bus, std::uint8_t address) {
    const std::array<std::uint8_t, 1> command{cmd_read_user_register};
    std::array<std::uint8_t, 1> value{};
    return bus.write_read(address, command, value).ok() && plausible_user_register(value[0]);
}

}  // namespace piogate::hw
