// "throttle_s": passes a value only when none passed during the last `interval`; the others are
// dropped (not delayed). The first value always passes.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include "app/filters/filter.hpp"

namespace piogate::app::filters {

class throttle final : public filter {
public:
    explicit throttle(std::chrono::milliseconds interval) : interval_(interval) {}
    std::optional<double> apply(double v, clock::time_point now) override;

private:
    std::chrono::milliseconds interval_;
    std::optional<clock::time_point> last_;
};

}  // namespace piogate::app::filters
