#include "app/filters/calibrate_linear.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <stdexcept>

#include "config/linear_fit.hpp"

namespace piogate::app::filters {

calibrate_linear::calibrate_linear(const std::vector<config::calibration_point>& points) {
    const auto fit = config::fit_line(points);
    if (!fit) {
        throw std::invalid_argument(
            "calibrate_linear needs two or more points whose measured values a line can be "
            "fitted through");
    }
    slope_ = fit->slope;
    intercept_ = fit->intercept;
}

}  // namespace piogate::app::filters
