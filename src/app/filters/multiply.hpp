// "multiply": value × a constant factor.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include "app/filters/filter.hpp"

namespace piogate::app::filters {

class multiply final : public filter {
public:
    explicit multiply(double factor) : factor_(factor) {}
    std::optional<double> apply(double v, clock::time_point) override { return v * factor_; }

private:
    double factor_;
};

}  // namespace piogate::app::filters
