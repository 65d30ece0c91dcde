#include "app/filters/reading_json.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

#include "app/filters/precision.hpp"

namespace piogate::app::filters {

std::string reading_json(const hw::reading& r,
                         const std::function<std::optional<int>(const std::string&)>& decimals,
                         const std::string& ts) {
    std::vector<std::pair<std::string, std::string>> members;
    members.reserve(r.size() + 1);
    for (const auto& m : r) {
        if (m.name == "ts") continue;  // config refuses it; never let a quantity shadow the time
        members.emplace_back(m.name, format_number(m.value, decimals(m.name)));
    }
    members.emplace_back("ts", nlohmann::json(ts).dump());
    std::stable_sort(members.begin(), members.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::string out = "{";
    for (const auto& [name, text] : members) {
        if (out.size() > 1) out += ',';
        out += nlohmann::json(name).dump() + ':' + text;
    }
    out += '}';
    return out;
}

}  // namespace piogate::app::filters
