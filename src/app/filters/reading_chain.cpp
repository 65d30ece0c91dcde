#include "app/filters/reading_chain.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <cmath>

#include "app/filters/precision.hpp"

namespace piogate::app::filters {

reading_chain::reading_chain(const config::filter_config& config,
                             std::map<std::string, int> decimals)
    : decimals_(std::move(decimals)) {
    for (const auto& [quantity, specs] : config.chains) chains_.try_emplace(quantity, specs);
}

std::optional<hw::reading> reading_chain::apply(const hw::reading& r, clock::time_point now) {
    bool fresh = false;
    hw::reading out;
    out.reserve(r.size());
    for (const auto& m : r) {
        std::optional<double> v;
        if (std::isfinite(m.value)) {
            auto c = chains_.find(m.name);
            v = c == chains_.end() ? std::optional<double>(m.value) : c->second.apply(m.value, now);
        }
        if (v) {
            auto d = decimals_.find(m.name);
            last_[m.name] = d == decimals_.end() ? *v : round_to(*v, d->second);
            fresh = true;
        }
        auto last = last_.find(m.name);
        if (last != last_.end()) out.push_back({m.name, last->second, m.unit});
    }
    if (!fresh) return std::nullopt;
    return out;
}

std::optional<int> reading_chain::decimals(const std::string& quantity) const {
    auto d = decimals_.find(quantity);
    if (d == decimals_.end()) return std::nullopt;
    return d->second;
}

std::optional<int> resolve_decimals(const config::filter_config& config,
                                    const std::string& quantity, std::optional<double> resolution) {
    if (auto p = config.precision.find(quantity); p != config.precision.end()) return p->second;
    if (resolution && *resolution > 0) return decimals_for_resolution(*resolution);
    return std::nullopt;
}

}  // namespace piogate::app::filters
