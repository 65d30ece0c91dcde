// Finding a configured GPIO line among the chips a backend lists, and the start-up error texts
// every backend shares (libgpiod v1, v2 and the simulated board say the same thing):
//
//   gpio GPIO71: request input failed: no line named "GPIO71" on any chip (did you mean GPIO1,
//       GPIO7, GPIO11, GPIO17, GPIO21?)
//   gpio gpiochip0:GPIO17: request output failed: line busy, held by "gpio-keys"
//   gpio pinctrl-rp1:GPIO17: request input failed: no chip with path, name or label
//       "pinctrl-rp1" (chips: gpiochip0 [pinctrl-bcm2835])
//
// Pure functions over chip_info; they throw std::runtime_error (start-up regime).
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hw/gpio.hpp"

namespace piogate::hw {

struct line_location {
    std::size_t chip = 0;  // index into the chip list
    unsigned offset = 0;
};

// What find_line found: the location, or why not and in which part of the address.
struct line_lookup {
    std::optional<line_location> location;
    enum class miss {
        none,
        no_chips,  // the list is empty
        chip,      // no chip has that path, name or label
        offset,    // the chip has fewer lines
        line,      // no line of that name (or no line given, or an offset without a chip)
    } missing = miss::none;
    std::string reason;  // "no line named \"GPIO71\" on any chip (did you mean ...?)"
};

// locate_line without throwing, for checks that report in their own words.
line_lookup find_line(const std::vector<chip_info>& chips, const line_address& address);

// Resolves `address`: the chip by path, name or label (empty = every chip, in order), the line
// by name, or by offset when a chip is given and the line is a number. `operation` goes into
// the error text ("request input"). Throws std::runtime_error naming what was not found, with
// the closest names.
line_location locate_line(const std::vector<chip_info>& chips, const line_address& address,
                          std::string_view operation);

// "gpiochip0:GPIO17", or "gpiochip0:17" for a line without a name.
std::string line_display_name(const chip_info& chip, unsigned offset);

// The busy error, naming who holds the line.
std::string line_busy_message(std::string_view line, std::string_view operation,
                              std::string_view consumer);
[[noreturn]] void throw_line_busy(std::string_view line, std::string_view operation,
                                  std::string_view consumer);

// Up to `max` candidates close to `wanted` (case-insensitive edit distance with transpositions;
// a bare number also matches names ending in it), closest first, ties in candidate order; when
// some differ from `wanted` only in case, just those.
std::vector<std::string> similar_names(std::string_view wanted,
                                       const std::vector<std::string>& candidates,
                                       std::size_t max = 5);

}  // namespace piogate::hw
