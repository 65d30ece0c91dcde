#include "app/filters/precision.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace piogate::app::filters {
namespace {

constexpr double powers_of_ten[] = {1, 10, 100, 1e3, 1e4, 1e5, 1e6};

}  // namespace

int decimals_for_resolution(double resolution) {
    if (!(resolution > 0) || !std::isfinite(resolution)) return max_decimals;
    // A step written as 0.01 arrives as 0.01000000000000000021: compare with a little slack.
    const double r = resolution * (1 - 1e-9);
    // The 1-2-5 steps, finest first: 1, 2, 5 × 10^-6, ..., 1, 2, 5 × 10^-1; then 1.
    for (int d = max_decimals; d >= 1; --d) {
        for (double m : {1.0, 2.0, 5.0}) {
            if (m / powers_of_ten[d] >= r) return d;
        }
    }
    return 0;
}

double round_to(double value, int decimals) {
    if (decimals < 0) decimals = 0;
    if (decimals > max_decimals) decimals = max_decimals;
    const double scale = powers_of_ten[decimals];
    const double scaled = value * scale;
    if (!std::isfinite(scaled) || std::fabs(scaled) >= 9007199254740992.0) return value;  // 2^53
    const double rounded = std::round(scaled) / scale;
    return rounded == 0 ? 0.0 : rounded;  // no "-0.0"
}

std::string format_number(double value, std::optional<int> decimals) {
    if (!decimals || !std::isfinite(value)) return nlohmann::json(value).dump();
    const double r = round_to(value, *decimals);
    if (std::fabs(r) >= 1e15) return nlohmann::json(r).dump();  // beyond %f's sensible range
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", std::clamp(*decimals, 0, max_decimals), r);
    std::string text = buf;
    if (const auto dot = text.find('.'); dot != std::string::npos) {
        const auto last = text.find_last_not_of('0');
        text.erase(std::max(last + 1, dot + 2));
    }
    return text;
}

}  // namespace piogate::app::filters
