#include "hw/sensors/aht20.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <array>
#include <chrono>
#include <thread>

#include "hw/sensors/crc8.hpp"
#include "hw/sensors/temperature_range.hpp"

namespace piogate::hw {

namespace {

using namespace std::chrono_literals;

constexpr std::array<std::uint8_t, 1> cmd_status{0x71};
constexpr std::array<std::uint8_t, 3> cmd_initialize{0xBE, 0x08, 0x00};
constexpr std::array<std::uint8_t, 3> cmd_trigger{0xAC, 0x33, 0x00};

constexpr auto power_up_time = 40ms;
constexpr auto initialize_time = 10ms;
constexpr auto measurement_time = aht20_measurement_time;
constexpr auto poll_interval = aht20_poll_interval;
constexpr int polls = aht20_polls;

const std::string type_name = "aht20";

util::error wrap(const char* what, const util::error& cause) {
    return {cause.code, type_name + " " + what + ": " + cause.message};
}

}  // namespace

double aht20_humidity(std::uint32_t raw) {
    return raw / 1048576.0 * 100.0;
}

double aht20_celsius(std::uint32_t raw) {
    return raw / 1048576.0 * 200.0 - 50.0;
}

util::result<reading> aht20_decode(std::span<const std::uint8_t, 7> frame,
                                   const std::string& where) {
    if (auto r = check_crc8(frame.first<6>(), frame[6], aht20_crc_polynomial, aht20_crc_init, where,
                            "measurement");
        !r) {
        return r.err();
    }
    const std::uint8_t status = frame[0];
    if ((status & aht20_status_busy) != 0) {
        return hw_fail(hw_errc::out_of_range,
                       where + ": status " + hex(status) + " says busy: the data is stale");
    }
    if ((status & aht20_status_calibrated) == 0) {
        return hw_fail(hw_errc::out_of_range,
                       where + ": status " + hex(status) + " says uncalibrated");
    }
    const std::uint32_t raw_rh =
        (std::uint32_t{frame[1]} << 12) | (std::uint32_t{frame[2]} << 4) | (frame[3] >> 4);
    const std::uint32_t raw_t =
        (std::uint32_t{frame[3] & 0x0FU} << 16) | (std::uint32_t{frame[4]} << 8) | frame[5];
    const double celsius = aht20_celsius(raw_t);
    if (auto r = check_temperature(where, celsius, raw_t, 5, "AHT20", aht20_min_celsius,
                                   aht20_max_celsius);
        !r) {
        return r.err();
    }
    return reading{{"temperature", celsius, "°C"}, {"humidity", aht20_humidity(raw_rh), "%RH"}};
}

aht20::aht20(i2c_bus& bus, aht20_config config) : bus_(bus), config_(config) {}

const std::string& aht20::type() const {
    return type_name;
}

std::string aht20::where() const {
    return bus_.name() + " " + hex(config_.address) + " aht20";
}

util::result<std::uint8_t> aht20::read_status() {
    if (auto r = bus_.write(config_.address, cmd_status); !r) {
        return wrap("status command (0x71)", r.err());
    }
    std::array<std::uint8_t, 1> status{};
    if (auto r = bus_.read(config_.address, status); !r) return wrap("status read", r.err());
    return status[0];
}

util::result<void> aht20::open() {
    converting_ = false;
    std::this_thread::sleep_for(power_up_time);
    auto status = read_status();
    if (!status) return status.err();
    if ((*status & aht20_status_calibrated) != 0) return {};
    if (auto r = bus_.write(config_.address, cmd_initialize); !r) {
        return wrap("initialization (0xBE 0x08 0x00)", r.err());
    }
    std::this_thread::sleep_for(initialize_time);
    status = read_status();
    if (!status) return status.err();
    if ((*status & aht20_status_calibrated) == 0) {
        return hw_fail(hw_errc::bad_chip_id, where() + ": status " + hex(*status) +
                                                 " still says uncalibrated after initialization "
                                                 "(not an AHT20?)");
    }
    return {};
}

measure_result aht20::attempt() {
    if (!converting_) {
        if (auto r = bus_.write(config_.address, cmd_trigger); !r) {
            return wrap("trigger (0xAC 0x33 0x00)", r.err());
        }
        converting_ = true;
        start_polling();
        return measure_result::converting(measurement_time, type_name + ": conversion running");
    }
    std::array<std::uint8_t, 7> frame{};
    if (auto r = bus_.read(config_.address, frame); !r) {
        converting_ = false;
        return wrap("result read", r.err());
    }
    if ((frame[0] & aht20_status_busy) != 0) {
        return poll_again(polls, poll_interval, type_name + ": conversion running (busy)", [&] {
            converting_ = false;
            const auto waited = measurement_time + polls * poll_interval;
            return hw_fail(hw_errc::timeout,
                           where() + ": still busy " + std::to_string(waited.count()) +
                               " ms after the trigger (status " + hex(frame[0]) + ")");
        });
    }
    converting_ = false;
    return aht20_decode(frame, where());
}

bool aht20_probe(i2c_bus& bus, std::uint8_t address) {
    std::array<std::uint8_t, 1> status{};
    return bus.read(address, status).ok() && status[0] != 0xFF;
}

}  // namespace piogate::hw
