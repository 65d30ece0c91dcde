#include "hw/debounce.hpp"
// SPDX-License-Identifier: Apache-2.0
namespace piogate::hw {

debouncer::debouncer(std::chrono::nanoseconds period, bool initial_level)
    : period_(period < std::chrono::nanoseconds::zero() ? std::chrono::nanoseconds::zero()
                                                        : period),
      stable_(initial_level),
      raw_(initial_level) {}

debounce_step debouncer::on_level(bool level, std::chrono::nanoseconds now) {
    debounce_step step;
    if (now < since_) now = since_;
    // The pending level may have held long enough already: the timer is late, or the report
    // of the next change beat it to the loop. It counts, as of the moment it began.
    if (pending_ && now >= since_ + period_) {
        stable_ = raw_;
        pending_ = false;
        step.publish = debounced_level{raw_, since_};
    }
    if (level == raw_) return step;  // a repeat: nothing changed on the line
    raw_ = level;
    since_ = now;
    if (raw_ == stable_) {
        pending_ = false;  // came back before the period ran out: a glitch, no event
    } else if (period_ == std::chrono::nanoseconds::zero()) {
        stable_ = raw_;
        step.publish = debounced_level{raw_, since_};
    } else {
        pending_ = true;
        step.check_at = since_ + period_;
    }
    return step;
}

debounce_step debouncer::on_timer(std::chrono::nanoseconds now) {
    debounce_step step;
    if (!pending_) return step;  // a stale timer
    if (now >= since_ + period_) {
        stable_ = raw_;
        pending_ = false;
        step.publish = debounced_level{raw_, since_};
    } else {
        step.check_at = since_ + period_;  // fired early, or armed for an earlier change
    }
    return step;
}

}  // namespace piogate::hw
