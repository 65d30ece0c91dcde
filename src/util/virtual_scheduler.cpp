#include "util/virtual_scheduler.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <optional>

namespace piogate::util {

class virtual_timer final : public timer {
public:
    explicit virtual_timer(virtual_scheduler& s) : s_(s) {}
    ~virtual_timer() override { cancel(); }

    void wait_until(steady_time when, handler h) override {
        cancel();
        armed_ = s_.arm(this, when, std::move(h));
    }
    void wait_for(std::chrono::steady_clock::duration delay, handler h) override {
        wait_until(s_.now() + delay, std::move(h));
    }
    void cancel() override {
        if (armed_) s_.disarm(*armed_);
        armed_.reset();
    }
    void fired() { armed_.reset(); }

private:
    virtual_scheduler& s_;
    std::optional<virtual_scheduler::key> armed_;
};

virtual_scheduler::virtual_scheduler(std::function<void()> settle, steady_time start)
    : settle_(std::move(settle)), now_(start) {}

virtual_scheduler::~virtual_scheduler() {
    // One at a time: a dropped handler may own timers (a channel it keeps alive), which
    // disarm themselves from the queue as they go.
    while (!queue_.empty()) {
        auto node = queue_.extract(queue_.begin());
        node.mapped().owner->fired();
    }
}

std::unique_ptr<timer> virtual_scheduler::make_timer() {
    return std::make_unique<virtual_timer>(*this);
}

virtual_scheduler::key virtual_scheduler::arm(virtual_timer* owner, steady_time when,
                                              timer::handler h) {
    key k{when, armed_++};
    queue_.emplace(k, entry{owner, std::move(h)});
    return k;
}

steady_time virtual_scheduler::next_due() const {
    return queue_.empty() ? steady_time::max() : queue_.begin()->first.first;
}

void virtual_scheduler::advance_to(steady_time t) {
    if (settle_) settle_();
    while (!queue_.empty() && queue_.begin()->first.first <= t) {
        auto node = queue_.extract(queue_.begin());
        move_to(node.key().first);
        node.mapped().owner->fired();
        node.mapped().h();  // may arm this timer or others again, even at now_
        if (settle_) settle_();
    }
    move_to(t);
}

void virtual_scheduler::move_to(steady_time t) {
    if (t <= now_) return;
    now_ = t;
    if (on_time_) on_time_(now_);
}

}  // namespace piogate::util
