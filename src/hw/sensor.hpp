// What every sensor driver offers: open (chip-id check, calibration, configuration) and
// measure (the datasheet's measurement sequence, converted to physical units).
//
// Thread: both block on their source (an I2C bus, a sysfs file): call them on the source's
// worker thread, never on the event loop.
// Errors: results. A value that cannot be valid (CRC mismatch, out of the chip's range, NaN,
// status says stale) is an error, never a reading.
// Waiting: a driver that must wait (a conversion still running, a DHT22 read sooner than 2 s
// after the last one) overrides attempt() and answers measure_result::again(delay, reason)
// instead of sleeping on the worker: the channel calls attempt() again after `delay` on its
// scheduler (within its interval; only when the retries run out before the next interval is
// `reason` reported as an error), so the worker is free for the other chips on its bus
// meanwhile. The I2C drivers with a conversion (BME280, SHT3x, AHT20, HTU21D, BH1750, ADS1115,
// INA219) derive from converting_sensor: attempt() is a small state machine (first call starts
// the conversion and answers converting(the datasheet's conversion time), the next reads the
// result or answers converting(poll interval) while the chip says "not ready", a bounded number
// of times,
// then fails with hw_errc::timeout) and measure() is measure_blocking() on the real clock.
// open() does not sleep either: a chip that needs time after it (a BME280's or SHT3x's soft
// reset, the BME280's NVM copy, an LM75/TMP102/MCP9808 leaving shutdown or changing its format)
// has its first attempt() answer converting(that time)
// (converting_sensor::wait_before_first_attempt); only the AHT20's open() still sleeps
// (power-up, 40 ms). The sysfs drivers only implement measure(), which attempt() calls by
// default.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "hw/hw_error.hpp"
#include "util/clock.hpp"
#include "util/result.hpp"

namespace piogate::hw {

// One quantity of a reading. Names and units are fixed per quantity:
// temperature °C, humidity %RH, pressure hPa, illuminance lx, voltage V, current A, power W;
// a generic register sensor uses the name and unit of its config.
struct measurement {
    std::string name;  // "temperature", "humidity", "pressure", "illuminance", "voltage", ...
    double value = 0;
    std::string unit;  // "°C", "%RH", "hPa", "lx", "V", "A", "W"
};

using reading = std::vector<measurement>;

// A reading, an error, or "again": not ready, ask again after retry_after() (error code
// hw_errc::again, the reason in err().message). Converts from reading, util::error and
// util::result<reading>, so a driver returns any of them.
class measure_result : public util::result<reading> {
public:
    using util::result<reading>::result;
    measure_result(util::result<reading> r) : util::result<reading>(std::move(r)) {}  // NOLINT

    // Not ready: ask again after `delay` (> 0). `reason` names the sensor and why.
    static measure_result again(std::chrono::milliseconds delay, std::string reason) {
        measure_result r(hw_fail(hw_errc::again, std::move(reason)));
        r.retry_after_ =
            delay < std::chrono::milliseconds(1) ? std::chrono::milliseconds(1) : delay;
        return r;
    }
    // Not ready because a conversion it started is still running: like again(), but the
    // channel waits for it even past its interval (the cycle stretches, as a blocking
    // measurement would; the driver bounds its own polls), and never reports `reason`.
    static measure_result converting(std::chrono::milliseconds delay, std::string reason) {
        measure_result r = again(delay, std::move(reason));
        r.converting_ = true;
        return r;
    }
    bool is_again() const { return retry_after_.count() > 0; }
    bool is_converting() const { return converting_; }
    // How long to wait before asking again; 0 unless is_again().
    std::chrono::milliseconds retry_after() const { return retry_after_; }

private:
    std::chrono::milliseconds retry_after_{0};
    bool converting_ = false;
};

class sensor {
public:
    virtual ~sensor() = default;
    virtual const std::string& type() const = 0;  // "bme280"
    virtual util::result<void> open() = 0;
    // One complete measurement: a reading or an error (never "again").
    virtual util::result<reading> measure() = 0;
    // What the sensor channel calls: one attempt, which may answer "again". Default: measure().
    virtual measure_result attempt() { return measure(); }
};

// One complete measurement out of attempt()s: calls s.attempt() until it answers a reading or
// an error, sleeping retry_after() on `clock` between two (clock.sleep_until, on the calling
// thread). For callers that want a blocking one-shot (the tools, driver tests; a manual clock
// makes them run without real waits). After `max_agains` "again"s in a row it gives up with
// hw_errc::timeout and the last reason (a driver bounds its own polls; this is the backstop).
// Thread: the sensor's (its source's worker or a tool's only thread). Never answers "again".
util::result<reading> measure_blocking(sensor& s, const util::clock& clock = util::real_clock(),
                                       int max_agains = 1000);

// A sensor whose measurement is a conversion to wait for: it implements attempt() (never
// sleeping) and measure() is measure_blocking(*this) on the real clock.
class converting_sensor : public sensor {
public:
    util::result<reading> measure() final { return measure_blocking(*this); }
    measure_result attempt() override = 0;

protected:
    // For open(): the chip needs `time` before it may be used (power-up, a soft reset, a
    // configuration change). Instead of open() sleeping it, the next attempt() answers
    // converting(time) without touching the bus (through startup_wait()); 0: no wait.
    void wait_before_first_attempt(std::chrono::milliseconds time) { startup_wait_ = time; }
    // For attempt(), first thing: the wait open() asked for (once: "<type>: starting up"),
    // else nullopt.
    std::optional<measure_result> startup_wait();

    // A wait the chip may outlast (a conversion, an NVM copy) begins: no polls answered yet.
    void start_polling() { polls_ = 0; }
    // The chip says it is not ready yet: converting(`interval` rounded up to ms, `reason`) while
    // fewer than `limit` polls were answered since start_polling(), else the error that
    // `timed_out` makes (called only then: the driver resets its state there and says what ran).
    template <class TimedOut>
    measure_result poll_again(int limit, std::chrono::microseconds interval, std::string reason,
                              TimedOut timed_out) {
        if (polls_ >= limit) return timed_out();
        ++polls_;
        return measure_result::converting(std::chrono::ceil<std::chrono::milliseconds>(interval),
                                          std::move(reason));
    }

private:
    std::chrono::milliseconds startup_wait_{0};
    int polls_ = 0;
};

}  // namespace piogate::hw
