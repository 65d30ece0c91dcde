// A scheduler on virtual time, for tests (see util/scheduler.hpp): now() moves only in
// advance()/advance_to(), which run the timers that come due on the way, earliest first
// (ties in the order they were armed), each at its own due time, with now() equal to it.
// After each handler it calls `settle`, which the test gives to let the loop finish what the
// handler started (io.poll(), a worker's job) before time moves on.
//
// Thread: one; handlers run on the thread that calls advance. Timers must not outlive it.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <cstdint>
#include <map>
#include <utility>

#include "util/scheduler.hpp"

namespace piogate::util {

class virtual_timer;

class virtual_scheduler final : public scheduler {
public:
    // Time starts at `start` (not the epoch: code may subtract an interval from now()).
    explicit virtual_scheduler(std::function<void()> settle = {},
                               steady_time start = steady_time{} + std::chrono::hours(24));
    ~virtual_scheduler() override;

    steady_time now() const override { return now_; }
    std::unique_ptr<timer> make_timer() override;

    void advance(std::chrono::steady_clock::duration d) { advance_to(now_ + d); }
    void advance_to(steady_time t);
    // Runs what is due now (a wait of 0, or before now) without moving time.
    void run_due() { advance_to(now_); }

    std::size_t pending() const { return queue_.size(); }  // armed timers
    // Called with the new now() each time it moves, on the advancing thread, before the
    // handlers due then run: a clock other threads may read (util::manual_clock) follows
    // virtual time so (tests/component/virtual_loop.hpp's chip_clock).
    void on_time(std::function<void(steady_time)> f) { on_time_ = std::move(f); }
    // When the earliest armed timer comes due; steady_time::max() if none.
    steady_time next_due() const;

private:
    friend class virtual_timer;
    using key = std::pair<steady_time, std::uint64_t>;  // due, arming order
    struct entry {
        virtual_timer* owner;
        timer::handler h;
    };
    key arm(virtual_timer* owner, steady_time when, timer::handler h);
    void disarm(const key& k) { queue_.erase(k); }

    void move_to(steady_time t);
    std::function<void()> settle_;
    std::function<void(steady_time)> on_time_;
    steady_time now_;
    std::uint64_t armed_ = 0;
    std::map<key, entry> queue_;
};

}  // namespace piogate::util
