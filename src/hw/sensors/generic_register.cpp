#include "hw/sensors/generic_register.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <array>
#include <cmath>

namespace piogate::hw {

namespace {

const std::string type_name = "generic_register";

}  // namespace

std::string generic_register_config_problem(const generic_register_config& config) {
    if (config.length < 1 || config.length > 4) {
        return "length " + std::to_string(config.length) + " bytes: 1..4 are supported";
    }
    if (config.name.empty()) return "the measurement needs a name";
    if (!std::isfinite(config.scale) || config.scale == 0.0)
        return "scale must be finite and not 0";
    if (!std::isfinite(config.offset)) return "offset must be finite";
    return {};
}

std::int64_t generic_register_raw(std::span<const std::uint8_t> bytes, bool is_signed,
                                  register_byte_order order) {
    std::uint64_t value = 0;
    const std::size_t n = bytes.size();
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint8_t b = order == register_byte_order::big ? bytes[i] : bytes[n - 1 - i];
        value = value << 8 | b;
    }
    const unsigned bits = static_cast<unsigned>(8 * n);
    if (is_signed && n > 0 && (value >> (bits - 1) & 1)) {
        return static_cast<std::int64_t>(value) - (std::int64_t{1} << bits);
    }
    return static_cast<std::int64_t>(value);
}

reading generic_register_reading(std::span<const std::uint8_t> bytes,
                                 const generic_register_config& config) {
    const auto raw = generic_register_raw(bytes, config.is_signed, config.order);
    return reading{
        {config.name, static_cast<double>(raw) * config.scale + config.offset, config.unit}};
}

generic_register::generic_register(i2c_bus& bus, generic_register_config config)
    : bus_(bus), config_(std::move(config)) {}

const std::string& generic_register::type() const {
    return type_name;
}

util::result<reading> generic_register::read_once(const char* step) {
    if (auto problem = generic_register_config_problem(config_); !problem.empty()) {
        return hw_fail(hw_errc::not_supported, bus_.name() + " " + hex(config_.address) + " reg " +
                                                   hex(config_.reg) + ": " + type_name + " \"" +
                                                   config_.name + "\": " + problem);
    }
    std::array<std::uint8_t, 4> buffer{};
    const auto bytes = std::span<std::uint8_t>(buffer).first(config_.length);
    if (auto r = read_registers(bus_, config_.address, config_.reg, bytes); !r) {
        return util::error{r.err().code, type_name + " \"" + config_.name + "\": " + step + ": " +
                                             r.err().message};
    }
    return generic_register_reading(bytes, config_);
}

util::result<void> generic_register::open() {
    auto r = read_once("first read");
    if (!r) return r.err();
    return {};
}

util::result<reading> generic_register::measure() {
    return read_once("reading");
}

bool generic_register_probe(i2c_bus& bus, std::uint8_t address) {
    std::array<std::uint8_t, 1> byte{};
    return bus.read(address, byte).ok();
}

}  // namespace piogate::hw
