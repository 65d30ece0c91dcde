#include "sys/watchdog_timer.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <boost/asio/steady_timer.hpp>

namespace piogate::sys {

struct watchdog_timer::state : std::enable_shared_from_this<state> {
    state(boost::asio::io_context& io, std::chrono::microseconds p, notifier n)
        : timer(io), period(p), notify(n) {}

    void arm() {
        timer.expires_after(period);
        timer.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
            if (ec || self->stopped) return;
            self->notify.watchdog();
            ++self->pings;
            self->arm();
        });
    }

    boost::asio::steady_timer timer;
    std::chrono::microseconds period;
    notifier notify;
    bool stopped = true;
    std::uint64_t pings = 0;
};

watchdog_timer::watchdog_timer(boost::asio::io_context& io, std::chrono::microseconds interval,
                               notifier n)
    : state_(std::make_shared<state>(io, std::max(interval / 2, std::chrono::microseconds(1)), n)) {}

watchdog_timer::~watchdog_timer() { stop(); }

void watchdog_timer::start() {
    if (!state_->stopped) return;
    state_->stopped = false;
    state_->arm();
}

void watchdog_timer::stop() noexcept {
    state_->stopped = true;
    state_->timer.cancel();
}

std::chrono::microseconds watchdog_timer::period() const noexcept { return state_->period; }
std::uint64_t watchdog_timer::pings() const noexcept { return state_->pings; }

}  // namespace piogate::sys
