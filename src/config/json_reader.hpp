// Typed, path-aware reading of a JSON object: every value read is type- and range-checked,
// every key not read is an error with a "did you mean". Errors throw config_error naming the
// JSON pointer of the offending value.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "config/config_error.hpp"

namespace piogate::config {

using json = nlohmann::json;

// Parses `text` (from `source`, for messages); syntax errors carry line and column. A key
// repeated in one object is an error at its JSON pointer, with the lines and columns of both.
json parse_json(const std::string& text, const std::string& source);
// Reads and parses a file; a missing or unreadable file, one that is not a regular file, and
// one larger than max_config_file_bytes (1 MiB) are config_errors too.
json load_json_file(const std::string& path);

std::string child_path(const std::string& parent, std::string_view key);
std::string child_path(const std::string& parent, std::size_t index);
const char* type_name(const json& j);

class object_reader {
public:
    object_reader(const json& j, std::string path);  // throws unless `j` is an object

    const std::string& path() const { return path_; }
    bool has(std::string_view key) const;

    std::string get_string(std::string_view key, std::optional<std::string> fallback = {});
    bool get_bool(std::string_view key, std::optional<bool> fallback = {});
    std::int64_t get_int(std::string_view key, std::int64_t min, std::int64_t max,
                         std::optional<std::int64_t> fallback = {});
    double get_number(std::string_view key, double min, double max,
                      std::optional<double> fallback = {});
    // An enumeration spelled as one of `choices`; returns its index.
    std::size_t get_choice(std::string_view key, const std::vector<std::string>& choices,
                           std::optional<std::size_t> fallback = {});
    // An id that becomes an MQTT topic level: 1..64 of a-z, 0-9, '_' and '-'.
    std::string get_id(std::string_view key);
    // An I2C address: a number or a string "0x76"; 0x03..0x77.
    std::uint8_t get_i2c_address(std::string_view key, std::optional<std::uint8_t> fallback = {});
    // The raw child (marks the key as used), or nullptr when absent.
    const json* get_child(std::string_view key);
    // Each element of an array child as (element, its path); absent = no elements.
    void for_each(std::string_view key, const std::function<void(const json&, const std::string&)>& f);

    // Throws for the first key never read, suggesting the closest known key.
    void finish();
    [[noreturn]] void fail(std::string_view key, const std::string& message) const;

private:
    const json* find(std::string_view key);
    const json& j_;
    std::string path_;
    std::set<std::string, std::less<>> used_;
    std::vector<std::string> known_;
};

}  // namespace piogate::config
