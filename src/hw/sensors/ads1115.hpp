// TI ADS1115 (16-bit) and ADS1015 (12-bit) four-channel ADCs, single-ended, single-shot
// (datasheets SBAS444 and SBAS473: same register map, same config word).
//
// Addresses: 0x48 (ADDR to GND, the usual breakout default), 0x49 (VDD), 0x4A (SDA), 0x4B (SCL).
// Registers: 0x00 conversion, 0x01 config (reset 0x8583), 0x02 Lo_thresh (reset 0x8000),
//   0x03 Hi_thresh (reset 0x7FFF); 16 bits, MSB first. Config: OS[15] MUX[14:12] PGA[11:9]
//   MODE[8] DR[7:5] COMP_MODE[4] COMP_POL[3] COMP_LAT[2] COMP_QUE[1:0].
// open(): the chip has no id; the driver checks the registers it never writes: MODE
//   single-shot, comparator bits at their reset values (0x03) and both thresholds at theirs.
//   A chip that differs is hw_errc::bad_chip_id (an LM75 at 0x48 reads 0x4B00 / 0x5000 there).
// attempt(): per configured channel: config with OS=1, MUX=AINx vs GND, PGA, MODE=single-shot,
//   DR, comparator off, and again(conversion_time(): 1/DR, +10 % for the oscillator, rounded
//   up to ms); then read config: OS still 0 answers again(poll_interval rounded up to ms), at
//   most status_polls times (then timeout); read the conversion register and start the next
//   channel; after the last, the reading. Never sleeps (hw/sensor.hpp); measure() is the same,
//   sleeping in between. Quantities "voltage0".."voltage3"
//   in V, for the configured channels only.
// Ranges: a code at either end of the scale (ADS1115 0x7FFF/0x8000, ADS1015 0x7FF0/0x8000) is
//   saturation, a single-ended input below GND − 0.3 V is impossible, and an ADS1015 word with
//   its always-zero low nibble set is damaged: all hw_errc::out_of_range.
//
// Thread: open(), attempt(), measure() and ads1115_probe() block on the bus (measure() also
// sleeps 1/DR per channel, 125 ms at 8 SPS): call them on the bus's I2C worker thread. The bus must
// outlive the driver. Errors: results; bus errors carry bus, address, register and the step; an
// unsupported config (data rate the chip lacks, no channel) is hw_errc::not_supported.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <array>
#include <chrono>
#include <cstdint>
#include <string>

#include "hw/i2c_bus.hpp"
#include "hw/sensor.hpp"

namespace piogate::hw {

inline constexpr std::uint8_t ads1x15_default_address = 0x48;
inline constexpr std::uint16_t ads1x15_config_reset = 0x8583;
inline constexpr std::uint16_t ads1x15_lo_thresh_reset = 0x8000;
inline constexpr std::uint16_t ads1x15_hi_thresh_reset = 0x7FFF;

enum class ads1x15_chip : std::uint8_t { ads1115, ads1015 };

// PGA[2:0]: the full-scale range ±6.144, ±4.096, ±2.048 (reset), ±1.024, ±0.512, ±0.256 V.
enum class ads1x15_gain : std::uint8_t {
    fsr_6v144,
    fsr_4v096,
    fsr_2v048,
    fsr_1v024,
    fsr_0v512,
    fsr_0v256
};

double ads1x15_full_scale(ads1x15_gain gain);  // volts
// DR[2:0] → samples per second: ADS1115 8..860 (reset 128), ADS1015 128..3300 (reset 1600).
const std::array<unsigned, 8>& ads1x15_data_rates(ads1x15_chip chip);
// DR bits for `sps` (0: the chip's reset rate); false if the chip has no such rate.
bool ads1x15_data_rate_bits(ads1x15_chip chip, unsigned sps, std::uint8_t& bits);
// Nominal conversion time of one single shot: 1/DR, rounded up.
std::chrono::microseconds ads1x15_conversion_time(ads1x15_chip chip, std::uint8_t dr_bits);
// Config word that starts one single-shot conversion of AIN`channel` vs GND.
std::uint16_t ads1x15_single_shot_config(unsigned channel, ads1x15_gain gain, std::uint8_t dr_bits);
// Conversion register → volts: code × FSR / 32768 (ADS1115) or (code >> 4) × FSR / 2048.
double ads1x15_volts(ads1x15_chip chip, std::uint16_t raw, ads1x15_gain gain);
// Range and sanity checks of one conversion word (see the header comment); `where` starts
// the message ("i2c-1 0x48 ads1115 AIN2").
util::result<double> ads1x15_decode(ads1x15_chip chip, std::uint16_t raw, ads1x15_gain gain,
                                    const std::string& where);
// The open() identity check on the config and threshold registers.
bool ads1x15_registers_plausible(std::uint16_t config, std::uint16_t lo, std::uint16_t hi);

struct ads1115_config {
    std::uint8_t address = ads1x15_default_address;
    ads1x15_chip chip = ads1x15_chip::ads1115;
    std::array<bool, 4> channels{true, true, true, true};  // AIN0..AIN3 single-ended
    ads1x15_gain gain = ads1x15_gain::fsr_4v096;   // covers 0..3.3 V inputs on a 3.3 V board
    unsigned data_rate = 0;                        // samples per second; 0 = the chip's reset rate
    std::chrono::microseconds poll_interval{500};  // after the conversion time, poll OS this often
    int status_polls = 20;
};

class ads1115 final : public converting_sensor {
public:
    ads1115(i2c_bus& bus, ads1115_config config);
    const std::string& type() const override { return type_; }  // "ads1115" or "ads1015"
    util::result<void> open() override;
    measure_result attempt() override;
    // What attempt() first waits per channel: 1/DR + 10 %, rounded up to ms.
    std::chrono::milliseconds conversion_time() const;

private:
    measure_result start(unsigned from);  // the first configured channel >= from, or the reading
    util::error fail(hw_errc code, int reg, const std::string& what) const;
    util::error step_failed(const std::string& step, const util::error& cause) const;

    i2c_bus& bus_;
    ads1115_config config_;
    std::string type_;
    std::uint8_t dr_bits_ = 0;
    bool opened_ = false;
    int channel_ = -1;  // the channel converting, -1 when no conversion runs
    reading partial_;   // the channels converted so far in this measurement
};

// i2cdetect-like check: reads config and both thresholds (reads only) and applies the open()
// identity check. True for an ADS1115 or ADS1015 (they cannot be told apart).
bool ads1115_probe(i2c_bus& bus, std::uint8_t address);

}  // namespace piogate::hw
