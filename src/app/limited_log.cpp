#include "app/limited_log.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <memory>

namespace piogate::app {

void log_limited(const log::logger& log, util::scheduler& time, log::level lvl,
                 std::string_view key, std::string_view message, const log::fields& f) {
    const auto due = log.limited(lvl, key, message, f, time.now());
    if (!due) return;
    // The handler keeps its own timer alive until it has run (or is dropped with the
    // scheduler's queue, which destroys it then). It flushes at `*due`, the time it was armed
    // for, so it needs nothing but the timer, not even the scheduler.
    std::shared_ptr<util::timer> t = time.make_timer();
    t->wait_until(*due, [t, when = *due] { log::flush_limited(when); });
}

}  // namespace piogate::app
