#include "log/rate_limiter.hpp"
// SPDX-License-Identifier: Apache-2.0
namespace piogate::log {

rate_limiter::key_map::iterator rate_limiter::find_or_add(std::string_view key, time_point now) {
    if (auto it = keys_.find(key); it != keys_.end()) return it;
    if (keys_.size() >= settings_.max_keys) {
        std::erase_if(keys_, [&](const auto& kv) {
            return kv.second.suppressed == 0 && over(kv.second, now);
        });
    }
    if (keys_.size() >= settings_.max_keys) {
        if (auto it = keys_.find(overflow_key); it != keys_.end()) return it;
        key = overflow_key;  // may exceed max_keys by this one key
    }
    return keys_.emplace(std::string(key), window_state{now, 0, 0}).first;
}

rate_limiter::verdict rate_limiter::on_event(std::string_view key, time_point now) {
    verdict v;
    auto it = find_or_add(key, now);
    window_state& w = it->second;
    if (over(w, now)) {
        v.suppressed_before = w.suppressed;
        w = window_state{now, 0, 0};
    }
    if (w.passed < settings_.burst) {
        ++w.passed;
        v.emit = true;
    } else if (w.suppressed++ == 0) {
        v.summary_due = w.start + settings_.window;
    }
    return v;
}

std::vector<rate_limiter::summary> rate_limiter::take_all() {
    std::vector<summary> all;
    for (const auto& [key, w] : keys_) {
        if (w.suppressed > 0) all.push_back({key, w.suppressed});
    }
    keys_.clear();
    return all;
}

std::vector<rate_limiter::summary> rate_limiter::take_due(time_point now) {
    std::vector<summary> due;
    for (auto it = keys_.begin(); it != keys_.end();) {
        if (!over(it->second, now)) {
            ++it;
        } else {
            if (it->second.suppressed > 0) due.push_back({it->first, it->second.suppressed});
            it = keys_.erase(it);  // the window is over: the next event starts afresh
        }
    }
    return due;
}

}  // namespace piogate::log
