#include "app/filters/median.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <vector>

namespace piogate::app::filters {

median::median(const config::window_spec& spec)
    : window_(static_cast<std::size_t>(spec.window)),
      schedule_(spec.send_every, spec.send_first_at) {}

std::optional<double> median::apply(double v, clock::time_point) {
    samples_.push_back(v);
    if (samples_.size() > window_) samples_.pop_front();
    if (!schedule_.sample()) return std::nullopt;
    std::vector<double> sorted(samples_.begin(), samples_.end());
    std::sort(sorted.begin(), sorted.end());
    const std::size_t n = sorted.size();
    return n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

}  // namespace piogate::app::filters
