// Software debounce, pure: a level counts once it has held for the debounce period, and the
// level published is the level that held. Levels and times in, decisions out; the caller owns
// the timer (hw/edge_delivery.hpp is the shell that arms a timer from these decisions).
//
//   on_level(level, now)  a reported level (an edge, or a fresh reading)
//   on_timer(now)         the timer armed at a step's check_at has fired (early or late is fine)
//
// Each returns a debounce_step: `publish` when a new stable level is confirmed (at most one per
// call), `check_at` when the caller must call on_timer at that time (re-arm; a later check_at
// replaces an earlier one, and a stale timer is harmless: on_timer answers nothing or a new
// check_at). A level that changes and comes back within the period publishes nothing; repeated
// reports of the same level are ignored; a zero period publishes every change at once.
// Times are a monotonic clock in nanoseconds (CLOCK_MONOTONIC, as kernel edge timestamps and
// steady_clock); a time earlier than the last change is taken as equal to it.
// Thread: not synchronised; one owner (the event-loop thread).
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <chrono>
#include <optional>

#include "hw/gpio.hpp"

namespace piogate::hw {

struct debounced_level {
    bool level = false;
    std::chrono::nanoseconds since{0};  // when this level began (its first report)
};

struct debounce_step {
    std::optional<debounced_level> publish;
    std::optional<std::chrono::nanoseconds> check_at;
};

class debouncer {
public:
    debouncer(std::chrono::nanoseconds period, bool initial_level);

    debounce_step on_level(bool level, std::chrono::nanoseconds now);
    debounce_step on_timer(std::chrono::nanoseconds now);

    bool stable() const { return stable_; }    // the last published (or initial) level
    bool pending() const { return pending_; }  // a different level is waiting out the period
    std::chrono::nanoseconds period() const { return period_; }

private:
    std::chrono::nanoseconds period_;
    bool stable_;
    bool raw_;                           // the last reported level
    std::chrono::nanoseconds since_{0};  // when raw_ began
    bool pending_ = false;
};

// Whether an edge subscription wants an event that leaves the line at `level` (logical).
constexpr bool edge_wanted(edge edges, bool level) {
    switch (edges) {
        case edge::none:
            return false;
        case edge::rising:
            return level;
        case edge::falling:
            return !level;
        case edge::both:
            return true;
    }
    return false;
}

}  // namespace piogate::hw
