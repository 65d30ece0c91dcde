#include "hw/sensors/bmx280_compensation.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>

#include "hw/hw_error.hpp"

namespace piogate::hw {

namespace {

std::uint16_t u16(std::uint8_t lsb, std::uint8_t msb) {
    return static_cast<std::uint16_t>(lsb | (msb << 8));
}
std::int16_t s16(std::uint8_t lsb, std::uint8_t msb) {
    return static_cast<std::int16_t>(u16(lsb, msb));
}

// 64-bit arithmetic that remembers an overflow. The datasheet's pressure code sits close to
// the int64 limits (2^47 · dig_P1); a damaged calibration must give "invalid", never UB.
class checked_int64 {
public:
    std::int64_t mul(std::int64_t a, std::int64_t b) {
        std::int64_t r = 0;
        overflow_ |= __builtin_mul_overflow(a, b, &r);
        return r;
    }
    std::int64_t add(std::int64_t a, std::int64_t b) {
        std::int64_t r = 0;
        overflow_ |= __builtin_add_overflow(a, b, &r);
        return r;
    }
    std::int64_t sub(std::int64_t a, std::int64_t b) {
        std::int64_t r = 0;
        overflow_ |= __builtin_sub_overflow(a, b, &r);
        return r;
    }
    bool overflow() const { return overflow_; }

private:
    bool overflow_ = false;
};

std::string raw_hex(std::int32_t raw) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%05X", static_cast<unsigned>(raw));
    return buf;
}

std::string fixed(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", v);
    return buf;
}

}  // namespace

int oversampling_factor(bmx280_oversampling os) {
    switch (os) {
        case bmx280_oversampling::skipped:
            return 0;
        case bmx280_oversampling::x1:
            return 1;
        case bmx280_oversampling::x2:
            return 2;
        case bmx280_oversampling::x4:
            return 4;
        case bmx280_oversampling::x8:
            return 8;
        case bmx280_oversampling::x16:
            return 16;
    }
    return 16;  // 101 and above mean x16 on the chip
}

std::chrono::microseconds bmx280_max_measurement_time(bmx280_oversampling t, bmx280_oversampling p,
                                                      bmx280_oversampling h) {
    auto us = 1250 + 2300 * oversampling_factor(t);
    if (const int f = oversampling_factor(p)) us += 2300 * f + 575;
    if (const int f = oversampling_factor(h)) us += 2300 * f + 575;
    return std::chrono::microseconds{us};
}

bmx280_calibration decode_bmx280_calibration(std::span<const std::uint8_t, bmx280_calib0_size> b,
                                             std::span<const std::uint8_t> h) {
    bmx280_calibration c;
    c.t1 = u16(b[0], b[1]);
    c.t2 = s16(b[2], b[3]);
    c.t3 = s16(b[4], b[5]);
    c.p1 = u16(b[6], b[7]);
    std::int16_t* const p[] = {&c.p2, &c.p3, &c.p4, &c.p5, &c.p6, &c.p7, &c.p8, &c.p9};
    for (std::size_t i = 0; i < 8; ++i) *p[i] = s16(b[8 + 2 * i], b[9 + 2 * i]);
    if (h.size() < bme280_calib1_size) return c;  // BMP280: no humidity words
    c.h1 = b[25];
    c.h2 = s16(h[0], h[1]);
    c.h3 = h[2];
    // 0xE4 holds dig_H4[11:4], 0xE5[3:0] dig_H4[3:0], 0xE5[7:4] dig_H5[3:0], 0xE6 dig_H5[11:4];
    // both are signed 12-bit, the sign coming from the high byte.
    const int h4_high = static_cast<std::int8_t>(h[3]);
    const int h5_high = static_cast<std::int8_t>(h[5]);
    c.h4 = static_cast<std::int16_t>(h4_high * 16 + (h[4] & 0x0F));
    c.h5 = static_cast<std::int16_t>(h5_high * 16 + (h[4] >> 4));
    c.h6 = static_cast<std::int8_t>(h[6]);
    return c;
}

void encode_bmx280_calibration(const bmx280_calibration& c,
                               std::span<std::uint8_t, bmx280_calib0_size> b,
                               std::span<std::uint8_t, bme280_calib1_size> h) {
    auto put = [](std::uint8_t* at, unsigned v) {
        at[0] = static_cast<std::uint8_t>(v & 0xFF);
        at[1] = static_cast<std::uint8_t>((v >> 8) & 0xFF);
    };
    const std::int16_t words[] = {c.t2, c.t3};
    put(&b[0], c.t1);
    put(&b[2], static_cast<std::uint16_t>(words[0]));
    put(&b[4], static_cast<std::uint16_t>(words[1]));
    put(&b[6], c.p1);
    const std::int16_t p[] = {c.p2, c.p3, c.p4, c.p5, c.p6, c.p7, c.p8, c.p9};
    for (std::size_t i = 0; i < 8; ++i) put(&b[8 + 2 * i], static_cast<std::uint16_t>(p[i]));
    b[24] = 0;  // 0xA0 reserved
    b[25] = c.h1;
    put(&h[0], static_cast<std::uint16_t>(c.h2));
    h[2] = c.h3;
    const auto h4 = static_cast<unsigned>(c.h4) & 0xFFF, h5 = static_cast<unsigned>(c.h5) & 0xFFF;
    h[3] = static_cast<std::uint8_t>(h4 >> 4);
    h[4] = static_cast<std::uint8_t>((h4 & 0x0F) | ((h5 & 0x0F) << 4));
    h[5] = static_cast<std::uint8_t>(h5 >> 4);
    h[6] = static_cast<std::uint8_t>(c.h6);
}

util::result<void> check_bmx280_calibration(const bmx280_calibration& cal) {
    if (cal.t1 == 0) return hw_fail(hw_errc::out_of_range, "calibration word dig_T1 is 0");
    if (cal.p1 == 0) return hw_fail(hw_errc::out_of_range, "calibration word dig_P1 is 0");
    return {};
}

bmx280_raw decode_bmx280_raw(std::span<const std::uint8_t> d) {
    bmx280_raw raw;
    if (d.size() < 6) return raw;
    raw.adc_p = (d[0] << 12) | (d[1] << 4) | (d[2] >> 4);
    raw.adc_t = (d[3] << 12) | (d[4] << 4) | (d[5] >> 4);
    if (d.size() >= 8) raw.adc_h = (d[6] << 8) | d[7];
    return raw;
}

bmx280_temperature compensate_temperature(const bmx280_calibration& cal, std::int32_t adc_t) {
    const std::int64_t t1 = cal.t1;
    const std::int64_t var1 = (((adc_t >> 3) - t1 * 2) * cal.t2) >> 11;
    const std::int64_t d = (adc_t >> 4) - t1;
    const std::int64_t var2 = (((d * d) >> 12) * cal.t3) >> 14;
    const auto t_fine = static_cast<std::int32_t>(var1 + var2);
    return {static_cast<std::int32_t>((std::int64_t{t_fine} * 5 + 128) >> 8), t_fine};
}

std::uint32_t compensate_pressure_q24_8(const bmx280_calibration& cal, std::int32_t adc_p,
                                        std::int32_t t_fine) {
    checked_int64 c;
    std::int64_t var1 = std::int64_t{t_fine} - 128000;
    std::int64_t var2 = c.mul(c.mul(var1, var1), cal.p6);
    var2 = c.add(var2, c.mul(c.mul(var1, cal.p5), std::int64_t{1} << 17));
    var2 = c.add(var2, c.mul(cal.p4, std::int64_t{1} << 35));
    var1 = c.add(c.mul(c.mul(var1, var1), cal.p3) >> 8,
                 c.mul(c.mul(var1, cal.p2), std::int64_t{1} << 12));
    var1 = c.mul(c.add(std::int64_t{1} << 47, var1), cal.p1) >> 33;
    if (c.overflow() || var1 == 0) return 0;  // the datasheet's guard against division by zero
    std::int64_t p = 1048576 - std::int64_t{adc_p};
    p = c.mul(c.sub(c.mul(p, std::int64_t{1} << 31), var2), 3125) / var1;
    var1 = c.mul(c.mul(cal.p9, p >> 13), p >> 13) >> 25;
    var2 = c.mul(cal.p8, p) >> 19;
    p = c.add(c.add(c.add(p, var1), var2) >> 8, std::int64_t{cal.p7} * 16);
    if (c.overflow() || p < 0 || p > std::numeric_limits<std::uint32_t>::max()) return 0;
    return static_cast<std::uint32_t>(p);
}

std::uint32_t compensate_humidity_q22_10(const bmx280_calibration& cal, std::int32_t adc_h,
                                         std::int32_t t_fine) {
    // The datasheet's 32-bit code with 64-bit intermediates: identical wherever that code does
    // not overflow; beyond, the clamps give 0 or 100 %RH instead of wrapped garbage.
    constexpr std::int64_t max_rh = 419430400;                // 100 %RH in Q22.10 << 12
    if (t_fine < -(1 << 22) || t_fine > (1 << 22)) return 0;  // far beyond any real temperature
    const std::int64_t h = std::clamp<std::int32_t>(adc_h, 0, 0xFFFF);
    const std::int64_t v = std::int64_t{t_fine} - 76800;
    const std::int64_t a = (h * 16384 - std::int64_t{cal.h4} * 1048576 - cal.h5 * v + 16384) >> 15;
    const std::int64_t b =
        ((((((v * cal.h6) >> 10) * (((v * cal.h3) >> 11) + 32768)) >> 10) + 2097152) * cal.h2 +
         8192) >>
        14;
    std::int64_t x = std::clamp<std::int64_t>(a * b, 0, std::numeric_limits<std::int32_t>::max());
    x -= ((((x >> 15) * (x >> 15)) >> 7) * cal.h1) >> 4;
    return static_cast<std::uint32_t>(std::clamp<std::int64_t>(x, 0, max_rh) >> 12);
}

util::result<bmx280_values> convert_bmx280(const bmx280_calibration& cal, const bmx280_raw& raw,
                                           bool want_pressure, bool want_humidity) {
    auto invalid = [](const std::string& what) { return hw_fail(hw_errc::out_of_range, what); };
    if (raw.adc_t == bmx280_skipped_20bit) {
        return invalid("temperature was skipped (raw 0x80000): no measurement ran");
    }
    if (want_pressure && raw.adc_p == bmx280_skipped_20bit) {
        return invalid("pressure was skipped (raw 0x80000)");
    }
    if (want_humidity && raw.adc_h == bme280_skipped_humidity) {
        return invalid("humidity was skipped (raw 0x8000)");
    }
    const auto t = compensate_temperature(cal, raw.adc_t);
    bmx280_values out;
    out.celsius = t.centi_celsius / 100.0;
    if (!std::isfinite(out.celsius) || out.celsius < bmx280_min_celsius ||
        out.celsius > bmx280_max_celsius) {
        return invalid("temperature " + fixed(out.celsius) + " °C out of range -40..85 (raw " +
                       raw_hex(raw.adc_t) + ")");
    }
    if (want_pressure) {
        out.has_pressure = true;
        out.hpa = compensate_pressure_q24_8(cal, raw.adc_p, t.t_fine) / 25600.0;
        if (!std::isfinite(out.hpa) || out.hpa < bmx280_min_hpa || out.hpa > bmx280_max_hpa) {
            return invalid("pressure " + fixed(out.hpa) + " hPa out of range 300..1100 (raw " +
                           raw_hex(raw.adc_p) + ")");
        }
    }
    if (want_humidity) {
        out.has_humidity = true;
        out.rh = compensate_humidity_q22_10(cal, raw.adc_h, t.t_fine) / 1024.0;
        if (!std::isfinite(out.rh) || out.rh < 0 || out.rh > 100) {
            return invalid("humidity " + fixed(out.rh) + " %RH out of range 0..100 (raw " +
                           raw_hex(raw.adc_h) + ")");
        }
    }
    return out;
}

}  // namespace piogate::hw
