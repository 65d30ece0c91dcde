#include "util/asio_scheduler.hpp"

#include <boost/asio/steady_timer.hpp>

namespace piogate::util {
namespace {

class asio_timer final : public timer {
public:
    explicit asio_timer(boost::asio::io_context& io) : timer_(io) {}

    void wait_until(steady_time when, handler h) override {
        timer_.expires_at(when);
        arm(std::move(h));
    }
    void wait_for(std::chrono::steady_clock::duration delay, handler h) override {
        timer_.expires_after(delay);
        arm(std::move(h));
    }
    void cancel() override { timer_.cancel(); }

private:
    void arm(handler h) {
        // Re-arming cancelled the previous wait: its handler sees operation_aborted and is
        // dropped, as after cancel().
        timer_.async_wait([h = std::move(h)](const boost::system::error_code& ec) {
            if (!ec) h();
        });
    }

    boost::asio::steady_timer timer_;
};

}  // namespace

std::unique_ptr<timer> asio_scheduler::make_timer() {
    return std::make_unique<asio_timer>(io_);
}

}  // namespace piogate::util
