// A sensor's filters and precision over whole readings: each quantity runs through its own
// chain (config "filters"), then is rounded to its decimal places (config "precision", else
// the default of its resolution). The deadband/heartbeat (app/report_filter) comes after this,
// on the rounded values, so noise below the precision never triggers a publish.
//
// A reading goes out when at least one quantity produced a new value. The quantities whose
// chain swallowed this sample (a window still filling, a throttle) carry the last value they
// produced, so every message has every quantity once each has produced one (Home Assistant's
// value templates read each message for every quantity); a quantity that has produced
// nothing yet is left out. Nothing new at all: no reading.
//
// Pure: time comes in as `now`. Thread: the owner's (the channel's event loop).
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <map>
#include <optional>
#include <string>

#include "app/filters/chain.hpp"
#include "config/filter_config.hpp"
#include "hw/sensor.hpp"

namespace piogate::app::filters {

class reading_chain {
public:
    // `decimals`: quantity -> decimal places (absent = not rounded); see resolve_decimals().
    reading_chain(const config::filter_config& config, std::map<std::string, int> decimals);

    std::optional<hw::reading> apply(const hw::reading& r, clock::time_point now);

    // The decimal places of `quantity`, if it is rounded.
    std::optional<int> decimals(const std::string& quantity) const;

private:
    std::map<std::string, chain> chains_;
    std::map<std::string, int> decimals_;
    std::map<std::string, double> last_;  // the last value each quantity produced, rounded
};

// The decimal places of `quantity`: the configured "precision" when there is one, else the
// default of a known `resolution` (> 0; precision.hpp), else none (not rounded).
std::optional<int> resolve_decimals(const config::filter_config& config,
                                    const std::string& quantity, std::optional<double> resolution);

}  // namespace piogate::app::filters
