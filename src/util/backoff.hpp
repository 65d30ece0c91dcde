// Exponential backoff with jitter for retries (reconnects, failing sensors).
//
// delay(n) = min(max_delay, min_delay * 2^n), then drawn uniformly from
// [max(min_delay, delay/2), delay] so that many clients restarted together do not retry in
// lock-step, and no retry comes sooner than min_delay.
// Not thread-safe; units are milliseconds.
#pragma once
// SPDX-License-Identifier: Apache-2.0
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

// Pure reconnect policy (events and times in, delays out; the caller draws the randomness).
//
// - Attempts that fail (no TCP, no TLS, timeout, CONNACK refused) back off exponentially up
//   to max_delay, as backoff_delay does.
// - A connection the broker accepted (CONNACK 0) that proved healthy (a PINGRESP arrived, or
//   it stayed up for stable_after()) resets everything: the next attempt waits min_delay.
// - One that dropped before proving healthy counts towards a storm level, so a broker that
//   accepts and drops the client again and again is retried more and more slowly, but never
//   slower than storm_cap(): while the last connection was accepted, the broker is alive and
//   a flapping one must not be left unused for minutes after it settles.
// - Failed attempts (the broker is down) are a series of their own, started again by every
//   accepted connection: after a drop they double from 2 * min_delay up to max_delay, so a
//   long outage still backs off fully while a short one costs about its own length.
// Units are milliseconds; time_point is any monotonic clock's. Not thread-safe.
class reconnect_backoff {
public:
    using clock = std::chrono::steady_clock;
    using time_point = clock::time_point;

    reconnect_backoff(std::chrono::milliseconds min_delay, std::chrono::milliseconds max_delay);
    void set_limits(std::chrono::milliseconds min_delay, std::chrono::milliseconds max_delay);

    // max(10 s, min_delay): how long an accepted connection must last to count as healthy.
    std::chrono::milliseconds stable_after() const noexcept;
    // min(max_delay, stable_after()): the longest wait after an accepted connection ended.
    std::chrono::milliseconds storm_cap() const noexcept;

    void on_accepted(time_point now) noexcept;  // CONNACK with return code 0
    void on_healthy() noexcept;                 // proof of a working link (first PINGRESP)
    // The delay before the next attempt, after an attempt failed (never accepted).
    std::chrono::milliseconds after_failure(double unit_random) noexcept;
    // The delay before the next attempt, after an accepted connection ended at `now`.
    std::chrono::milliseconds after_drop(time_point now, double unit_random) noexcept;

    unsigned storm_level() const noexcept { return storm_; }

private:
    unsigned storm_steps() const noexcept;  // the storm level at which storm_cap() is reached

    std::chrono::milliseconds min_;
    std::chrono::milliseconds max_;
    unsigned storm_ = 0;     // accepted connections in a row that dropped before proving healthy
    unsigned failures_ = 0;  // delays given since the last accepted connection ended
    time_point accepted_at_{};
    bool healthy_ = false;
};

}  // namespace piogate::util
