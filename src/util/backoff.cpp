#include "util/backoff.hpp"

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

}  // namespace piogate::util
