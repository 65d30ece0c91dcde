#include "app/filters/chain.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <cmath>

#include "app/filters/make_filter.hpp"

namespace piogate::app::filters {

chain::chain(const std::vector<config::filter_spec>& specs) {
    for (const auto& s : specs) stages_.push_back(make_filter(s));
}

std::optional<double> chain::apply(double value, clock::time_point now) {
    std::optional<double> v = value;
    for (auto& stage : stages_) {
        v = stage->apply(*v, now);
        // A stage's arithmetic can overflow (multiply by 1e9 of 1e300): never pass on inf/NaN.
        if (!v || !std::isfinite(*v)) return std::nullopt;
    }
    return v;
}

}  // namespace piogate::app::filters
