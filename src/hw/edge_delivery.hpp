// The shell around the pure debouncer that every gpio_input backend shares: it feeds reported
// levels in, arms one timer of the injected scheduler (util/scheduler.hpp) at the debouncer's
// check_at, keeps the events the edge
// subscription wants, carries the count of lost events to the next delivered one, and calls the
// handler.
//
// Thread: the event-loop thread only (construct, feed, set_handler, destroy). The handler runs
// on that thread, from feed() or from the timer; it may destroy the owner of this object. After
// destruction no handler runs and the timer is cancelled.
// Times: CLOCK_MONOTONIC nanoseconds (kernel edge timestamps, steady_clock), as the scheduler's
// now().time_since_epoch(). A timestamp that is not plausibly on that clock (an old kernel
// stamping with CLOCK_REALTIME) is replaced by the time of feed(). The scheduler must outlive
// this object. A delivered event carries the time its level began (debounced or not).
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>

#include "hw/gpio.hpp"
#include "util/scheduler.hpp"

namespace piogate::hw {

class edge_delivery {
public:
    edge_delivery(util::scheduler& time, edge edges, std::chrono::nanoseconds debounce,
                  bool initial_level);
    ~edge_delivery();
    edge_delivery(const edge_delivery&) = delete;
    edge_delivery& operator=(const edge_delivery&) = delete;

    // Events before a handler is set are not queued (the level is still tracked).
    void set_handler(std::function<void(const edge_event&)> handler);

    // A reported logical level (after an edge, or a fresh reading), its time, and the number of
    // events the source lost before it.
    void feed(bool level, std::chrono::nanoseconds timestamp, std::uint64_t missed = 0);

    bool level() const;  // the debounced level

private:
    struct state;
    std::shared_ptr<state> state_;
};

}  // namespace piogate::hw
