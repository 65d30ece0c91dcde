// One stage of a quantity's filter chain: a value in, a value or nothing out.
//
// Pure: the time of the sample comes in as `now` (steady_clock); no stage reads a clock,
// sleeps or does I/O. A stage may keep state (a window of samples, the time of the last
// value it passed). Thread: whoever owns the chain (the event loop's for a channel).
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <chrono>
#include <optional>

namespace piogate::app::filters {

using clock = std::chrono::steady_clock;

class filter {
public:
    virtual ~filter() = default;
    // The value to pass on, or nothing when the stage swallows this sample (a window still
    // filling, a throttle closed). `value` is finite; so is every value returned.
    virtual std::optional<double> apply(double value, clock::time_point now) = 0;
};

}  // namespace piogate::app::filters
