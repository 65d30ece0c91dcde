// PWM command payloads, parsed purely: a duty in percent as a number ("42", "12.5"; 0..100),
// ON / OFF / TOGGLE (any case), or JSON {"duty": 42}, {"state": "ON"}, {"state": "ON",
// "brightness": 42} (Home Assistant's JSON light; brightness on the 0..100 scale piogate
// announces). A key given twice is refused.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <optional>
#include <string>
#include <string_view>

namespace piogate::app {

struct pwm_command {
    enum class action { duty, on, off, toggle } what = action::off;
    double duty = 0;  // percent, for action::duty
};

// nullopt with `why` set when the payload is not a command.
std::optional<pwm_command> parse_pwm_command(std::string_view payload, std::string& why);

}  // namespace piogate::app
