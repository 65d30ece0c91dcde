#include "app/filters/sliding_average.hpp"
// SPDX-License-Identifier: Apache-2.0
namespace piogate::app::filters {

sliding_average::sliding_average(const config::window_spec& spec)
    : window_(static_cast<std::size_t>(spec.window)),
      schedule_(spec.send_every, spec.send_first_at) {}

std::optional<double> sliding_average::apply(double v, clock::time_point) {
    samples_.push_back(v);
    if (samples_.size() > window_) samples_.pop_front();
    if (!schedule_.sample()) return std::nullopt;
    double sum = 0;
    for (double s : samples_) sum += s;
    return sum / static_cast<double>(samples_.size());
}

}  // namespace piogate::app::filters
