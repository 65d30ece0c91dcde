// When a windowed filter (median, sliding_average) lets a value out: after the
// `send_first_at`-th sample, then after every `send_every` samples (ESPHome's semantics, so a
// value shows up soon after start and then at the configured pace).
#pragma once
// SPDX-License-Identifier: Apache-2.0
namespace piogate::app::filters {

class send_schedule {
public:
    // 1 <= send_first_at <= send_every.
    send_schedule(int send_every, int send_first_at)
        : send_every_(send_every), count_(send_every - send_first_at) {}

    // Counts one sample; true when a value goes out for it.
    bool sample() {
        if (++count_ < send_every_) return false;
        count_ = 0;
        return true;
    }

private:
    int send_every_;
    int count_;
};

}  // namespace piogate::app::filters
