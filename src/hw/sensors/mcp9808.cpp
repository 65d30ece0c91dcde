#include "hw/sensors/mcp9808.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <array>
#include <chrono>
#include <cstdio>

#include "hw/sensors/word_register.hpp"

namespace piogate::hw {

namespace {

using namespace std::chrono_literals;

constexpr std::uint8_t reg_config = 0x01;
constexpr std::uint8_t reg_ambient = 0x05;
constexpr std::uint8_t reg_manufacturer = 0x06;
constexpr std::uint8_t reg_device = 0x07;
constexpr std::uint8_t reg_resolution = 0x08;

constexpr std::uint16_t config_shutdown = 0x0100;
constexpr std::uint8_t resolution_0_0625 = 0x03;
constexpr auto conversion_time = 300ms;  // t_CONV at 0.0625 °C: 250 ms typical
constexpr double min_celsius = -40.0, max_celsius = 125.0;

const std::string type_name = "mcp9808";

}  // namespace

double mcp9808_celsius(std::uint16_t raw) {
    return sign_extend(raw & 0x1FFF, 13) * 0.0625;
}

util::result<double> mcp9808_decode(std::uint16_t raw, const std::string& where) {
    const double c = mcp9808_celsius(raw);
    if (c < min_celsius || c > max_celsius) {
        char buf[96];
        std::snprintf(buf, sizeof buf, ": %.4f °C (word 0x%04X) is outside -40..125 °C", c, raw);
        return hw_fail(hw_errc::out_of_range, where + buf);
    }
    return c;
}

mcp9808::mcp9808(i2c_bus& bus, mcp9808_config config) : bus_(bus), config_(config) {}

const std::string& mcp9808::type() const {
    return type_name;
}

util::error mcp9808::fail(hw_errc code, int reg, const std::string& what) const {
    std::string where = bus_.name() + " " + hex(config_.address);
    if (reg >= 0) where += " reg " + hex(static_cast<unsigned>(reg));
    return hw_fail(code, where + ": " + type_name + ": " + what);
}

util::error mcp9808::step_failed(const char* step, const util::error& cause) const {
    return {cause.code, type_name + ": " + step + ": " + cause.message};
}

util::result<void> mcp9808::open() {
    auto manufacturer = read_word(bus_, config_.address, reg_manufacturer);
    if (!manufacturer) return step_failed("reading manufacturer id", manufacturer.err());
    if (*manufacturer != mcp9808_manufacturer_id) {
        return fail(
            hw_errc::bad_chip_id, reg_manufacturer,
            "manufacturer id " + hex(*manufacturer, 4) + " found, expected 0x0054 (Microchip)");
    }
    auto device = read_word(bus_, config_.address, reg_device);
    if (!device) return step_failed("reading device id", device.err());
    if ((*device >> 8) != mcp9808_device_id) {
        return fail(hw_errc::bad_chip_id, reg_device,
                    "device id " + hex(*device >> 8) + " found, expected 0x04 (MCP9808)");
    }
    revision_ = static_cast<std::uint8_t>(*device & 0xFF);

    bool changed = false;
    std::array<std::uint8_t, 1> resolution{};
    if (auto r = read_registers(bus_, config_.address, reg_resolution, resolution); !r) {
        return step_failed("reading resolution", r.err());
    }
    if ((resolution[0] & 0x03) != resolution_0_0625) {
        if (auto r = write_register(bus_, config_.address, reg_resolution, resolution_0_0625); !r) {
            return step_failed("writing resolution", r.err());
        }
        changed = true;
    }
    auto cfg = read_word(bus_, config_.address, reg_config);
    if (!cfg) return step_failed("reading configuration", cfg.err());
    if (*cfg & config_shutdown) {
        const auto awake = static_cast<std::uint16_t>(*cfg & ~config_shutdown);
        if (auto r = write_word(bus_, config_.address, reg_config, awake); !r) {
            return step_failed("leaving shutdown", r.err());
        }
        changed = true;
    }
    wait_before_first_attempt(changed ? conversion_time : std::chrono::milliseconds(0));
    return {};
}

measure_result mcp9808::attempt() {
    if (auto wait = startup_wait()) return *wait;
    return read_temperature();
}

util::result<reading> mcp9808::read_temperature() {
    auto raw = read_word(bus_, config_.address, reg_ambient);
    if (!raw) return step_failed("reading ambient temperature", raw.err());
    auto c =
        mcp9808_decode(*raw, bus_.name() + " " + hex(config_.address) + " reg 0x05: " + type_name);
    if (!c) return c.err();
    return reading{{"temperature", *c, "°C"}};
}

bool mcp9808_probe(i2c_bus& bus, std::uint8_t address) {
    auto manufacturer = read_word(bus, address, reg_manufacturer);
    if (!manufacturer || *manufacturer != mcp9808_manufacturer_id) return false;
    auto device = read_word(bus, address, reg_device);
    return device && (*device >> 8) == mcp9808_device_id;
}

}  // namespace piogate::hw
