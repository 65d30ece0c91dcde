// Exponential backoff with jitter for retries (reconnects, failing sensors).
//
// delay(n) = min(max_delay, min_delay * 2^n), then drawn uniformly from
// [max(min_delay, delay/2), delay] so that many clients restarted together do not retry in
// lock-step, and no retry comes sooner than min_delay.
// Not thread-safe; units are milliseconds.
#pragma once

#include <chrono>
#include <cstdint>
#include <random>

namespace piogate::util {

// Pure: the delay before retry number `attempt` (0-based) given `unit_random` in [0, 1).
std::chrono::milliseconds backoff_delay(std::chrono::milliseconds min_delay,
                                        std::chrono::milliseconds max_delay, unsigned attempt,
                                        double unit_random) noexcept;

class backoff {
public:
    backoff(std::chrono::milliseconds min_delay, std::chrono::milliseconds max_delay);
    std::chrono::milliseconds next();  // the delay for the next retry; counts the attempt
    void reset() noexcept { attempt_ = 0; }
    unsigned attempts() const noexcept { return attempt_; }
    void set_limits(std::chrono::milliseconds min_delay, std::chrono::milliseconds max_delay);

private:
    std::chrono::milliseconds min_;
    std::chrono::milliseconds max_;
    unsigned attempt_ = 0;
    std::minstd_rand rng_;
};

}  // namespace piogate::util
