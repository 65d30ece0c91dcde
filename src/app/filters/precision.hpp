// Decimal places of published values: the default for a sensor's resolution, rounding, and
// the JSON number a user expects (40.0, not 39.9951171875).
//
// Default rule: the decimals of the display step, where the display step is the smallest
// step of the 1-2-5 series (…, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1) that is not finer than the
// resolution. So no digit is printed that the sensor cannot resolve, and a half or quarter
// degree still shows: 0.01 -> 2, 0.008 -> 2, 1/1024 -> 3, 0.0625 -> 1, 0.125 -> 1, 0.5 -> 1,
// 1 -> 0, 4 -> 0. Capped at 0..6.
//
// Pure; thread: any.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <optional>
#include <string>

namespace piogate::app::filters {

constexpr int max_decimals = 6;

// The default decimal places for a quantity measured in steps of `resolution` (> 0, in the
// quantity's unit); 0..6. A resolution that is not a positive finite number gives 6.
int decimals_for_resolution(double resolution);

// `value` rounded half away from zero to `decimals` (0..6) places; -0 becomes 0. A value too
// large to carry that many decimals in a double is returned as it is.
double round_to(double value, int decimals);

// The JSON text of `value` with `decimals`: rounded, printed with at most that many decimals,
// trailing zeros dropped but one kept ("40.0", "0.3", "1013.25"); an integer for 0 decimals
// ("19"). Without decimals: nlohmann::json's text of the double as it is.
// Not nlohmann::json's dump of the rounded double: its Grisu2 conversion does not always find
// the shortest text, and prints 63.723001 (the double nearest to it) as 63.723000999999996.
std::string format_number(double value, std::optional<int> decimals);

}  // namespace piogate::app::filters
