#include "hw/sensor.hpp"
// SPDX-License-Identifier: Apache-2.0

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

}  // namespace piogate::hw
