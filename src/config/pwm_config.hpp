// An entry of the "pwm" section: a PWM output on /sys/class/pwm/pwmchipN (fans, LED dimmers,
// heaters), as its kind reads it (app/channel_kinds/pwm_output.cpp: keys, defaults and
// validation are there). A plain struct, compared by value on reload.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <chrono>
#include <string>

namespace piogate::config {

struct pwm_config {
    std::string id;
    unsigned chip = 0;     // pwmchip<chip>
    unsigned channel = 0;  // pwm<channel> of that chip
    double frequency_hz = 1000;
    bool inversed = false;  // "polarity": "normal" or "inversed"
    double initial = 0;     // duty in % at start
    double failsafe = 0;    // duty in % at shutdown (default: initial)
    std::chrono::milliseconds failsafe_after{
        0};                             // broker unreachable this long: failsafe (0 = never)
    std::chrono::milliseconds ramp{0};  // a duty change takes this long (0 = at once)
    bool accept_retained = false;
    std::string homeassistant = "light";  // "light" (with brightness) or "number"
    std::string path;

    bool operator==(const pwm_config&) const = default;
};

}  // namespace piogate::config
