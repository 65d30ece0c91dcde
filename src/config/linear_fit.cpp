#include "config/linear_fit.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <cmath>

namespace piogate::config {

std::optional<linear_fit> fit_line(const std::vector<calibration_point>& points) {
    if (points.size() < 2) return std::nullopt;
    // Centred sums: numerically steadier than the textbook n·Σxy − Σx·Σy.
    double mx = 0;
    double my = 0;
    for (const auto& p : points) {
        mx += p.measured;
        my += p.truth;
    }
    mx /= static_cast<double>(points.size());
    my /= static_cast<double>(points.size());
    double sxx = 0;
    double sxy = 0;
    for (const auto& p : points) {
        sxx += (p.measured - mx) * (p.measured - mx);
        sxy += (p.measured - mx) * (p.truth - my);
    }
    if (!(sxx > 0)) return std::nullopt;
    linear_fit f{sxy / sxx, 0};
    f.intercept = my - f.slope * mx;
    if (!std::isfinite(f.slope) || !std::isfinite(f.intercept)) return std::nullopt;
    return f;
}

}  // namespace piogate::config
