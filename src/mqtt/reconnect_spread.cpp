#include "mqtt/reconnect_spread.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <cmath>

namespace piogate::mqtt {

std::chrono::milliseconds first_delay_after_drop(std::chrono::milliseconds backoff, bool storm,
                                                 std::chrono::milliseconds spread,
                                                 double unit_random) noexcept {
    if (spread.count() <= 0) return backoff;
    unit_random = unit_random >= 0.0 ? std::min(unit_random, 1.0) : 0.0;  // NaN: 0
    const std::chrono::milliseconds drawn(
        std::llround(static_cast<double>(spread.count()) * unit_random));
    return storm ? std::max(drawn, backoff) : drawn;
}

}  // namespace piogate::mqtt
