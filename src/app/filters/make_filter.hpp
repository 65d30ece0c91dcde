// The running filter for a parsed spec (config/filter_config.hpp). Thread: any.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <memory>

#include "app/filters/filter.hpp"
#include "config/filter_config.hpp"

namespace piogate::app::filters {

std::unique_ptr<filter> make_filter(const config::filter_spec& spec);

}  // namespace piogate::app::filters
