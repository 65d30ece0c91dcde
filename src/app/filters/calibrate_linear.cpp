#include "app/filters/calibrate_linear.hpp"

#include <stdexcept>

namespace piogate::app::filters {

calibrate_linear::calibrate_linear(const std::vector<config::calibration_point>& points) {
    if (points.size() < 2) throw std::invalid_argument("calibrate_linear needs two or more points");
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
    if (!(sxx > 0)) throw std::invalid_argument("calibrate_linear needs distinct measured values");
    slope_ = sxy / sxx;
    intercept_ = my - slope_ * mx;
}

}  // namespace piogate::app::filters
