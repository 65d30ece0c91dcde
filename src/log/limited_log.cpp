// log::write_limited and flush_limited: one process-wide rate_limiter behind a mutex.
#include <cstdio>
#include <map>
#include <mutex>
// SPDX-License-Identifier: Apache-2.0
#include "log/log.hpp"
#include "log/rate_limiter.hpp"

namespace piogate::log {
namespace {

struct pending {  // how to write a key's summary: as its last suppressed event
    level lvl = level::warning;
    std::string domain;
    std::string key;
    fields extra;
};

struct limited_state {
    std::mutex mutex;
    rate_limiter limiter;
    std::map<std::string, pending, std::less<>> pending_by_key;  // keys with a count to report
};

limited_state& state() {
    static auto* s = new limited_state;  // never destroyed, like the default sink
    return *s;
}

std::string summary_text(std::string_view key, std::uint64_t n, std::chrono::milliseconds window) {
    const auto seconds = std::chrono::duration<double>(window).count();
    char w[32];
    std::snprintf(w, sizeof w, "%g s", seconds);
    return std::string(key) + ": " + std::to_string(n) + " similar message" + (n == 1 ? "" : "s") +
           " suppressed in " + w;
}

std::string composite(std::string_view domain, std::string_view key) {
    std::string k(domain);
    k += '\x1f';
    k += key;
    return k;
}

// Takes the pending entry of `k` (or a generic one) for a summary of n events.
pending take_pending(limited_state& st, std::string_view k) {
    pending p;
    if (auto it = st.pending_by_key.find(k); it != st.pending_by_key.end()) {
        p = std::move(it->second);
        st.pending_by_key.erase(it);
    } else {
        p.domain = "log";
        p.key = std::string(
            k.substr(k.find('\x1f') == std::string_view::npos ? 0 : k.find('\x1f') + 1));
    }
    return p;
}

}  // namespace

std::optional<steady_time> write_limited(level lvl, std::string_view domain, std::string_view key,
                                         std::string_view message, const fields& extra,
                                         steady_time now) noexcept {
    if (!enabled(lvl)) return std::nullopt;
    try {
        auto& st = state();
        std::optional<pending> summary;
        std::uint64_t summarised = 0;
        rate_limiter::verdict v;
        {
            std::lock_guard lock(st.mutex);
            const std::string k = composite(domain, key);
            v = st.limiter.on_event(k, now);
            if (v.suppressed_before) {
                summary = take_pending(st, k);
                summarised = v.suppressed_before;
            }
            if (!v.emit && st.pending_by_key.size() <= st.limiter.limits().max_keys) {
                st.pending_by_key[k] = pending{lvl, std::string(domain), std::string(key), extra};
            }
        }
        if (summary) {
            write(summary->lvl, summary->domain,
                  summary_text(summary->key, summarised, st.limiter.limits().window),
                  summary->extra);
        }
        if (v.emit) write(lvl, domain, message, extra);
        return v.summary_due;
    } catch (...) {
        return std::nullopt;  // logging never throws (allocation failure)
    }
}

namespace {

template <class Take>
void flush_taken(Take take) noexcept {
    try {
        auto& st = state();
        std::vector<std::pair<pending, std::uint64_t>> due;
        std::chrono::milliseconds window{};
        {
            std::lock_guard lock(st.mutex);
            window = st.limiter.limits().window;
            for (auto& s : take(st.limiter))
                due.emplace_back(take_pending(st, s.key), s.suppressed);
        }
        for (const auto& [p, n] : due)
            write(p.lvl, p.domain, summary_text(p.key, n, window), p.extra);
    } catch (...) {
    }
}

}  // namespace

void flush_limited(steady_time now) noexcept {
    flush_taken([now](rate_limiter& l) { return l.take_due(now); });
}

void flush_all_limited() noexcept {
    flush_taken([](rate_limiter& l) { return l.take_all(); });
}

void reset_limits(std::size_t burst, std::chrono::milliseconds window) {
    auto& st = state();
    std::lock_guard lock(st.mutex);
    rate_limiter::settings s;
    s.burst = burst;
    s.window = window;
    st.limiter = rate_limiter(s);
    st.pending_by_key.clear();
}

}  // namespace piogate::log
