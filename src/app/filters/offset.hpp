// "offset": value + a constant, in the quantity's unit.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include "app/filters/filter.hpp"

namespace piogate::app::filters {

class offset final : public filter {
public:
    explicit offset(double value) : value_(value) {}
    std::optional<double> apply(double v, clock::time_point) override { return v + value_; }

private:
    double value_;
};

}  // namespace piogate::app::filters
