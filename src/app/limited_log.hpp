// Warnings others can repeat at will (bad commands, a failing state file) go through the log
// facade's rate limit (log.hpp: write_limited). When the limit starts suppressing one, a
// one-shot timer writes the count of the suppressed ones once the window has passed. The timer
// holds nothing of the caller, so it may outlive it (a channel removed by a reload).
//
// Thread: the event loop's (the timer runs on `ex`, on the real clock like the log's window).
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <boost/asio/any_io_executor.hpp>
#include <string_view>

#include "log/log.hpp"

namespace piogate::app {

void log_limited(const log::logger& log, const boost::asio::any_io_executor& ex, log::level lvl,
                 std::string_view key, std::string_view message, const log::fields& f = {});

}  // namespace piogate::app
