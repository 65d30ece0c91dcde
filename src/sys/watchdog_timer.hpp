// Sends WATCHDOG=1 from the event loop every half watchdog interval (the first ping half an
// interval after start()). Because the ping rides on the loop, a loop that is stuck stops
// pinging and systemd restarts the service.
//
// Thread safety: construct, start() and stop() on the thread that runs the io_context.
// Lifetime: the destructor stops the timer; a handler already queued holds its own state,
// so destroying the watchdog_timer while the io_context still runs is safe.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <memory>

#include "sys/notifier.hpp"

namespace piogate::sys {

class watchdog_timer {
public:
    watchdog_timer(boost::asio::io_context& io, std::chrono::microseconds interval,
                   notifier n = {});
    ~watchdog_timer();
    watchdog_timer(const watchdog_timer&) = delete;
    watchdog_timer& operator=(const watchdog_timer&) = delete;

    void start();
    void stop() noexcept;
    std::chrono::microseconds period() const noexcept;  // interval / 2
    std::uint64_t pings() const noexcept;              // WATCHDOG=1 sent so far

private:
    struct state;
    std::shared_ptr<state> state_;
};

}  // namespace piogate::sys
