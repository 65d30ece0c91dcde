#include "app/filters/sensor_decimals.hpp"
// SPDX-License-Identifier: Apache-2.0
#include "app/filters/reading_chain.hpp"

namespace piogate::app::filters {

std::map<std::string, int> sensor_decimals(const config::sensor_config& s) {
    std::map<std::string, int> out;
    for (const auto& q : config::sensor_quantities(s)) {
        if (auto d = resolve_decimals(s.filters, q.name, q.resolution)) out[q.name] = *d;
    }
    return out;
}

}  // namespace piogate::app::filters
