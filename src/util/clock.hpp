// A clock that any thread may read, for what keeps time off the event loop: the simulated
// chips, whose conversion times pass while an I2C worker drives them (util/scheduler.hpp is
// the loop's time and is read on the loop's thread only). Production code uses real_clock()
// (std::chrono::steady_clock); unit tests give a manual_clock, whose time moves only when the
// test says so, so a chip's "measuring" window is checked to the microsecond, without sleeps.
//
// Thread: every member of both clocks may be called from any thread. Nothing throws.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <atomic>
#include <chrono>

#include "util/scheduler.hpp"

namespace piogate::util {

class clock {
public:
    virtual ~clock() = default;
    virtual steady_time now() const = 0;
    // Blocks the calling thread until now() >= `t` (a chip holding the bus by clock
    // stretching until its result is ready).
    virtual void sleep_until(steady_time t) const = 0;
};

// std::chrono::steady_clock and std::this_thread::sleep_until. Lives as long as the program.
const clock& real_clock();

// Time that moves only in advance() and in sleep_until(), which moves it to the time slept
// for at once (the sleeper is the only one waiting: nothing else runs in the meanwhile).
// Starts at `start` (not the epoch: code may subtract an interval from now()).
class manual_clock final : public clock {
public:
    explicit manual_clock(steady_time start = steady_time{} + std::chrono::hours(24))
        : ticks_(start.time_since_epoch().count()) {}

    steady_time now() const override { return steady_time{duration{ticks_.load()}}; }
    void sleep_until(steady_time t) const override;
    void advance(std::chrono::steady_clock::duration d) { ticks_ += d.count(); }

private:
    using duration = std::chrono::steady_clock::duration;
    mutable std::atomic<duration::rep> ticks_;  // sleep_until moves it, const as on a real clock
};

}  // namespace piogate::util
