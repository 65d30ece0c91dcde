// A PWM ramp, pure: from one duty to another over a duration, in steps. The channel asks
// where the ramp is at a point of (injected) time and when the next step is due.
//
// Units: duty in percent (0..100); time as steady durations since the ramp started.
// Thread: any (a value type).
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <chrono>

namespace piogate::app {

class pwm_ramp {
public:
    // Steps at most every `min_step` (default 20 ms: 50 writes per second), and no more
    // often than one per 0.1 % of duty change. A duration <= 0 is a jump.
    pwm_ramp(double from, double to, std::chrono::nanoseconds duration,
             std::chrono::nanoseconds min_step = std::chrono::milliseconds(20));

    double at(std::chrono::nanoseconds elapsed) const;  // the duty then; `to` once done
    bool done(std::chrono::nanoseconds elapsed) const { return elapsed >= duration_; }
    // When the step after `elapsed` is due (<= duration; the last step lands on it exactly).
    std::chrono::nanoseconds next_step(std::chrono::nanoseconds elapsed) const;
    double target() const { return to_; }

private:
    double from_;
    double to_;
    std::chrono::nanoseconds duration_;
    std::chrono::nanoseconds step_;
};

}  // namespace piogate::app
