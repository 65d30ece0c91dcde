// "calibrate_linear": maps a measured value onto the true one by the least-squares line
// through reference points [measured, true]. Two points give the exact line through both;
// more points give the best straight line (a sensor's error is usually a gain and an offset;
// a piecewise map would follow the noise of each reference reading). Values outside the
// points are extrapolated along the same line.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <vector>

#include "app/filters/filter.hpp"
#include "config/filter_config.hpp"

namespace piogate::app::filters {

class calibrate_linear final : public filter {
public:
    // Points config::fit_line() can fit (config/filter_config.cpp checks it: ≥ 2, measured
    // values distinct and not too close together); throws std::invalid_argument otherwise.
    explicit calibrate_linear(const std::vector<config::calibration_point>& points);
    std::optional<double> apply(double v, clock::time_point) override {
        return slope_ * v + intercept_;
    }

    double slope() const { return slope_; }
    double intercept() const { return intercept_; }

private:
    double slope_ = 1;
    double intercept_ = 0;
};

}  // namespace piogate::app::filters
