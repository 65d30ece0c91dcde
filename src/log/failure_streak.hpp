// "Log once per failure streak": a run-time failure that repeats every poll (a sensor
// unplugged, a broker down) is logged when the streak starts and when it ends, not on
// every attempt.
//
//   if (streak.on_failure()) log.warning("sensor kitchen: read failed: ...");
//   ...
//   if (streak.on_success()) log.notice("sensor kitchen: recovered after N failures");
//
// Pure, no clock. Not thread-safe: one instance per channel, used from one thread.
#pragma once
// SPDX-License-Identifier: Apache-2.0
namespace piogate::log {

class failure_streak {
public:
    // Counts a failure; true for the first failure of a streak (log it).
    bool on_failure() noexcept { return ++count_ == 1; }

    // Ends the streak; true if there was one (log the recovery). count() drops to 0 and
    // last_streak() keeps the length of the streak that just ended, for the recovery line.
    bool on_success() noexcept {
        if (count_ == 0) return false;
        last_streak_ = count_;
        count_ = 0;
        return true;
    }

    int count() const noexcept { return count_; }          // failures in the current streak
    int last_streak() const noexcept { return last_streak_; }  // length of the last ended streak
    bool failing() const noexcept { return count_ > 0; }

private:
    int count_ = 0;
    int last_streak_ = 0;
};

}  // namespace piogate::log
