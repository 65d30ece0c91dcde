#include "hw/gpio_lookup.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace piogate::hw {
namespace {

bool all_digits(std::string_view s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps.
std::size_t edit_distance(const std::string& a, const std::string& b) {
    const std::size_t n = a.size(), m = b.size();
    std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1));
    for (std::size_t i = 0; i <= n; ++i) d[i][0] = i;
    for (std::size_t j = 0; j <= m; ++j) d[0][j] = j;
    for (std::size_t i = 1; i <= n; ++i) {
        for (std::size_t j = 1; j <= m; ++j) {
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[n][m];
}

std::string trailing_number(std::string_view s) {
    std::size_t i = s.size();
    while (i > 0 && std::isdigit(static_cast<unsigned char>(s[i - 1]))) --i;
    std::string digits(s.substr(i));
    const auto nz = digits.find_first_not_of('0');
    return nz == std::string::npos ? (digits.empty() ? "" : "0") : digits.substr(nz);
}

std::string chip_text(const chip_info& chip) {
    return chip.label.empty() ? chip.name : chip.name + " [" + chip.label + "]";
}

std::string join(const std::vector<std::string>& items, std::string_view sep) {
    std::string out;
    for (const auto& s : items) {
        if (!out.empty()) out += sep;
        out += s;
    }
    return out;
}

[[noreturn]] void fail(const line_address& address, std::string_view operation,
                       const std::string& reason) {
    throw std::runtime_error("gpio " + address.to_string() + ": " + std::string(operation) +
                             " failed: " + reason);
}

bool chip_matches(const chip_info& chip, const std::string& wanted) {
    if (wanted == chip.path || wanted == chip.name || wanted == chip.label) return true;
    return all_digits(wanted) && chip.name == "gpiochip" + wanted;  // "0" as libgpiod allows
}

}  // namespace

std::vector<std::string> similar_names(std::string_view wanted,
                                       const std::vector<std::string>& candidates,
                                       std::size_t max) {
    const std::string w = lower(wanted);
    const std::size_t limit = std::max<std::size_t>(1, std::min<std::size_t>(3, w.size() / 3));
    const bool number = all_digits(w);
    const std::string number_value = number ? trailing_number(w) : "";
    struct scored {
        std::size_t score;
        std::size_t index;
    };
    std::vector<scored> hits;
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        const std::string c = lower(candidates[i]);
        if (c.empty()) continue;
        std::size_t score;
        if (c == w) {
            score = 0;  // differs only in case
        } else if (number && trailing_number(c) == number_value) {
            score = 1;  // "17" for GPIO17
        } else {
            const std::size_t d = edit_distance(w, c);
            if (d > limit) continue;
            score = 2 * d;
        }
        hits.push_back({score, i});
    }
    std::stable_sort(hits.begin(), hits.end(),
                     [](const scored& a, const scored& b) { return a.score < b.score; });
    // Only the case differs: that is the answer, the near misses would only distract.
    if (!hits.empty() && hits.front().score == 0)
        hits.erase(
            std::find_if(hits.begin(), hits.end(), [](const scored& h) { return h.score > 0; }),
            hits.end());
    std::vector<std::string> out;
    for (const auto& h : hits) {
        if (out.size() == max) break;
        if (std::find(out.begin(), out.end(), candidates[h.index]) == out.end())
            out.push_back(candidates[h.index]);
    }
    return out;
}

std::string line_display_name(const chip_info& chip, unsigned offset) {
    const std::string& name = offset < chip.lines.size() ? chip.lines[offset].name : std::string();
    return chip.name + ":" + (name.empty() ? std::to_string(offset) : name);
}

std::string line_busy_message(std::string_view line, std::string_view operation,
                              std::string_view consumer) {
    std::string text = "gpio " + std::string(line) + ": " + std::string(operation) +
                       " failed: line busy, held by \"" + std::string(consumer) + "\"";
    if (consumer == gpio_consumer)
        text += " (claimed twice in the configuration, or another piogate is running)";
    return text;
}

void throw_line_busy(std::string_view line, std::string_view operation, std::string_view consumer) {
    throw std::runtime_error(line_busy_message(line, operation, consumer));
}

line_lookup find_line(const std::vector<chip_info>& chips, const line_address& address) {
    if (address.line.empty()) return {{}, line_lookup::miss::line, "no line given"};
    if (chips.empty()) return {{}, line_lookup::miss::no_chips, "no gpio chips found"};

    std::vector<std::size_t> selected;
    for (std::size_t i = 0; i < chips.size(); ++i)
        if (address.chip.empty() || chip_matches(chips[i], address.chip)) selected.push_back(i);
    if (selected.empty()) {
        std::vector<std::string> known, names;
        for (const auto& c : chips) {
            known.push_back(chip_text(c));
            names.push_back(c.name);
            if (!c.label.empty()) names.push_back(c.label);
        }
        std::string reason = "no chip with path, name or label \"" + address.chip +
                             "\" (chips: " + join(known, ", ") + ")";
        if (auto close = similar_names(address.chip, names, 3); !close.empty())
            reason += "; did you mean " + join(close, ", ") + "?";
        return {{}, line_lookup::miss::chip, reason};
    }

    if (!address.chip.empty() && all_digits(address.line)) {
        const chip_info& chip = chips[selected.front()];
        const std::size_t n = chip.lines.size();
        if (address.line.size() > 9 || std::stoul(address.line) >= n) {
            return {{}, line_lookup::miss::offset,
                    chip_text(chip) + " has " + std::to_string(n) + " lines" +
                        (n ? " (offsets 0.." + std::to_string(n - 1) + ")" : std::string())};
        }
        return {line_location{selected.front(), static_cast<unsigned>(std::stoul(address.line))},
                line_lookup::miss::none, {}};
    }

    std::vector<std::string> candidates;
    for (std::size_t i : selected) {
        const auto& lines = chips[i].lines;
        for (std::size_t off = 0; off < lines.size(); ++off) {
            if (lines[off].name == address.line)
                return {line_location{i, static_cast<unsigned>(off)}, line_lookup::miss::none, {}};
            if (!lines[off].name.empty()) candidates.push_back(lines[off].name);
        }
    }
    std::string reason = "no line named \"" + address.line + "\" on ";
    if (address.chip.empty()) {
        reason += "any chip";
    } else {
        std::vector<std::string> where;
        for (std::size_t i : selected) where.push_back(chip_text(chips[i]));
        reason += join(where, ", ");
    }
    if (address.chip.empty() && all_digits(address.line))
        reason += "; a line offset needs its chip";
    if (auto close = similar_names(address.line, candidates); !close.empty()) {
        reason += " (did you mean " + join(close, ", ") + "?)";
    } else if (candidates.empty()) {
        reason += " (its lines have no names: give the chip and an offset)";
    } else {
        std::vector<std::string> some(
            candidates.begin(), candidates.begin() + std::min<std::size_t>(8, candidates.size()));
        reason += " (lines: " + join(some, ", ") +
                  (candidates.size() > some.size() ? ", ... " + std::to_string(candidates.size()) +
                                                         " in all; piogate --list-gpio shows them"
                                                   : std::string()) +
                  ")";
    }
    return {{}, line_lookup::miss::line, reason};
}

line_location locate_line(const std::vector<chip_info>& chips, const line_address& address,
                          std::string_view operation) {
    line_lookup found = find_line(chips, address);
    if (!found.location) fail(address, operation, found.reason);
    return *found.location;
}

}  // namespace piogate::hw
