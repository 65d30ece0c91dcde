#include "hw/sensors/lm75.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <array>
#include <chrono>
#include <cstdio>

#include "hw/sensors/word_register.hpp"

namespace piogate::hw {

namespace {

using namespace std::chrono_literals;

constexpr std::uint8_t reg_temperature = 0x00, reg_config = 0x01;
constexpr std::uint8_t reg_limit_low = 0x02, reg_limit_high = 0x03;

constexpr std::uint8_t lm75_shutdown = 0x01;
constexpr std::uint8_t lm75_reserved = 0xE0;  // configuration bits 7..5: always 0
constexpr std::uint16_t tmp102_os = 0x8000, tmp102_sd = 0x0100;
constexpr std::uint16_t tmp102_resolution = 0x6000;  // R1:R0, read-only 11
constexpr std::uint16_t tmp102_em = 0x0010;
constexpr auto lm75_conversion_max = 300ms;
constexpr auto tmp102_conversion_max = 35ms;

struct limits {
    double min, max;
};
constexpr limits lm75_range{-55.0, 125.0};
constexpr limits tmp102_range{-55.0, 150.0};

std::string celsius_text(double c) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4g °C", c);
    return buf;
}

}  // namespace

double lm75_celsius(std::uint16_t raw) {
    return sign_extend(raw >> 7, 9) * 0.5;
}

double tmp102_celsius(std::uint16_t raw, bool extended) {
    return extended ? sign_extend(raw >> 3, 13) * 0.0625 : sign_extend(raw >> 4, 12) * 0.0625;
}

util::result<double> lm75_decode(lm75_variant variant, std::uint16_t raw, bool extended,
                                 const std::string& where) {
    const bool tmp102 = variant == lm75_variant::tmp102;
    // LM75 variants use 9 to 11 bits: bits 4..0 are never used. TMP102: bits 2..1 always 0,
    // bit 3 too in normal mode; bit 0 is the format flag.
    const std::uint16_t zero_bits = tmp102 ? (extended ? 0x0006 : 0x000E) : 0x001F;
    if (raw & zero_bits) {
        return hw_fail(hw_errc::out_of_range, where + ": temperature word " + hex(raw, 4) +
                                                  " has always-zero bits set (damaged read)");
    }
    if (tmp102 && ((raw & 1) != 0) != extended) {
        return hw_fail(hw_errc::out_of_range, where + ": temperature word " + hex(raw, 4) +
                                                  " is in " + ((raw & 1) ? "extended" : "normal") +
                                                  " format, configured " +
                                                  (extended ? "extended" : "normal"));
    }
    if (tmp102 && !extended && raw == 0x7FF0) {
        return hw_fail(hw_errc::out_of_range,
                       where +
                           ": 127.9375 °C is the top of the normal-mode scale (saturated; "
                           "extended mode reads up to 150 °C)");
    }
    const double c = tmp102 ? tmp102_celsius(raw, extended) : lm75_celsius(raw);
    const limits range = tmp102 ? tmp102_range : lm75_range;
    if (c < range.min || c > range.max) {
        return hw_fail(hw_errc::out_of_range,
                       where + ": " + celsius_text(c) + " (word " + hex(raw, 4) +
                           ") is outside the operating range " + celsius_text(range.min) + ".." +
                           celsius_text(range.max));
    }
    return c;
}

lm75::lm75(i2c_bus& bus, lm75_config config)
    : bus_(bus),
      config_(config),
      type_(config.variant == lm75_variant::tmp102 ? "tmp102" : "lm75") {}

util::error lm75::fail(hw_errc code, int reg, const std::string& what) const {
    std::string where = bus_.name() + " " + hex(config_.address);
    if (reg >= 0) where += " reg " + hex(static_cast<unsigned>(reg));
    return hw_fail(code, where + ": " + type_ + ": " + what);
}

util::error lm75::step_failed(const char* step, const util::error& cause) const {
    return {cause.code, type_ + ": " + step + ": " + cause.message};
}

util::result<void> lm75::open() {
    wait_before_first_attempt(std::chrono::milliseconds(0));
    return config_.variant == lm75_variant::tmp102 ? open_tmp102() : open_lm75();
}

util::result<void> lm75::open_lm75() {
    std::array<std::uint8_t, 1> cfg{};
    if (auto r = read_registers(bus_, config_.address, reg_config, cfg); !r) {
        return step_failed("reading configuration", r.err());
    }
    if ((cfg[0] & lm75_shutdown) == 0) return {};
    const auto awake = static_cast<std::uint8_t>(cfg[0] & ~lm75_shutdown);
    if (auto r = write_register(bus_, config_.address, reg_config, awake); !r) {
        return step_failed("leaving shutdown", r.err());
    }
    wait_before_first_attempt(lm75_conversion_max);
    return {};
}

util::result<void> lm75::open_tmp102() {
    auto cfg = read_word(bus_, config_.address, reg_config);
    if (!cfg) return step_failed("reading configuration", cfg.err());
    if ((*cfg & tmp102_resolution) != tmp102_resolution || (*cfg & 0x000F) != 0) {
        return fail(
            hw_errc::bad_chip_id, reg_config,
            "configuration " + hex(*cfg, 4) +
                " found; a TMP102 reads R1:R0 = 11 and a zero low nibble (0x60A0 after reset)");
    }
    // OS (bit 15) is left 0: in continuous mode it has no use.
    const auto wanted = static_cast<std::uint16_t>((*cfg & ~(tmp102_os | tmp102_sd | tmp102_em)) |
                                                   (config_.extended ? tmp102_em : 0));
    if (wanted == *cfg) return {};
    if (auto r = write_word(bus_, config_.address, reg_config, wanted); !r) {
        return step_failed("writing configuration", r.err());
    }
    wait_before_first_attempt(tmp102_conversion_max);
    return {};
}

measure_result lm75::attempt() {
    if (auto wait = startup_wait()) return *wait;
    return read_temperature();
}

util::result<reading> lm75::read_temperature() {
    auto raw = read_word(bus_, config_.address, reg_temperature);
    if (!raw) return step_failed("reading temperature", raw.err());
    const std::string where = bus_.name() + " " + hex(config_.address) + " reg 0x00: " + type_;
    auto c = lm75_decode(config_.variant, *raw, config_.extended, where);
    if (!c) return c.err();
    return reading{{"temperature", *c, "°C"}};
}

bool lm75_probe(i2c_bus& bus, std::uint8_t address) {
    auto temperature = read_word(bus, address, reg_temperature);
    if (!temperature) return false;
    std::array<std::uint8_t, 1> cfg{};
    if (!read_registers(bus, address, reg_config, cfg) || (cfg[0] & lm75_reserved)) return false;
    for (std::uint8_t reg : {reg_limit_low, reg_limit_high}) {
        auto limit = read_word(bus, address, reg);
        if (!limit || (*limit & 0x007F)) return false;
    }
    return lm75_decode(lm75_variant::lm75, *temperature, false, "").ok();
}

bool tmp102_probe(i2c_bus& bus, std::uint8_t address) {
    auto cfg = read_word(bus, address, reg_config);
    if (!cfg || (*cfg & tmp102_resolution) != tmp102_resolution || (*cfg & 0x000F)) return false;
    auto temperature = read_word(bus, address, reg_temperature);
    return temperature && (*temperature & 0x0006) == 0;
}

}  // namespace piogate::hw
