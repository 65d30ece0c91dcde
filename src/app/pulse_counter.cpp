#include "app/pulse_counter.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <algorithm>

namespace piogate::app {

pulse_counter::pulse_counter(pulse_counter_settings settings, std::uint64_t count,
                             std::chrono::nanoseconds now)
    : s_(settings),
      count_(count),
      started_(now),
      bucket_len_(std::max<std::chrono::nanoseconds>(s_.window / static_cast<long>(buckets),
                                                     std::chrono::nanoseconds(1))) {}

std::int64_t pulse_counter::bucket_of(std::chrono::nanoseconds t) const {
    return t < started_ ? 0 : (t - started_) / bucket_len_;
}

bool pulse_counter::edge(std::chrono::nanoseconds now) {
    if (any_ && now - last_ < s_.min_interval) return false;
    any_ = true;
    last_ = now;
    ++count_;
    const std::int64_t b = bucket_of(now);
    auto& slot = ring_[static_cast<std::size_t>(b) % buckets];
    if (slot.index != b) slot = {b, 0};
    ++slot.pulses;
    return true;
}

double pulse_counter::rate(std::chrono::nanoseconds now) const {
    const std::int64_t b = bucket_of(now);
    std::uint64_t pulses = 0;
    for (const auto& slot : ring_) {
        if (slot.index >= 0 && slot.index > b - static_cast<std::int64_t>(buckets) &&
            slot.index <= b) {
            pulses += slot.pulses;
        }
    }
    // The summed buckets cover the current one up to `now` and the 59 before it, but not
    // before the start.
    const auto current_start = started_ + b * bucket_len_;
    auto covered = std::min<std::chrono::nanoseconds>(
        (buckets - 1) * bucket_len_ + (now - current_start), now - started_);
    covered = std::max<std::chrono::nanoseconds>(covered, std::chrono::seconds(1));
    const double per = std::chrono::duration<double>(s_.rate_per).count();
    return static_cast<double>(pulses) * s_.multiplier * per /
           std::chrono::duration<double>(covered).count();
}

}  // namespace piogate::app
