#include "util/asio_scheduler.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <memory>

namespace piogate::util {
namespace {

class asio_timer final : public timer {
public:
    explicit asio_timer(boost::asio::io_context& io)
        : timer_(io), generation_(std::make_shared<std::uint64_t>(0)) {}

    void wait_until(steady_time when, handler h) override {
        timer_.expires_at(when);
        arm(std::move(h));
    }
    void wait_for(std::chrono::steady_clock::duration delay, handler h) override {
        timer_.expires_after(delay);
        arm(std::move(h));
    }
    void cancel() override {
        ++*generation_;
        timer_.cancel();
    }

private:
    void arm(handler h) {
        // steady_timer's cancel (explicit, by expires_*, or by destruction) aborts a wait that
        // is still pending, but not one whose success is already queued on the io_context:
        // that handler would run after cancel(), after a re-arm, even after this timer (and
        // the channel owning it) is gone. The generation drops it: each arm and cancel bumps
        // it, destruction frees it, and a handler runs only if its own generation is current.
        const std::uint64_t mine = ++*generation_;
        timer_.async_wait([generation = std::weak_ptr<std::uint64_t>(generation_), mine,
                           h = std::move(h)](const boost::system::error_code& ec) {
            const auto current = generation.lock();
            if (ec || !current || *current != mine) return;
            h();
        });
    }

    boost::asio::steady_timer timer_;
    std::shared_ptr<std::uint64_t> generation_;  // one allocation per timer, not per wait
};

}  // namespace

std::unique_ptr<timer> asio_scheduler::make_timer() {
    return std::make_unique<asio_timer>(io_);
}

}  // namespace piogate::util
