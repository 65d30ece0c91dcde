// A simulated Bosch BME280 (or, in bmp280 mode, BMP280) on the datasheet's register map: chip
// id 0xD0, calibration 0x88..0xA1 and 0xE1..0xE7, reset 0xE0 (0xB6), ctrl_hum 0xF2 (latched
// by the next ctrl_meas write), status 0xF3, ctrl_meas 0xF4, config 0xF5, data 0xF7..0xFE.
//
// A forced-mode trigger samples the environment set by set_environment() and turns it into the
// raw ADC words by inverting the datasheet compensation with this chip's calibration (a binary
// search over the raw word, so the driver's compensation gives back the value to within the
// ADC step). The ADC step follows the oversampling: 16 + (osrs − 1) bits for temperature and
// pressure (20 bits with the IIR filter on), 16 bits for humidity; a skipped channel reads
// 0x80000 / 0x8000. Status bit 3 ("measuring") stays set for the typical measurement time
// (data sheet 9.1), and the data registers change only when it clears. After a soft reset (and
// at power-on) bit 0 ("im_update") stays set while the NVM copy runs: t_startup, 2 ms (data
// sheet table 1, the time to first communication), on the chip's clock. Normal mode takes a
// fresh sample on every read; the IIR filter's dynamics are not modelled (steady values).
// I2C writes are (register, value) pairs; reads auto-increment; read-only registers ignore
// writes.
//
// Thread: the bus calls on_write/on_read from its worker while tests or the demo call
// set_environment() and the fault knobs from any thread: all state is under `mutex_`.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <chrono>

#include "hw/sensors/bmx280_compensation.hpp"
#include "hw/sim/sim_register_device.hpp"

namespace piogate::hw {

enum class sim_bmx280_model { bme280, bmp280 };

class sim_bme280 final : public sim_register_device {
public:
    // The BMP280 data sheet's example trimming words for temperature and pressure (its
    // compensation example) and humidity words of a typical BME280.
    static bmx280_calibration datasheet_calibration();

    explicit sim_bme280(sim_bmx280_model model = sim_bmx280_model::bme280,
                        const bmx280_calibration& cal = datasheet_calibration());

    // Physical state the next measurement samples: °C, %RH (ignored by a BMP280), hPa.
    // Defaults: 22.5 °C, 45 %RH, 1013.25 hPa.
    void set_environment(double celsius, double rh, double hpa);
    // Faults: each conversion takes `extra` longer than typical (hours = stuck "measuring");
    // skipped output: the data registers read 0x80000 / 0x8000 whatever the settings, as when
    // a brown-out reset swallowed the trigger.
    void set_extra_conversion_time(std::chrono::microseconds extra);
    // Each NVM copy (after a soft reset) takes `extra` longer than t_startup (hours = stuck).
    void set_extra_nvm_copy_time(std::chrono::microseconds extra);
    void set_output_skipped(bool skipped);

    int conversions_started() const;  // forced-mode triggers seen so far
    int resets() const;               // soft resets (0xB6 to 0xE0) seen so far

    bool on_write(std::span<const std::uint8_t> data) override;

private:
    struct sample {
        std::int32_t adc_p, adc_t, adc_h;
    };

    void on_register_written(std::uint8_t address, std::uint8_t value) override;
    void before_read(std::uint8_t address) override;
    void power_on_reset();
    void start_conversion(util::steady_time now);
    sample convert_environment() const;
    void commit(const sample& s);
    void put(std::uint8_t address, std::uint8_t value);
    bool writable(std::uint8_t address) const;

    const sim_bmx280_model model_;
    const bmx280_calibration cal_;
    std::array<std::uint8_t, 256> shadow_{};  // what read-only registers must read back as
    double celsius_ = 22.5, rh_ = 45.0, hpa_ = 1013.25;
    std::uint8_t osrs_h_latched_ = 0;
    bool converting_ = false;
    sample pending_{};
    util::steady_time done_at_{}, nvm_copied_at_{};
    std::chrono::microseconds extra_{0}, extra_nvm_{0};
    bool skipped_ = false;
    int conversions_ = 0, resets_ = 0;
};

}  // namespace piogate::hw
