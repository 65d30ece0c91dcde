// Translates the session's message ids into the ids the Paho-style client returned.
//
// With loop_start() running, client::publish() numbers a request on the caller's thread and
// returns that mid at once; the session numbers it again when the loop thread carries it out.
// Both count 1, 2, ... 0x7FFFFFFF and wrap to 1, and the loop carries requests out in the
// order they were numbered, so the two differ by a constant. The constant changes only when a
// numbered request never reached the session (refused there) or a new session started; each
// change opens a segment, and a lookup takes the newest segment at or before the id. The
// oldest of 4096 segments is forgotten (changes are rare: they need a refusal by the session).
// Pure. Thread: one owner (the thread that runs the client's loop).
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <cstddef>
#include <cstdint>
#include <vector>

namespace piogate::mqtt {

class mid_map {
public:
    static constexpr std::int64_t max_mid = 0x7FFFFFFF;

    void reset() { segments_.clear(); }

    // The request the client numbered `client_mid` got `session_mid` from the session.
    void record(int session_mid, int client_mid) {
        if (session_mid <= 0 || client_mid <= 0) return;
        const std::int64_t delta = mod(std::int64_t{client_mid} - session_mid);
        if (!segments_.empty() && segments_.back().delta == delta) return;
        if (segments_.size() >= max_segments) segments_.erase(segments_.begin());
        segments_.push_back({session_mid, delta});
    }

    // The client's id for a session id; 0 (an automatic request) stays 0.
    int to_client(int session_mid) const {
        if (session_mid <= 0 || segments_.empty()) return session_mid;
        std::int64_t delta = segments_.front().delta;
        for (auto it = segments_.rbegin(); it != segments_.rend(); ++it) {
            if (mod(std::int64_t{session_mid} - it->first) < max_mid / 2) {
                delta = it->delta;
                break;
            }
        }
        return static_cast<int>(mod(session_mid - 1 + delta) + 1);
    }

    std::size_t segments() const { return segments_.size(); }

private:
    static constexpr std::size_t max_segments = 4096;
    static std::int64_t mod(std::int64_t v) { return ((v % max_mid) + max_mid) % max_mid; }

    struct segment {
        int first;           // the first session id it covers
        std::int64_t delta;  // client - session, modulo max_mid
    };
    std::vector<segment> segments_;
};

}  // namespace piogate::mqtt
