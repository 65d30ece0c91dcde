#include "app/filters/throttle.hpp"
// SPDX-License-Identifier: Apache-2.0
namespace piogate::app::filters {

std::optional<double> throttle::apply(double v, clock::time_point now) {
    if (last_ && now - *last_ < interval_) return std::nullopt;
    last_ = now;
    return v;
}

}  // namespace piogate::app::filters
