#include "hw/sensors/bh1750.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <array>

namespace piogate::hw {

namespace {

constexpr std::uint8_t op_power_down = 0x00;
constexpr std::uint8_t op_power_on = 0x01;
constexpr std::uint8_t op_mtreg_high = 0x40;  // 01000_MT[7,6,5]
constexpr std::uint8_t op_mtreg_low = 0x60;   // 011_MT[4,3,2,1,0]

constexpr double counts_per_lux = 1.2;  // datasheet typical "measurement accuracy" at MTreg 69
constexpr std::uint16_t saturated = 0xFFFF;

const std::string type_name = "bh1750";

util::error wrap(const char* what, const util::error& cause) {
    return {cause.code, type_name + " " + what + ": " + cause.message};
}

}  // namespace

double bh1750_lux(std::uint16_t count, bh1750_mode mode, std::uint8_t mtreg) {
    double lux = count / counts_per_lux * bh1750_default_mtreg / mtreg;
    return mode == bh1750_mode::high2 ? lux / 2.0 : lux;
}

std::chrono::microseconds bh1750_max_measurement_time(bh1750_mode mode, std::uint8_t mtreg) {
    const long long at_default_us = mode == bh1750_mode::low ? 24000 : 180000;
    // Round up: waiting a microsecond too long is harmless, too short reads the old result.
    return std::chrono::microseconds((at_default_us * mtreg + bh1750_default_mtreg - 1) /
                                     bh1750_default_mtreg);
}

util::result<reading> bh1750_decode(std::span<const std::uint8_t, 2> bytes, bh1750_mode mode,
                                    std::uint8_t mtreg, const std::string& where) {
    const auto count = static_cast<std::uint16_t>(bytes[0] << 8 | bytes[1]);
    if (count == saturated) {
        return hw_fail(hw_errc::out_of_range,
                       where + ": result 0xFFFF: sensor saturated (more light than " +
                           std::to_string(static_cast<long>(bh1750_lux(count, mode, mtreg))) +
                           " lx at this MTreg)");
    }
    return reading{{"illuminance", bh1750_lux(count, mode, mtreg), "lx"}};
}

bh1750::bh1750(i2c_bus& bus, bh1750_config config) : bus_(bus), config_(config) {}

const std::string& bh1750::type() const {
    return type_name;
}

std::string bh1750::where() const {
    return bus_.name() + " " + hex(config_.address) + " bh1750";
}

util::result<void> bh1750::send(std::uint8_t opcode, const char* what) {
    const std::array<std::uint8_t, 1> byte{opcode};
    if (auto r = bus_.write(config_.address, byte); !r) return wrap(what, r.err());
    return {};
}

util::result<void> bh1750::open() {
    converting_ = false;
    if (config_.mtreg < bh1750_min_mtreg || config_.mtreg > bh1750_max_mtreg) {
        return hw_fail(hw_errc::not_supported, where() + ": measurement time register " +
                                                   std::to_string(config_.mtreg) +
                                                   " is outside the chip's 31..254");
    }
    if (auto r = send(op_power_on, "power on (0x01)"); !r) return r;
    const auto high = static_cast<std::uint8_t>(op_mtreg_high | (config_.mtreg >> 5));
    const auto low = static_cast<std::uint8_t>(op_mtreg_low | (config_.mtreg & 0x1F));
    if (auto r = send(high, "measurement time, high bits"); !r) return r;
    if (auto r = send(low, "measurement time, low bits"); !r) return r;
    return send(op_power_down, "power down (0x00)");
}

measure_result bh1750::attempt() {
    if (!converting_) {
        if (auto r = send(op_power_on, "power on (0x01)"); !r) return r.err();
        if (auto r = send(static_cast<std::uint8_t>(config_.mode), "start one-time measurement");
            !r) {
            return r.err();
        }
        converting_ = true;
        return measure_result::converting(
            std::chrono::ceil<std::chrono::milliseconds>(
                bh1750_max_measurement_time(config_.mode, config_.mtreg)),
            type() + ": conversion running");
    }
    converting_ = false;
    std::array<std::uint8_t, 2> bytes{};
    if (auto r = bus_.read(config_.address, bytes); !r) return wrap("result read", r.err());
    return bh1750_decode(bytes, config_.mode, config_.mtreg, where());
}

bool bh1750_probe(i2c_bus& bus, std::uint8_t address) {
    std::array<std::uint8_t, 2> bytes{};
    return bus.read(address, bytes).ok();
}

}  // namespace piogate::hw
