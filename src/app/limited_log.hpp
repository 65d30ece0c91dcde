// Warnings others can repeat at will (bad commands, unknown ids, a failing state file) go
// through the log facade's rate limit (log.hpp: write_limited), on the injected scheduler's
// clock. When the limit starts suppressing a key, a one-shot timer on the same scheduler writes
// the count of the suppressed ones once the window has passed: exactly one
// "<key>: N similar messages suppressed in 10 s" line, also when no event of that key follows.
//
// The timer owns itself and holds nothing of the caller, so it may outlive it (a channel
// removed by a reload): the count still comes. It is dropped unrun with the scheduler's queue
// (a virtual_scheduler destroyed, the io_context of an asio_scheduler destroyed); the gateway's
// stop writes what is due by then.
//
// Thread: the event loop's (the thread that runs `time`). Throws nothing but std::bad_alloc.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <string_view>

#include "log/log.hpp"
#include "util/scheduler.hpp"

namespace piogate::app {

void log_limited(const log::logger& log, util::scheduler& time, log::level lvl,
                 std::string_view key, std::string_view message, const log::fields& f = {});

}  // namespace piogate::app
