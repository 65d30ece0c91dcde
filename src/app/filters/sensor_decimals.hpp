// The decimal places of each quantity a configured sensor publishes: its "precision", else the
// default of the resolution its kind declares (precision.hpp). Pure; thread: any.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <map>
#include <string>

#include "config/sensor_config.hpp"

namespace piogate::app::filters {

std::map<std::string, int> sensor_decimals(const config::sensor_config& s);

}  // namespace piogate::app::filters
