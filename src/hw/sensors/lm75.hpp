// LM75-compatible temperature sensors: the LM75 (NXP/National/clones, 9-bit, 0.5 °C) and the
// TI TMP102 (12-bit, 0.0625 °C; 13-bit in extended mode, up to 150 °C). Both convert
// continuously; the driver reads the latest result.
//
// Addresses: LM75 0x48..0x4F (A2..A0 pins; 0x48 with all low, the usual default); TMP102
//   0x48..0x4B (ADD0 to GND, VDD, SDA, SCL; 0x48 default).
// Registers (pointer byte, then MSB first): 0x00 temperature, 0x01 configuration (LM75: 8 bits,
//   shutdown = bit 0; TMP102: 16 bits, reset 0x60A0, SD bit 8, R1:R0 bits 14:13 read 11, EM
//   bit 4), 0x02 / 0x03 limits (the driver never writes them).
// Temperature word: LM75 bits 15..7 two's complement × 0.5 °C (bits 4..0 always read 0);
//   TMP102 bits 15..4 × 0.0625 °C, extended mode bits 15..3, bit 0 = the mode the word is in.
// open(): LM75: reads the configuration byte, leaves shutdown if needed. TMP102: checks R1:R0
//   = 11 and the always-zero low nibble (hw_errc::bad_chip_id otherwise), then sets EM as
//   configured and clears SD. It does not sleep: after a change the first attempt() answers
//   converting(one maximum conversion time: LM75 300 ms, TMP102 35 ms) so the first reading
//   is fresh and in the new format.
// attempt(): reads the temperature register once: "temperature" in °C. measure(): the same
//   after that wait (measure_blocking, hw/sensor.hpp).
// Ranges: LM75 −55..125 °C, TMP102 −55..150 °C (the datasheets' operating ranges); the
//   TMP102's normal-mode top code (127.9375 °C) is saturation; a word whose always-zero bits
//   are set is a damaged read: all hw_errc::out_of_range.
//
// Thread: open(), attempt(), measure() and the probes block on the bus: call them on the bus's
// I2C worker thread. Only measure() sleeps. The bus must outlive the driver.
// Errors: results; bus errors carry bus, address, register and the step.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <cstdint>
#include <string>

#include "hw/i2c_bus.hpp"
#include "hw/sensor.hpp"

namespace piogate::hw {

inline constexpr std::uint8_t lm75_default_address = 0x48;

enum class lm75_variant : std::uint8_t { lm75, tmp102 };

// Datasheet conversions of the temperature word (no checks).
double lm75_celsius(std::uint16_t raw);                   // bits 15..7 × 0.5
double tmp102_celsius(std::uint16_t raw, bool extended);  // bits 15..4 (15..3) × 0.0625
// Checks and converts; `where` ("i2c-1 0x48 tmp102") starts every message.
util::result<double> lm75_decode(lm75_variant variant, std::uint16_t raw, bool extended,
                                 const std::string& where);

struct lm75_config {
    std::uint8_t address = lm75_default_address;
    lm75_variant variant = lm75_variant::lm75;
    bool extended = false;  // TMP102 only: 13-bit format, readings above 128 °C
};

class lm75 final : public converting_sensor {
public:
    lm75(i2c_bus& bus, lm75_config config);
    const std::string& type() const override { return type_; }  // "lm75" or "tmp102"
    util::result<void> open() override;
    measure_result attempt() override;

private:
    util::result<reading> read_temperature();
    util::result<void> open_lm75();
    util::result<void> open_tmp102();
    util::error fail(hw_errc code, int reg, const std::string& what) const;
    util::error step_failed(const char* step, const util::error& cause) const;

    i2c_bus& bus_;
    lm75_config config_;
    std::string type_;
};

// i2cdetect-like checks, reads only. lm75_probe: temperature word with bits 4..0 clear and in
// −55..125 °C, configuration byte with bits 7..5 clear, limit words with bits 6..0 clear.
// tmp102_probe: configuration R1:R0 = 11 with the low nibble clear, temperature bits 2..1 clear.
bool lm75_probe(i2c_bus& bus, std::uint8_t address);
bool tmp102_probe(i2c_bus& bus, std::uint8_t address);

}  // namespace piogate::hw
