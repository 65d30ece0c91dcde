#include "hw/sensors/ads1115.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <cstdio>

#include "hw/sensors/word_register.hpp"

namespace piogate::hw {

namespace {

constexpr std::uint8_t reg_conversion = 0x00;
constexpr std::uint8_t reg_config = 0x01;
constexpr std::uint8_t reg_lo_thresh = 0x02;
constexpr std::uint8_t reg_hi_thresh = 0x03;

constexpr std::uint16_t os_bit = 0x8000;       // write: start; read: 1 = idle, 0 = converting
constexpr std::uint16_t mode_single = 0x0100;  // MODE = 1: single-shot / power-down
constexpr std::uint16_t comp_disabled = 0x0003;
constexpr std::uint16_t comp_fields = 0x001F;
constexpr double input_floor = -0.3;  // absolute maximum: GND − 0.3 V

std::string volts_text(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4f V", v);
    return buf;
}

}  // namespace

double ads1x15_full_scale(ads1x15_gain gain) {
    static constexpr double fsr[] = {6.144, 4.096, 2.048, 1.024, 0.512, 0.256};
    const auto i = static_cast<unsigned>(gain);
    return i < 6 ? fsr[i] : 0.256;  // PGA 110 and 111 are ±0.256 V too
}

const std::array<unsigned, 8>& ads1x15_data_rates(ads1x15_chip chip) {
    static constexpr std::array<unsigned, 8> ads1115{8, 16, 32, 64, 128, 250, 475, 860};
    static constexpr std::array<unsigned, 8> ads1015{128, 250, 490, 920, 1600, 2400, 3300, 3300};
    return chip == ads1x15_chip::ads1015 ? ads1015 : ads1115;
}

bool ads1x15_data_rate_bits(ads1x15_chip chip, unsigned sps, std::uint8_t& bits) {
    if (sps == 0) {
        bits = 4;  // DR reset value 100b
        return true;
    }
    const auto& rates = ads1x15_data_rates(chip);
    for (std::uint8_t i = 0; i < rates.size(); ++i) {
        if (rates[i] == sps) {
            bits = i;
            return true;
        }
    }
    return false;
}

std::chrono::microseconds ads1x15_conversion_time(ads1x15_chip chip, std::uint8_t dr_bits) {
    const unsigned sps = ads1x15_data_rates(chip)[dr_bits & 7];
    return std::chrono::microseconds((1'000'000 + sps - 1) / sps);
}

std::uint16_t ads1x15_single_shot_config(unsigned channel, ads1x15_gain gain,
                                         std::uint8_t dr_bits) {
    const unsigned mux = 4 + (channel & 3);  // 100b..111b: AINx vs GND
    return static_cast<std::uint16_t>(os_bit | mux << 12 | (static_cast<unsigned>(gain) & 7) << 9 |
                                      mode_single | (dr_bits & 7u) << 5 | comp_disabled);
}

double ads1x15_volts(ads1x15_chip chip, std::uint16_t raw, ads1x15_gain gain) {
    const auto code = static_cast<std::int16_t>(raw);
    if (chip == ads1x15_chip::ads1015) return (code >> 4) * ads1x15_full_scale(gain) / 2048.0;
    return code * ads1x15_full_scale(gain) / 32768.0;
}

util::result<double> ads1x15_decode(ads1x15_chip chip, std::uint16_t raw, ads1x15_gain gain,
                                    const std::string& where) {
    const bool twelve_bit = chip == ads1x15_chip::ads1015;
    if (twelve_bit && (raw & 0x000F) != 0) {
        return hw_fail(hw_errc::out_of_range,
                       where + ": conversion word " + hex(raw, 4) +
                           " has its always-zero low 4 bits set (damaged read)");
    }
    const std::uint16_t positive_end = twelve_bit ? 0x7FF0 : 0x7FFF;
    const double volts = ads1x15_volts(chip, raw, gain);
    if (raw == positive_end || raw == 0x8000) {
        return hw_fail(hw_errc::out_of_range,
                       where + ": conversion " + hex(raw, 4) + " is at the end of the ±" +
                           volts_text(ads1x15_full_scale(gain)) + " range (input saturated)");
    }
    if (volts < input_floor) {
        return hw_fail(hw_errc::out_of_range,
                       where + ": " + volts_text(volts) +
                           " is below GND − 0.3 V, impossible for a single-ended input");
    }
    return volts;
}

bool ads1x15_registers_plausible(std::uint16_t config, std::uint16_t lo, std::uint16_t hi) {
    return (config & (mode_single | comp_fields)) == (mode_single | comp_disabled) &&
           lo == ads1x15_lo_thresh_reset && hi == ads1x15_hi_thresh_reset;
}

ads1115::ads1115(i2c_bus& bus, ads1115_config config)
    : bus_(bus),
      config_(config),
      type_(config.chip == ads1x15_chip::ads1015 ? "ads1015" : "ads1115") {}

util::error ads1115::fail(hw_errc code, int reg, const std::string& what) const {
    std::string where = bus_.name() + " " + hex(config_.address);
    if (reg >= 0) where += " reg " + hex(static_cast<unsigned>(reg));
    return hw_fail(code, where + ": " + type_ + ": " + what);
}

util::error ads1115::step_failed(const std::string& step, const util::error& cause) const {
    return {cause.code, type_ + ": " + step + ": " + cause.message};
}

util::result<void> ads1115::open() {
    opened_ = false;
    channel_ = -1;
    if (!ads1x15_data_rate_bits(config_.chip, config_.data_rate, dr_bits_)) {
        return fail(hw_errc::not_supported, -1,
                    "no data rate of " + std::to_string(config_.data_rate) + " samples/s");
    }
    if (config_.channels == std::array<bool, 4>{}) {
        return fail(hw_errc::not_supported, -1, "no channel configured");
    }
    std::uint16_t words[3] = {};
    const std::uint8_t regs[3] = {reg_config, reg_lo_thresh, reg_hi_thresh};
    for (int i = 0; i < 3; ++i) {
        auto w = read_word(bus_, config_.address, regs[i]);
        if (!w) return step_failed("reading identity registers", w.err());
        words[i] = *w;
    }
    if (!ads1x15_registers_plausible(words[0], words[1], words[2])) {
        return fail(hw_errc::bad_chip_id, reg_config,
                    "config " + hex(words[0], 4) + ", thresholds " + hex(words[1], 4) + "/" +
                        hex(words[2], 4) + " found; expected single-shot mode, comparator off (" +
                        hex(ads1x15_config_reset, 4) +
                        " after reset) and thresholds 0x8000/0x7FFF");
    }
    opened_ = true;
    return {};
}

std::chrono::milliseconds ads1115::conversion_time() const {
    // The internal oscillator may run 10 % slow (datasheet: data rate tolerance).
    return std::chrono::ceil<std::chrono::milliseconds>(
        ads1x15_conversion_time(config_.chip, dr_bits_) * 11 / 10);
}

measure_result ads1115::start(unsigned from) {
    channel_ = -1;
    for (unsigned channel = from; channel < 4; ++channel) {
        if (!config_.channels[channel]) continue;
        const auto start = ads1x15_single_shot_config(channel, config_.gain, dr_bits_);
        if (auto r = write_word(bus_, config_.address, reg_config, start); !r) {
            return step_failed("starting conversion of AIN" + std::to_string(channel), r.err());
        }
        channel_ = static_cast<int>(channel);
        start_polling();
        return measure_result::converting(conversion_time(), type_ + ": conversion running");
    }
    return partial_;  // no channel left: the reading
}

measure_result ads1115::attempt() {
    if (!opened_) return fail(hw_errc::io_error, -1, "measure() without a successful open()");
    if (channel_ < 0) {
        partial_.clear();
        return start(0);
    }
    const auto channel = static_cast<unsigned>(channel_);
    const std::string ain = "AIN" + std::to_string(channel);
    auto status = read_word(bus_, config_.address, reg_config);
    if (!status) {
        channel_ = -1;
        return step_failed("polling conversion of " + ain, status.err());
    }
    if ((*status & os_bit) == 0) {
        return poll_again(
            config_.status_polls, config_.poll_interval, type_ + ": conversion running", [&] {
                channel_ = -1;
                return fail(hw_errc::timeout, reg_config,
                            ain + " conversion still running after " +
                                std::to_string(config_.status_polls) + " polls (OS stuck at 0)");
            });
    }
    channel_ = -1;
    auto raw = read_word(bus_, config_.address, reg_conversion);
    if (!raw) return step_failed("reading conversion of " + ain, raw.err());
    auto volts = ads1x15_decode(config_.chip, *raw, config_.gain,
                                bus_.name() + " " + hex(config_.address) + " " + type_ + " " + ain);
    if (!volts) return volts.err();
    partial_.push_back({"voltage" + std::to_string(channel), *volts, "V"});
    return start(channel + 1);
}

bool ads1115_probe(i2c_bus& bus, std::uint8_t address) {
    auto config = read_word(bus, address, reg_config);
    if (!config) return false;
    auto lo = read_word(bus, address, reg_lo_thresh);
    if (!lo) return false;
    auto hi = read_word(bus, address, reg_hi_thresh);
    return hi && ads1x15_registers_plausible(*config, *lo, *hi);
}

}  // namespace piogate::hw
