#include "hw/edge_delivery.hpp"
// SPDX-License-Identifier: Apache-2.0
#include "hw/debounce.hpp"

namespace piogate::hw {

using std::chrono::nanoseconds;

struct edge_delivery::state : std::enable_shared_from_this<state> {
    state(util::scheduler& t, edge e, nanoseconds debounce, bool initial)
        : time(t), timer(t.make_timer()), edges(e), deb(debounce, initial) {}

    util::scheduler& time;
    std::unique_ptr<util::timer> timer;
    edge edges;
    debouncer deb;
    std::function<void(const edge_event&)> handler;
    std::uint64_t missed = 0;
    bool closed = false;

    void take(const debounce_step& step) {
        if (step.check_at) arm(*step.check_at);
        if (!step.publish) return;
        const std::uint64_t lost = missed;
        if (!edge_wanted(edges, step.publish->level) || !handler || closed) return;
        missed = 0;
        // The handler may destroy our owner: keep ourselves alive through the call.
        auto self = shared_from_this();
        handler(edge_event{step.publish->level, step.publish->since, lost});
    }

    void arm(nanoseconds at) {
        timer->wait_until(
            util::steady_time(std::chrono::duration_cast<util::steady_time::duration>(at)),
            [weak = weak_from_this()] {
                auto self = weak.lock();
                if (!self || self->closed) return;
                self->take(self->deb.on_timer(self->now()));
            });
    }

    nanoseconds now() const { return time.now().time_since_epoch(); }
};

edge_delivery::edge_delivery(util::scheduler& time, edge edges, nanoseconds debounce,
                             bool initial_level)
    : state_(std::make_shared<state>(time, edges, debounce, initial_level)) {}

edge_delivery::~edge_delivery() {
    // A handler running now (it destroyed us) keeps the state alive until it returns.
    state_->closed = true;
    state_->timer->cancel();
}

void edge_delivery::set_handler(std::function<void(const edge_event&)> handler) {
    state_->handler = std::move(handler);
}

void edge_delivery::feed(bool level, nanoseconds timestamp, std::uint64_t missed) {
    auto s = state_;
    if (s->closed) return;
    s->missed += missed;
    const nanoseconds now = s->now();
    // Debounce on the loop's clock; a kernel stamp from another clock would park the timer
    // for years.
    const bool plausible =
        timestamp <= now + std::chrono::seconds(1) && timestamp >= now - std::chrono::seconds(60);
    s->take(s->deb.on_level(level, plausible ? timestamp : now));
}

bool edge_delivery::level() const {
    return state_->deb.stable();
}

}  // namespace piogate::hw
