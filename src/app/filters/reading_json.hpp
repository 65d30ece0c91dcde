// The JSON text of a published reading: one member per quantity, its number printed with the
// quantity's decimal places (precision.hpp: "40.0", not 39.9951171875), plus "ts"; members in
// name order (as nlohmann::json's objects print). Pure; thread: any.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <functional>
#include <optional>
#include <string>

#include "hw/sensor.hpp"

namespace piogate::app::filters {

// `decimals(name)`: the decimal places of a quantity, or nothing to print it as it is.
std::string reading_json(const hw::reading& r,
                         const std::function<std::optional<int>(const std::string&)>& decimals,
                         const std::string& ts);

}  // namespace piogate::app::filters
