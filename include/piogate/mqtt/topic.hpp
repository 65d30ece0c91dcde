// Topic names, topic filters and UTF-8 rules (MQTT 3.1.1 sections 1.5.3 and 4.7).
// Pure functions, safe from any thread.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <string_view>

namespace piogate::mqtt {

// True when `s` is well-formed UTF-8 as MQTT requires: no overlong forms, no surrogates,
// nothing above U+10FFFF, and no U+0000.
bool is_valid_utf8(std::string_view s) noexcept;

// A topic name to publish to: 1..65535 bytes of valid UTF-8 without '+' or '#'.
bool is_valid_topic_name(std::string_view topic) noexcept;

// A topic filter to subscribe with: 1..65535 bytes of valid UTF-8; '+' occupies a whole level;
// '#' occupies a whole level and is the last character.
bool is_valid_topic_filter(std::string_view filter) noexcept;

// Whether `topic` matches `filter` (both assumed valid). "sport/#" matches "sport";
// topics starting with '$' are not matched by a filter starting with '+' or '#'.
bool topic_matches_sub(std::string_view filter, std::string_view topic) noexcept;

}  // namespace piogate::mqtt
