#include "app/limited_log.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <boost/asio/steady_timer.hpp>
#include <memory>

namespace piogate::app {

void log_limited(const log::logger& log, const boost::asio::any_io_executor& ex, log::level lvl,
                 std::string_view key, std::string_view message, const log::fields& f) {
    if (auto due = log.limited(lvl, key, message, f)) {
        auto timer = std::make_shared<boost::asio::steady_timer>(ex, *due);
        timer->async_wait([timer](const boost::system::error_code&) { log::flush_limited(); });
    }
}

}  // namespace piogate::app
