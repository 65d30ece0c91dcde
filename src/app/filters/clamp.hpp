// "clamp": a value below min becomes min, above max becomes max (as ESPHome's clamp does by
// default); nothing is dropped. Either bound may be infinite (no bound).
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <algorithm>

#include "app/filters/filter.hpp"

namespace piogate::app::filters {

class clamp final : public filter {
public:
    clamp(double min, double max) : min_(min), max_(max) {}  // min <= max
    std::optional<double> apply(double v, clock::time_point) override {
        return std::clamp(v, min_, max_);
    }

private:
    double min_;
    double max_;
};

}  // namespace piogate::app::filters
