#include "util/backoff.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <algorithm>

namespace piogate::util {

std::chrono::milliseconds backoff_delay(std::chrono::milliseconds min_delay,
                                        std::chrono::milliseconds max_delay, unsigned attempt,
                                        double unit_random) noexcept {
    if (max_delay < min_delay) max_delay = min_delay;
    double full = static_cast<double>(min_delay.count());
    for (unsigned i = 0; i < attempt && full < static_cast<double>(max_delay.count()); ++i) {
        full *= 2;
    }
    full = std::min(full, static_cast<double>(max_delay.count()));
    unit_random = std::clamp(unit_random, 0.0, 1.0);
    const double low = std::max(static_cast<double>(min_delay.count()), full / 2);
    return std::chrono::milliseconds(static_cast<std::int64_t>(low + (full - low) * unit_random));
}

backoff::backoff(std::chrono::milliseconds min_delay, std::chrono::milliseconds max_delay)
    : min_(min_delay), max_(max_delay), rng_(std::random_device{}()) {}

std::chrono::milliseconds backoff::next() {
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    return backoff_delay(min_, max_, attempt_++, unit(rng_));
}

void backoff::set_limits(std::chrono::milliseconds min_delay, std::chrono::milliseconds max_delay) {
    min_ = min_delay;
    max_ = max_delay;
}

// ---- reconnect_backoff ----

reconnect_backoff::reconnect_backoff(std::chrono::milliseconds min_delay,
                                     std::chrono::milliseconds max_delay)
    : min_(min_delay), max_(std::max(min_delay, max_delay)) {}

void reconnect_backoff::set_limits(std::chrono::milliseconds min_delay,
                                   std::chrono::milliseconds max_delay) {
    min_ = min_delay;
    max_ = std::max(min_delay, max_delay);
}

std::chrono::milliseconds reconnect_backoff::stable_after() const noexcept {
    return std::max<std::chrono::milliseconds>(std::chrono::seconds(10), min_);
}

std::chrono::milliseconds reconnect_backoff::storm_cap() const noexcept {
    return std::min(max_, stable_after());
}

unsigned reconnect_backoff::storm_steps() const noexcept {
    unsigned steps = 0;
    for (auto d = min_; d < storm_cap() && d.count() > 0; d *= 2) ++steps;
    return steps;
}

void reconnect_backoff::on_accepted(time_point now) noexcept {
    accepted_at_ = now;
    healthy_ = false;
}

void reconnect_backoff::on_healthy() noexcept { healthy_ = true; }

std::chrono::milliseconds reconnect_backoff::after_failure(double unit_random) noexcept {
    const unsigned exponent = failures_;
    if (failures_ < 64) ++failures_;  // backoff_delay saturates long before
    return backoff_delay(min_, max_, exponent, unit_random);
}

std::chrono::milliseconds reconnect_backoff::after_drop(time_point now,
                                                        double unit_random) noexcept {
    if (healthy_ || now - accepted_at_ >= stable_after()) {
        storm_ = 0;
    } else {
        storm_ = std::min(storm_ + 1, storm_steps());
    }
    healthy_ = false;
    failures_ = 1;  // the retry after this drop is the first of a new series
    return backoff_delay(min_, storm_cap(), storm_, unit_random);
}

}  // namespace piogate::util
