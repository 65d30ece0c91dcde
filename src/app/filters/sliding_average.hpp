// "sliding_average": the mean of the last `window` samples (fewer while the window fills), let
// out on the send schedule. The mean is summed afresh from the window on each value out, so no
// rounding error accumulates over a long run.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <deque>

#include "app/filters/filter.hpp"
#include "app/filters/send_schedule.hpp"
#include "config/filter_config.hpp"

namespace piogate::app::filters {

class sliding_average final : public filter {
public:
    explicit sliding_average(const config::window_spec& spec);
    std::optional<double> apply(double v, clock::time_point now) override;

private:
    std::size_t window_;
    send_schedule schedule_;
    std::deque<double> samples_;
};

}  // namespace piogate::app::filters
