#include "app/filters/make_filter.hpp"
// SPDX-License-Identifier: Apache-2.0
#include "app/filters/calibrate_linear.hpp"
#include "app/filters/clamp.hpp"
#include "app/filters/median.hpp"
#include "app/filters/multiply.hpp"
#include "app/filters/offset.hpp"
#include "app/filters/sliding_average.hpp"
#include "app/filters/throttle.hpp"

namespace piogate::app::filters {
namespace {

struct maker {
    std::unique_ptr<filter> operator()(const config::offset_spec& s) const {
        return std::make_unique<offset>(s.value);
    }
    std::unique_ptr<filter> operator()(const config::multiply_spec& s) const {
        return std::make_unique<multiply>(s.factor);
    }
    std::unique_ptr<filter> operator()(const config::calibrate_linear_spec& s) const {
        return std::make_unique<calibrate_linear>(s.points);
    }
    std::unique_ptr<filter> operator()(const config::clamp_spec& s) const {
        return std::make_unique<clamp>(s.min, s.max);
    }
    std::unique_ptr<filter> operator()(const config::median_spec& s) const {
        return std::make_unique<median>(s);
    }
    std::unique_ptr<filter> operator()(const config::sliding_average_spec& s) const {
        return std::make_unique<sliding_average>(s);
    }
    std::unique_ptr<filter> operator()(const config::throttle_spec& s) const {
        return std::make_unique<throttle>(s.interval);
    }
};

}  // namespace

std::unique_ptr<filter> make_filter(const config::filter_spec& spec) {
    return std::visit(maker{}, spec);
}

}  // namespace piogate::app::filters
