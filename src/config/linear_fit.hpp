// The least-squares line through calibrate_linear's reference points [measured, true]: one
// computation for the config check (config/filter_config.cpp refuses points it cannot fit)
// and the running filter (app/filters/calibrate_linear), so that --check-config accepts
// exactly the points the daemon can use.
//
// Pure; thread: any.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <optional>
#include <vector>

#include "config/filter_config.hpp"

namespace piogate::config {

struct linear_fit {
    double slope = 1;
    double intercept = 0;
};

// truth ≈ slope × measured + intercept. Nothing when the line is not defined in doubles: fewer
// than two points, or measured values so close together that the spread of them squared is 0
// (1e-200 and 2e-200: distinct, but their deviations underflow), or a slope or intercept that
// is not finite.
std::optional<linear_fit> fit_line(const std::vector<calibration_point>& points);

}  // namespace piogate::config
