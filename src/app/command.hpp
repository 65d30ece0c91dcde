// Actuator command payloads, parsed purely: ON/OFF/TOGGLE (any case), 1/0, true/false, and
// JSON {"state": "ON", "duration_ms": 500} (a pulse: ON, then back after the duration). A JSON
// payload with a key given twice ({"state":"ON","state":"OFF"}) is refused, not last-wins.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace piogate::app {

struct command {
    enum class action { on, off, toggle } what = action::off;
    std::optional<std::chrono::milliseconds> pulse;  // return to the other state after this
};

// nullopt with `why` set when the payload is not a command.
std::optional<command> parse_command(std::string_view payload, std::string& why);

// For logs: at most `max` bytes, non-printable bytes escaped.
std::string truncate_payload(std::string_view payload, std::size_t max = 64);

}  // namespace piogate::app
