#include "app/pwm_ramp.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <cmath>

namespace piogate::app {

pwm_ramp::pwm_ramp(double from, double to, std::chrono::nanoseconds duration,
                   std::chrono::nanoseconds min_step)
    : from_(from),
      to_(to),
      duration_(std::max(duration, std::chrono::nanoseconds(0))),
      step_(min_step) {
    const double change = std::abs(to - from);
    if (change > 0 && duration_.count() > 0) {
        // At most one step per 0.1 % of duty: a slow, small ramp does not write for nothing.
        const auto per_tenth = std::chrono::nanoseconds(
            static_cast<std::int64_t>(static_cast<double>(duration_.count()) / (change * 10.0)));
        step_ = std::max(step_, per_tenth);
    }
    step_ = std::max(step_, std::chrono::nanoseconds(1));
}

double pwm_ramp::at(std::chrono::nanoseconds elapsed) const {
    if (done(elapsed)) return to_;
    if (elapsed.count() <= 0) return from_;
    const double f = static_cast<double>(elapsed.count()) / static_cast<double>(duration_.count());
    return from_ + (to_ - from_) * f;
}

std::chrono::nanoseconds pwm_ramp::next_step(std::chrono::nanoseconds elapsed) const {
    if (elapsed < std::chrono::nanoseconds(0)) elapsed = std::chrono::nanoseconds(0);
    const auto next = (elapsed / step_ + 1) * step_;
    return std::min(next, duration_);
}

}  // namespace piogate::app
