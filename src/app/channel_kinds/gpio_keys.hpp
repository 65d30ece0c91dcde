// Config keys the GPIO kinds share (gpio_input.cpp, gpio_output.cpp, pulse_counter.cpp), read
// the same way with the same messages.
//
// Thread: any. Errors: config::config_error at the key's JSON path (object_reader).
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <string>
#include <utility>
#include <vector>

#include "config/channel_kind.hpp"
#include "config/json_reader.hpp"

namespace piogate::app {

// "chip" (optional, "" = search every chip) and "line" (required, not empty).
config::line_claim read_gpio_line(config::object_reader& r);
// The same into an entry's `chip` and `line`.
template <class Entry>
void read_gpio_line(config::object_reader& r, Entry& e) {
    auto l = read_gpio_line(r);
    e.chip = std::move(l.chip);
    e.line = std::move(l.line);
}

// "bias": "as_is" (default), "disabled", "pull_up" or "pull_down".
std::string read_gpio_bias(config::object_reader& r);

// A state "OFF" or "ON" at `key`; `fallback` when absent.
bool read_on_off(config::object_reader& r, const char* key, bool fallback);

}  // namespace piogate::app
