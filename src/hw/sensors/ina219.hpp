// TI INA219 current, bus voltage and power monitor (datasheet SBOS448).
//
// Addresses: 0x40..0x4F (A1, A0 each to GND, VS, SDA or SCL; 0x40 with both at GND, the usual
//   breakout default).
// Registers (pointer byte, then MSB first, 16 bits): 0x00 configuration (reset 0x399F: RST[15]
//   BRNG[13] PG[12:11] BADC[10:7] SADC[6:3] MODE[2:0]), 0x01 shunt voltage (signed, 10 µV),
//   0x02 bus voltage (bits 15..3 × 4 mV, CNVR bit 1, OVF bit 0), 0x03 power (20 × current LSB),
//   0x04 current (signed, current LSB), 0x05 calibration (bit 0 reads 0).
// Calibration (datasheet 8.5.1): Current_LSB ≥ max expected current / 2^15;
//   Cal = trunc(0.04096 / (Current_LSB × R_shunt)); Power_LSB = 20 × Current_LSB. The chip then
//   computes current = shunt × Cal / 4096 and power = current × bus / 5000.
// open(): the configuration register must read the reset value 0x399F; if it does not, the
//   registers must at least look like an INA219's before the driver writes the reset bit
//   (other chips live at 0x40..0x4F) and checks again. Otherwise hw_errc::bad_chip_id. Then it
//   writes the calibration and reads it back.
// attempt(): configuration with MODE = shunt and bus, triggered, and again(conversion_time());
//   then read the bus voltage register: CNVR still 0 answers again(poll_interval rounded up to
//   ms), at most status_polls times (then timeout); read shunt, current and power (reading
//   power clears CNVR). Never sleeps (hw/sensor.hpp); measure(): the same, sleeping between.
//   Quantities: "voltage" V (bus, IN− to GND), "current" A, "power" W.
// Ranges: the bus voltage register's always-zero bit 2 set (a damaged read), OVF set (current
//   or power arithmetic overflowed), a shunt voltage at the PGA's full scale (clipped), a bus
//   voltage at the 16 V range's full scale or, on the 32 V range, above the pins' 26 V limit:
//   all hw_errc::out_of_range.
//
// Thread: open(), attempt(), measure() and ina219_probe() block on the bus (measure() also
// sleeps about 1.2 ms, 150 ms with 128-sample averaging): call them on the bus's I2C worker thread.
// The bus must outlive the driver. Errors: results; bus errors carry bus, address, register and the
// step; a config the chip cannot do (shunt voltage above 320 mV, calibration out of 16 bits, bad
// averaging) is hw_errc::not_supported.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <chrono>
#include <cstdint>
#include <string>

#include "hw/i2c_bus.hpp"
#include "hw/sensor.hpp"

namespace piogate::hw {

inline constexpr std::uint8_t ina219_default_address = 0x40;
inline constexpr std::uint16_t ina219_config_reset = 0x399F;

// Datasheet equations.
double ina219_min_current_lsb(double max_expected_amps);  // max / 2^15
// trunc(0.04096 / (lsb × ohms)) with bit 0 cleared (the chip ignores it); 0 if out of 16 bits.
std::uint16_t ina219_calibration(double current_lsb, double shunt_ohms);
// The current LSB a calibration value really gives: 0.04096 / (cal × ohms).
double ina219_effective_current_lsb(std::uint16_t calibration, double shunt_ohms);
// PG[1:0] for a maximum shunt voltage: 0 (±40 mV) .. 3 (±320 mV); -1 above 320 mV.
int ina219_pga_for(double max_shunt_volts);
// ADC field (BADC/SADC) for 1, 2, 4 .. 128 averaged 12-bit samples; -1 for other counts.
int ina219_adc_bits(unsigned samples);
// Typical conversion time of one ADC field value (532 µs at 12 bits, × samples).
std::chrono::microseconds ina219_adc_time(unsigned adc_bits);

double ina219_bus_volts(std::uint16_t raw);    // (raw >> 3) × 4 mV
double ina219_shunt_volts(std::uint16_t raw);  // signed × 10 µV

struct ina219_raw {
    std::uint16_t bus = 0, shunt = 0, current = 0, power = 0;
};
// Checks and converts one set of result registers; `where` ("i2c-1 0x40 ina219") starts the
// messages.
util::result<reading> ina219_decode(const ina219_raw& raw, double current_lsb, int pga,
                                    bool bus_32v, const std::string& where);
// The pre-reset identity check: RST and the unused bit 14 read 0, calibration bit 0 reads 0,
// bus voltage bit 2 reads 0.
bool ina219_registers_plausible(std::uint16_t config, std::uint16_t calibration, std::uint16_t bus);

struct ina219_config {
    std::uint8_t address = ina219_default_address;
    double shunt_ohms = 0.1;   // the common breakout's R100
    double max_current = 3.2;  // A, the largest expected; sets the PGA and the current LSB
    double current_lsb = 0;    // A per bit; 0 = max_current / 2^15 (the datasheet's minimum)
    bool bus_32v = true;       // BRNG: 32 V (reset value) or 16 V full scale
    unsigned samples = 1;      // averaged 12-bit samples per conversion: 1, 2, 4 .. 128
    std::chrono::microseconds poll_interval{200};
    int status_polls = 20;
};

class ina219 final : public converting_sensor {
public:
    ina219(i2c_bus& bus, ina219_config config);
    const std::string& type() const override;
    util::result<void> open() override;
    measure_result attempt() override;
    // Shunt and bus conversion (ADC setting) + 10 %, rounded up to ms: attempt()'s first wait.
    std::chrono::milliseconds conversion_time() const;
    // After open(): the programmed calibration and the current LSB it gives (A).
    std::uint16_t calibration() const { return calibration_; }
    double current_lsb() const { return current_lsb_; }

private:
    util::result<void> check_config();
    util::result<void> verify_identity();
    util::error fail(hw_errc code, int reg, const std::string& what) const;
    util::error step_failed(const char* step, const util::error& cause) const;
    std::string where() const;

    i2c_bus& bus_;
    ina219_config config_;
    std::uint16_t config_word_ = 0;  // with MODE = shunt and bus, triggered
    std::uint16_t calibration_ = 0;
    double current_lsb_ = 0;
    int pga_ = 3;
    bool converting_ = false;  // attempt() triggered a conversion, the next reads it
};

// i2cdetect-like check, reads only: configuration 0x399F, or registers that pass
// ina219_registers_plausible.
bool ina219_probe(i2c_bus& bus, std::uint8_t address);

}  // namespace piogate::hw
