// TE HTU21D(F) and Silicon Labs Si7021 humidity and temperature sensors (datasheets HTU21D(F)
// HPC199_3, Oct 2013, and Si7021-A20 rev 1.2); one driver, they share commands and formats.
//
// Address: 0x40, fixed (shared with SHT21, HDC1080 and the INA219 default: see the probe).
// open(): reads the user register (command 0xE7) as presence and plausibility check.
// attempt(): "no hold master" mode, so the bus stays free while the chip converts, and never a
//   sleep (hw/sensor.hpp): temperature 0xF3 and again(50 ms, the 14-bit maximum); read MSB,
//   LSB, CRC, then humidity 0xF5 and again(16 ms, the 12-bit maximum); read again: the
//   reading. The chip NACKs the read while it converts; a NACKed read answers again(5 ms), at
//   most 3 times per conversion, then hw_errc::timeout. measure(): the same, sleeping between.
// Frames: the two low bits of the LSB are status, bit 1 says which quantity (0 temperature,
//   1 humidity): a frame of the wrong kind is hw_errc::out_of_range. CRC-8 0x31, init 0x00.
// Ranges: T = -46.85 + 175.72 * S / 2^16; outside the specified -40..125 °C it is
//   hw_errc::out_of_range. RH = -6 + 125 * S / 2^16 can leave 0..100 near the ends; as both
//   datasheets advise, it is clipped to 0..100 %RH. No temperature compensation of RH.
//
// Thread: open(), attempt(), measure() and htu21d_probe() block on the bus: call them on the
// bus's I2C worker thread. measure() sleeps about 70 ms; open() and attempt() never sleep. The bus
// must outlive the driver. Errors: results. CRC mismatch: hw_errc::crc_mismatch naming bus, address
// and the bytes.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <chrono>
#include <cstdint>
#include <span>
#include <string>

#include "hw/i2c_bus.hpp"
#include "hw/sensor.hpp"

namespace piogate::hw {

inline constexpr std::uint8_t htu21d_default_address = 0x40;
inline constexpr std::uint8_t htu21d_crc_polynomial = 0x31;  // x^8+x^5+x^4+1 ("0x131")
inline constexpr std::uint8_t htu21d_crc_init = 0x00;
inline constexpr double htu21d_min_celsius = -40.0;  // specified operating range
inline constexpr double htu21d_max_celsius = 125.0;
inline constexpr std::chrono::milliseconds htu21d_temperature_time{50};  // 14 bit (Si7021: 10.8)
inline constexpr std::chrono::milliseconds htu21d_humidity_time{16};     // 12 bit (Si7021: 12)
inline constexpr std::chrono::milliseconds htu21d_retry_interval{5};     // after a NACKed read
inline constexpr int htu21d_read_retries = 3;

enum class htu21d_quantity { temperature, humidity };

// Datasheet conversions; the two status bits are masked off first.
double htu21d_celsius(std::uint16_t raw);   // -46.85 + 175.72 * S / 65536
double htu21d_humidity(std::uint16_t raw);  // -6 + 125 * S / 65536, not clipped

// Checks CRC, the kind bit and the range of one frame (MSB, LSB, CRC); returns °C, or %RH
// clipped to 0..100. `where` ("i2c-1 0x40 htu21d") starts every error message.
util::result<double> htu21d_decode(std::span<const std::uint8_t, 3> frame, htu21d_quantity q,
                                   const std::string& where);

struct htu21d_config {
    std::uint8_t address = htu21d_default_address;
};

class htu21d final : public converting_sensor {
public:
    htu21d(i2c_bus& bus, htu21d_config config);
    const std::string& type() const override;
    util::result<void> open() override;
    measure_result attempt() override;
    std::uint8_t user_register() const { return user_register_; }  // as open() read it

private:
    enum class phase { idle, temperature, humidity };  // which conversion is running
    measure_result start(htu21d_quantity q);
    measure_result read_frame(htu21d_quantity q);  // a one-quantity reading, again or error
    std::string where() const;

    i2c_bus& bus_;
    htu21d_config config_;
    std::uint8_t user_register_ = 0;
    phase phase_ = phase::idle;
    double celsius_ = 0;  // the temperature, while the humidity converts
};

// i2cdetect-like check: reads the user register (0xE7; changes nothing) and accepts a value
// with bit 1 set that is not 0xFF: bit 1 is "disable OTP reload" on the HTU21D and a reserved
// 1 on the Si7021, set in both after power-up. A heuristic: other chips at 0x40 may pass.
bool htu21d_probe(i2c_bus& bus, std::uint8_t address);

}  // namespace piogate::hw
