// "median": the median of the last `window` samples (fewer while the window fills), let out on
// the send schedule; the mean of the two middle samples for an even count. Throws away single
// spikes (a glitched read) that an average would smear over the window.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <deque>

#include "app/filters/filter.hpp"
#include "app/filters/send_schedule.hpp"
#include "config/filter_config.hpp"

namespace piogate::app::filters {

class median final : public filter {
public:
    explicit median(const config::window_spec& spec);
    std::optional<double> apply(double v, clock::time_point now) override;

private:
    std::size_t window_;
    send_schedule schedule_;
    std::deque<double> samples_;
};

}  // namespace piogate::app::filters
