// The hand-over from the callers' threads to the loop thread of the Paho-style client.
//
// A request is numbered (its mid) and appended under one short lock: a publish as a small
// record plus its topic and payload bytes in one growing buffer (no allocation per message
// once the buffers have grown; MQTT 5.0 properties, when given, in a list beside them),
// anything else as a call. The loop takes everything at once by
// swapping buffers, so the lock is held once per batch on its side. push_* says `wake` only
// for the first request after a take: the loop is woken once per batch, never per message.
//
// Bound: with a limit, a publish is refused (`full`) while the publishes handed over and not
// yet accounted for, plus the session's queue as last reported, reach it. The estimate never
// undercounts what the loop has taken: accounted() is called after the session has them.
//
// Thread: every member is safe from any thread.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "piogate/mqtt/properties.hpp"

namespace piogate::mqtt {

class request_queue {
public:
    // Carried out on the loop thread; returns the session's mid for a numbered request.
    using call = std::function<int()>;

    struct record {
        bool is_call = false;
        std::uint8_t qos = 0;
        bool retain = false;
        int mid = 0;  // 0: not numbered
        std::size_t topic_off = 0, topic_len = 0;
        std::size_t payload_off = 0, payload_len = 0;  // a call: payload_off indexes `calls`
        std::uint32_t props = 0;                       // a publish's: 1 + index in `props`; 0 none
    };

    struct batch {
        std::vector<record> records;
        std::string bytes;
        std::vector<call> calls;
        std::vector<properties> props;
        std::size_t publishes = 0;

        std::string_view topic(const record& r) const {
            return {bytes.data() + r.topic_off, r.topic_len};
        }
        std::string_view payload(const record& r) const {
            return {bytes.data() + r.payload_off, r.payload_len};
        }
        const properties* properties_of(const record& r) const {
            return r.props == 0 ? nullptr : &props[r.props - 1];
        }
        bool empty() const { return records.empty(); }
        void clear() {
            records.clear();
            bytes.clear();
            calls.clear();
            props.clear();
            publishes = 0;
        }
    };

    struct pushed {
        int mid = 0;
        bool wake = false;  // the first request since the last take: wake the loop
        bool full = false;  // refused by the bound; nothing was appended
    };

    static constexpr std::int64_t max_mid = 0x7FFFFFFF;

    void set_limit(std::size_t limit) {
        std::lock_guard lock(mutex_);
        limit_ = limit;
    }

    // `props`, when not null, is copied.
    pushed push_publish(std::string_view topic, std::string_view payload, int qos, bool retain,
                        const properties* props = nullptr) {
        std::lock_guard lock(mutex_);
        if (limit_ != 0 && unaccounted_ + session_queued_ >= limit_) return {0, false, true};
        record r;
        if (props) {
            filling_.props.push_back(*props);
            r.props = static_cast<std::uint32_t>(filling_.props.size());
        }
        r.qos = static_cast<std::uint8_t>(qos);
        r.retain = retain;
        r.mid = next_mid();
        r.topic_off = filling_.bytes.size();
        r.topic_len = topic.size();
        filling_.bytes.append(topic);
        r.payload_off = filling_.bytes.size();
        r.payload_len = payload.size();
        filling_.bytes.append(payload);
        filling_.records.push_back(r);
        ++filling_.publishes;
        ++unaccounted_;
        return {r.mid, wake(), false};
    }

    pushed push_call(call c, bool numbered) {
        std::lock_guard lock(mutex_);
        record r;
        r.is_call = true;
        r.mid = numbered ? next_mid() : 0;
        r.payload_off = filling_.calls.size();
        filling_.calls.push_back(std::move(c));
        filling_.records.push_back(r);
        return {r.mid, wake(), false};
    }

    // Takes every pending request into `out` (cleared first; its capacity is reused) and, when
    // `reserve` is set, numbers one more request to be carried out right after them.
    int take(batch& out, bool reserve = false) {
        out.clear();
        std::lock_guard lock(mutex_);
        std::swap(filling_, out);
        wake_pending_ = false;
        return reserve ? next_mid() : 0;
    }

    // The loop has given `publishes` taken publishes to the session, whose queue now holds
    // `session_queued` messages.
    void accounted(std::size_t publishes, std::size_t session_queued) {
        std::lock_guard lock(mutex_);
        session_queued_ = session_queued;
        unaccounted_ -= std::min(unaccounted_, publishes);
    }
    void session_queued(std::size_t n) {
        std::lock_guard lock(mutex_);
        session_queued_ = n;
    }

    std::size_t pending() const {
        std::lock_guard lock(mutex_);
        return filling_.records.size();
    }

    // Gives back the number take() reserved when the request was refused at once; true when
    // nothing was numbered since (else the number stays used and the ids differ from then on).
    bool unreserve(int mid) {
        std::lock_guard lock(mutex_);
        if (mid <= 0 || last_mid_ != mid) return false;
        last_mid_ = mid == 1 ? max_mid : mid - 1;
        return true;
    }

    // A new session numbers from 1 again.
    void restart_numbering() {
        std::lock_guard lock(mutex_);
        last_mid_ = 0;
    }

private:
    int next_mid() {
        last_mid_ = last_mid_ == max_mid ? 1 : last_mid_ + 1;
        return static_cast<int>(last_mid_);
    }
    bool wake() { return !std::exchange(wake_pending_, true); }

    mutable std::mutex mutex_;
    batch filling_;
    std::int64_t last_mid_ = 0;
    bool wake_pending_ = false;
    std::size_t limit_ = 0;
    std::size_t unaccounted_ = 0;
    std::size_t session_queued_ = 0;
};

}  // namespace piogate::mqtt
