// Rate limit for repeated log events, per key (a channel and what went wrong with it):
// in each window, which starts with a key's first event, the first `burst` events pass and
// the rest are only counted. The count is reported once, as "N similar ... suppressed":
// either before the next event let through after the window (on_event's suppressed_before),
// or by take_due() once the window has passed (on_event's summary_due says when).
//
//   auto v = limiter.on_event("actuator pump: bad command", now);
//   if (v.suppressed_before) log(summary(v.suppressed_before));
//   if (v.emit) log(event);
//   if (v.summary_due) arm a timer for *v.summary_due -> take_due(then)
//
// Pure: time is passed in, no I/O. Not thread-safe (log::write_limited serialises it).
// Memory: at most `max_keys` keys; keys with nothing pending are forgotten once their window
// has passed, and when all are busy new keys share one overflow key.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace piogate::log {

class rate_limiter {
public:
    using clock = std::chrono::steady_clock;
    using time_point = clock::time_point;

    struct settings {
        std::size_t burst = 5;  // events let through per key and window
        std::chrono::milliseconds window{10'000};
        std::size_t max_keys = 256;
    };

    struct verdict {
        bool emit = false;                      // write this event
        std::uint64_t suppressed_before = 0;    // a passed window's count: report it first
        std::optional<time_point> summary_due;  // first suppressed event of its window
    };

    struct summary {
        std::string key;
        std::uint64_t suppressed = 0;
    };

    static constexpr std::string_view overflow_key = "(other messages)";

    rate_limiter() : rate_limiter(settings{}) {}
    explicit rate_limiter(settings s) : settings_(s) {}

    verdict on_event(std::string_view key, time_point now);
    // The counts of every window that has passed by `now` with events suppressed; each is
    // reported once.
    std::vector<summary> take_due(time_point now);
    // The counts of every window with events suppressed, over or not (at shutdown); forgets all.
    std::vector<summary> take_all();

    std::size_t keys() const noexcept { return keys_.size(); }
    const settings& limits() const noexcept { return settings_; }

private:
    struct window_state {
        time_point start{};
        std::size_t passed = 0;
        std::uint64_t suppressed = 0;
    };
    using key_map = std::map<std::string, window_state, std::less<>>;

    key_map::iterator find_or_add(std::string_view key, time_point now);
    bool over(const window_state& w, time_point now) const {
        return now - w.start >= settings_.window;
    }

    settings settings_;
    key_map keys_;
};

}  // namespace piogate::log
