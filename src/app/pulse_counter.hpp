// A pulse counter (S0 energy meter, water or gas meter reed contact), pure: counted edges and
// `now` in, a total and a rate out. No I/O, no clock of its own.
//
// Debounce: an edge closer than `min_interval` to the last counted one is not counted (the
// contact's bounce; an S0 pulse is >= 30 ms). The total is count x multiplier in the
// configured unit (kWh, m³, L, ...). The rate is the counted pulses of the last `window`
// (kept in 60 buckets, so memory stays constant at any pulse rate) times the multiplier, per
// `rate_per` (an hour or a minute); until a window has passed, over the time since start
// (at least one second).
//
// Thread: one (the event loop's); no locking.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <array>
#include <chrono>
#include <cstdint>

namespace piogate::app {

struct pulse_counter_settings {
    double multiplier = 1.0;  // units per pulse
    std::chrono::nanoseconds min_interval{0};
    std::chrono::nanoseconds window = std::chrono::seconds(60);  // > 0
    std::chrono::nanoseconds rate_per = std::chrono::hours(1);
};

class pulse_counter {
public:
    // `count`: the pulses counted before (restored from the state file); `now`: the start.
    pulse_counter(pulse_counter_settings settings, std::uint64_t count,
                  std::chrono::nanoseconds now);

    // One edge of the counted kind at `now` (monotonic); true when counted.
    bool edge(std::chrono::nanoseconds now);

    std::uint64_t count() const { return count_; }
    double total() const { return static_cast<double>(count_) * s_.multiplier; }
    // Units per rate_per at `now` (>= the last edge's time).
    double rate(std::chrono::nanoseconds now) const;
    const pulse_counter_settings& settings() const { return s_; }

private:
    static constexpr std::size_t buckets = 60;
    std::int64_t bucket_of(std::chrono::nanoseconds t) const;

    pulse_counter_settings s_;
    std::uint64_t count_;
    std::chrono::nanoseconds started_;
    std::chrono::nanoseconds bucket_len_;
    std::chrono::nanoseconds last_{};
    bool any_ = false;
    struct bucket {
        std::int64_t index = -1;  // absolute bucket number since start; -1 = unused
        std::uint32_t pulses = 0;
    };
    std::array<bucket, buckets> ring_{};
};

}  // namespace piogate::app
