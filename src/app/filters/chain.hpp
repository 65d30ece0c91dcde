// One quantity's filters, applied in order; a stage that swallows the sample ends the run for
// it (the later stages see nothing). An empty chain passes every value. Thread: the owner's.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <memory>
#include <vector>

#include "app/filters/filter.hpp"
#include "config/filter_config.hpp"

namespace piogate::app::filters {

class chain {
public:
    chain() = default;
    explicit chain(const std::vector<config::filter_spec>& specs);

    std::optional<double> apply(double value, clock::time_point now);
    bool empty() const { return stages_.empty(); }

private:
    std::vector<std::unique_ptr<filter>> stages_;
};

}  // namespace piogate::app::filters
