// The entries of the "inputs" (buttons, contacts, PIR) and "actuators" (relays and other GPIO
// outputs) sections, as their kinds read them (app/channel_kinds/gpio_input.cpp and
// gpio_output.cpp: keys, defaults and validation are there). Plain structs, compared by value
// on reload.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <chrono>
#include <string>

namespace piogate::config {

struct input_config {
    std::string id;
    std::string chip;            // path, name or label; empty = search every chip
    std::string line;            // "GPIO17", or an offset with a chip
    std::string edges = "both";  // "both", "rising", "falling"
    std::string bias = "as_is";  // "as_is", "disabled", "pull_up", "pull_down"
    bool active_low = false;
    std::chrono::milliseconds debounce{20};
    std::string device_class;  // Home Assistant binary_sensor device class; empty = none
    std::string path;

    bool operator==(const input_config&) const = default;
};

struct actuator_config {
    std::string id;
    std::string chip;
    std::string line;
    bool active_low = false;
    std::string drive = "push_pull";  // "push_pull", "open_drain", "open_source"
    bool initial = false;             // state at start
    // "initial": "restore": the last commanded state, kept in the state directory (initial is
    // then false: the state when nothing was kept).
    bool restore = false;
    bool failsafe = false;  // state applied at shutdown
    // Also apply the failsafe state once the broker has been unreachable this long (0 = never).
    std::chrono::milliseconds failsafe_after{0};
    bool accept_retained = false;  // act on a retained command found at start
    std::string path;

    bool operator==(const actuator_config&) const = default;
};

}  // namespace piogate::config
