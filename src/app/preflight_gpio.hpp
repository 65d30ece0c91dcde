// The GPIO part of app::preflight: every configured line (each channel entry's claimed line,
// config::entry_facts: inputs, actuators, counters; the simulated board's input patterns) resolved
// to a (chip, offset) pair before the claims are compared, so "GPIO22" and chip + offset 22, or one
// chip by label and by name, count as the same line.
//
// Which chips: the simulated board's come from its "board" section and are complete, so a line
// that is not on them is an error. The real board's are the chips present now (libgpiod);
// with none present (a machine without GPIO, checking a config for another), nothing is
// resolved and only the spelling check of config::check_line_claims applies. A line on a chip
// that is absent is left to start-up too (exit 1, which systemd retries: a chip behind USB or
// an overlay may appear later); everything else that start-up would refuse is refused here.
//
// Thread: any. Errors: config::config_error naming the JSON path of the line or chip.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <vector>

#include "config/config.hpp"
#include "hw/gpio.hpp"

namespace piogate::app {

// The chips the simulated board of `board` has, as its gpio provider lists them.
std::vector<hw::chip_info> sim_chip_infos(const config::board_config& board);

// Resolves and compares the claims against `chips`. `complete`: the list is everything there
// will be (the simulated board), so an unknown chip is an error rather than left to start-up.
void check_gpio_lines(const config::piogate_config& config, const std::vector<hw::chip_info>& chips,
                      bool complete);

// The same against the chips of the config's board (simulated, or present on this machine).
void check_gpio_lines(const config::piogate_config& config);

}  // namespace piogate::app
