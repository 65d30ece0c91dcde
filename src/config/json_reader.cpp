#include "config/json_reader.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <sstream>

#include "config/bounded_file.hpp"
#include "config/json_unique.hpp"

namespace piogate::config {
namespace {

std::size_t edit_distance(const std::string& a, const std::string& b) {
    std::vector<std::size_t> prev(b.size() + 1);
    std::vector<std::size_t> cur(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t subst = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, subst});
        }
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

// Escapes a key for a JSON pointer (RFC 6901).
std::string escape(std::string_view key) {
    std::string out;
    for (char c : key) {
        if (c == '~') out += "~0";
        else if (c == '/') out += "~1";
        else out += c;
    }
    return out;
}

}  // namespace

std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates) {
    std::string best;
    std::size_t best_distance = std::max<std::size_t>(2, word.size() / 3) + 1;
    for (const auto& c : candidates) {
        const std::size_t d = edit_distance(word, c);
        if (d < best_distance) {
            best_distance = d;
            best = c;
        }
    }
    return best;
}

std::string child_path(const std::string& parent, std::string_view key) {
    return parent + "/" + escape(key);
}
std::string child_path(const std::string& parent, std::size_t index) {
    return parent + "/" + std::to_string(index);
}

const char* type_name(const json& j) {
    switch (j.type()) {
        case json::value_t::null: return "null";
        case json::value_t::object: return "an object";
        case json::value_t::array: return "an array";
        case json::value_t::string: return "a string";
        case json::value_t::boolean: return "a boolean";
        case json::value_t::number_integer:
        case json::value_t::number_unsigned: return "an integer";
        case json::value_t::number_float: return "a number";
        default: return "a value";
    }
}

namespace {

std::string line_and_column(const std::string& text, std::size_t offset) {
    std::size_t line = 1;
    std::size_t column = 1;
    for (std::size_t i = 0; i < std::min(offset, text.size()); ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return std::to_string(line) + ":" + std::to_string(column);
}

}  // namespace

json parse_json(const std::string& text, const std::string& source) {
    try {
        return parse_json_unique(text);
    } catch (const duplicate_key_error& e) {
        throw config_error::in_file(source, config_error(e.pointer(), e.what()));
    } catch (const json::out_of_range& e) {
        // A number too large for a double: nlohmann names the literal but not where it is.
        const std::string what = e.what();
        const auto first = what.find('\'');
        const auto last = what.rfind('\'');
        std::size_t at = 0;
        if (first != std::string::npos && last > first) {
            at = text.find(what.substr(first + 1, last - first - 1));
            if (at == std::string::npos) at = 0;
        }
        throw config_error("", source + ":" + line_and_column(text, at) +
                                   ": JSON syntax error: number out of range" +
                                   (last > first && first != std::string::npos
                                        ? " (" + what.substr(first, last - first + 1) + ")"
                                        : std::string()));
    } catch (const json::parse_error& e) {
        // Turn the byte offset into line and column.
        std::size_t line = 1;
        std::size_t column = 1;
        const std::size_t end = std::min<std::size_t>(e.byte == 0 ? 0 : e.byte - 1, text.size());
        for (std::size_t i = 0; i < end; ++i) {
            if (text[i] == '\n') {
                ++line;
                column = 1;
            } else {
                ++column;
            }
        }
        std::string what = e.what();
        // nlohmann's text: "[json.exception.parse_error.101] parse error at line 3, column 5: <reason>"
        auto colon = what.find(": ");
        std::string reason = colon == std::string::npos ? what : what.substr(colon + 2);
        throw config_error("", source + ":" + std::to_string(line) + ":" + std::to_string(column) +
                                   ": JSON syntax error: " + reason);
    }
}

json load_json_file(const std::string& path) {
    std::string text;
    try {
        text = read_bounded_file(path, max_config_file_bytes);
    } catch (const file_error& e) {
        throw config_error("", e.what());
    }
    return parse_json(text, path);
}

object_reader::object_reader(const json& j, std::string path) : j_(j), path_(std::move(path)) {
    if (!j_.is_object()) {
        throw config_error(path_.empty() ? "/" : path_,
                           std::string("expected an object, got ") + type_name(j_));
    }
}

bool object_reader::has(std::string_view key) const { return j_.contains(key); }

const json* object_reader::find(std::string_view key) {
    if (std::find(known_.begin(), known_.end(), key) == known_.end()) known_.emplace_back(key);
    auto it = j_.find(key);
    if (it == j_.end()) return nullptr;
    used_.emplace(key);
    return &*it;
}

void object_reader::fail(std::string_view key, const std::string& message) const {
    throw config_error(child_path(path_, key), message);
}

std::string object_reader::get_string(std::string_view key, std::optional<std::string> fallback) {
    const json* v = find(key);
    if (!v) {
        if (fallback) return *fallback;
        fail(key, "missing (a string is required)");
    }
    if (!v->is_string()) fail(key, std::string("expected a string, got ") + type_name(*v));
    return v->get<std::string>();
}

bool object_reader::get_bool(std::string_view key, std::optional<bool> fallback) {
    const json* v = find(key);
    if (!v) {
        if (fallback) return *fallback;
        fail(key, "missing (true or false is required)");
    }
    if (!v->is_boolean()) fail(key, std::string("expected true or false, got ") + type_name(*v));
    return v->get<bool>();
}

std::int64_t object_reader::get_int(std::string_view key, std::int64_t min, std::int64_t max,
                                    std::optional<std::int64_t> fallback) {
    const json* v = find(key);
    if (!v) {
        if (fallback) return *fallback;
        fail(key, "missing (an integer is required)");
    }
    if (!v->is_number_integer()) fail(key, std::string("expected an integer, got ") + type_name(*v));
    const auto value = v->is_number_unsigned() && v->get<std::uint64_t>() > INT64_MAX
                           ? INT64_MAX
                           : v->get<std::int64_t>();
    if (value < min || value > max) {
        fail(key, std::to_string(value) + " is out of range " + std::to_string(min) + ".." +
                      std::to_string(max));
    }
    return value;
}

double object_reader::get_number(std::string_view key, double min, double max,
                                 std::optional<double> fallback) {
    const json* v = find(key);
    if (!v) {
        if (fallback) return *fallback;
        fail(key, "missing (a number is required)");
    }
    if (!v->is_number()) fail(key, std::string("expected a number, got ") + type_name(*v));
    const double value = v->get<double>();
    if (!std::isfinite(value) || value < min || value > max) {
        std::ostringstream msg;
        msg << value << " is out of range " << min << ".." << max;
        fail(key, msg.str());
    }
    return value;
}

std::size_t object_reader::get_choice(std::string_view key, const std::vector<std::string>& choices,
                                      std::optional<std::size_t> fallback) {
    const json* v = find(key);
    if (!v) {
        if (fallback) return *fallback;
        fail(key, "missing");
    }
    std::string all;
    for (const auto& c : choices) all += (all.empty() ? "\"" : ", \"") + c + "\"";
    if (!v->is_string()) fail(key, std::string("expected one of ") + all + ", got " + type_name(*v));
    const auto s = v->get<std::string>();
    auto it = std::find(choices.begin(), choices.end(), s);
    if (it == choices.end()) {
        std::string hint = did_you_mean(s, choices);
        fail(key, "\"" + s + "\" is not one of " + all +
                      (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)"));
    }
    return static_cast<std::size_t>(it - choices.begin());
}

std::string object_reader::get_id(std::string_view key) {
    std::string id = get_string(key);
    const bool ok = !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    });
    if (!ok) fail(key, "\"" + id + "\" must be 1..64 of a-z, 0-9, _ and -");
    return id;
}

std::uint8_t object_reader::get_i2c_address(std::string_view key, std::optional<std::uint8_t> fallback) {
    const json* v = find(key);
    if (!v) {
        if (fallback) return *fallback;
        fail(key, "missing (an I2C address like \"0x76\" is required)");
    }
    long value = -1;
    if (v->is_number_integer()) {
        value = v->is_number_unsigned() && v->get<std::uint64_t>() > 0xFFFF ? -1 : v->get<long>();
    } else if (v->is_string()) {
        // "0x76" (hex) or "118" (decimal); no octal, no blanks.
        const auto s = v->get<std::string>();
        const bool hex = s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
        const std::string digits = hex ? s.substr(2) : s;
        char* end = nullptr;
        errno = 0;
        value = std::strtol(digits.c_str(), &end, hex ? 16 : 10);
        const bool leading_zero = !hex && digits.size() > 1 && digits[0] == '0';  // octal? no
        if (digits.empty() || !std::isxdigit(static_cast<unsigned char>(digits[0])) || *end != '\0' ||
            errno != 0 || leading_zero) {
            value = -1;
        }
    } else {
        fail(key, std::string("expected an I2C address like \"0x76\", got ") + type_name(*v));
    }
    if (value < 0x03 || value > 0x77) {
        fail(key, v->dump() + " is not a 7-bit I2C address (0x03..0x77)");
    }
    return static_cast<std::uint8_t>(value);
}

const json* object_reader::get_child(std::string_view key) { return find(key); }

void object_reader::for_each(std::string_view key,
                             const std::function<void(const json&, const std::string&)>& f) {
    const json* v = find(key);
    if (!v) return;
    if (!v->is_array()) fail(key, std::string("expected an array, got ") + type_name(*v));
    const std::string base = child_path(path_, key);
    for (std::size_t i = 0; i < v->size(); ++i) f((*v)[i], child_path(base, i));
}

void object_reader::finish() {
    for (const auto& [key, value] : j_.items()) {
        if (used_.count(key)) continue;
        std::string hint = did_you_mean(key, known_);
        throw config_error(child_path(path_, key),
                           "unknown key" + (hint.empty() ? std::string() : " (did you mean \"" + hint + "\"?)"));
    }
}

}  // namespace piogate::config
