#include "hw/sensor.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <utility>

namespace piogate::hw {

util::result<reading> measure_blocking(sensor& s, const util::clock& clock, int max_agains) {
    for (int agains = 0;; ++agains) {
        auto r = s.attempt();
        if (!r.is_again()) return r;
        if (agains >= max_agains) {
            return hw_fail(hw_errc::timeout, r.err().message + " (still not ready after " +
                                                 std::to_string(max_agains) + " retries)");
        }
        clock.sleep_until(clock.now() + r.retry_after());
    }
}

std::optional<measure_result> converting_sensor::startup_wait() {
    if (startup_wait_.count() <= 0) return std::nullopt;
    const auto time = std::exchange(startup_wait_, std::chrono::milliseconds(0));
    return measure_result::converting(time, type() + ": starting up");
}

}  // namespace piogate::hw
