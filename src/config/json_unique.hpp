// JSON text to a value like nlohmann::json::parse, except that a key repeated in one object is
// an error. nlohmann keeps the last value silently, so a second "port" would win and a second
// "sensors": [] would empty the list; the config file and command payloads both refuse that.
//
// Pure; any thread.
// Errors: nlohmann::json::parse_error and out_of_range for bad syntax (as json::parse throws
// them), duplicate_key_error for a repeated key.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <cstddef>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>

namespace piogate::config {

struct text_position {
    std::size_t line = 1;    // 1-based
    std::size_t column = 1;  // 1-based, in bytes
};

// The line and column of byte `offset` of `text`.
text_position position_of(std::string_view text, std::size_t offset);

class duplicate_key_error : public std::runtime_error {
public:
    // what(): duplicate key "port" at line 4, column 5 (first at line 3, column 5)
    duplicate_key_error(std::string pointer, const std::string& key, text_position first,
                        text_position second);
    const std::string& pointer() const { return pointer_; }  // "/mqtt/port", both occurrences
    const std::string& key() const { return key_; }
    text_position first() const { return first_; }
    text_position second() const { return second_; }

private:
    std::string pointer_;
    std::string key_;
    text_position first_;
    text_position second_;
};

nlohmann::json parse_json_unique(std::string_view text);

}  // namespace piogate::config
