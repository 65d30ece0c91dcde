#include "app/report_filter.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <cmath>

namespace piogate::app {

bool report_filter::admit(const hw::reading& r, clock::time_point now) {
    bool publish = deadband_.empty() || !last_publish_ || r.size() != last_values_.size() ||
                   (heartbeat_.count() > 0 && now - *last_publish_ >= heartbeat_);
    for (const auto& m : r) {
        if (publish) break;
        auto last = last_values_.find(m.name);
        if (last == last_values_.end()) {
            publish = true;
            break;
        }
        auto band = deadband_.find(m.name);
        // A quantity without a deadband of its own publishes on any change.
        const double limit = band == deadband_.end() ? 0.0 : band->second;
        if (std::fabs(m.value - last->second) > limit) publish = true;
    }
    if (!publish) return false;
    last_publish_ = now;
    last_values_.clear();
    for (const auto& m : r) last_values_[m.name] = m.value;
    return true;
}

}  // namespace piogate::app
