// An entry of the "counters" section: a pulse counter on a GPIO input (S0 energy meters, water
// and gas meters with a reed contact), as its kind reads it (app/channel_kinds/pulse_counter.cpp:
// keys, defaults and validation are there). A plain struct, compared by value on reload.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <chrono>
#include <string>

namespace piogate::config {

struct counter_config {
    std::string id;
    std::string chip;
    std::string line;
    std::string edge = "falling";  // the edge that counts: "falling" (S0 closes to GND) or "rising"
    std::string bias = "as_is";
    bool active_low = false;
    std::chrono::milliseconds debounce{5};      // the line's level must hold this long
    std::chrono::milliseconds min_interval{0};  // pulses closer than this to the last count as one
    double multiplier = 1;                      // units per pulse (0.001 for 1000 imp/kWh)
    std::string unit;                           // "kWh", "m³", "L", ...; "" = pulses
    std::string device_class;                   // Home Assistant: "energy", "water", "gas" or ""
    std::chrono::seconds interval{10};          // how often total and rate are published
    std::chrono::seconds rate_window{60};
    std::string rate_per = "h";              // "h" or "min"
    std::chrono::seconds persist_every{60};  // the total is written at most this often
    std::string state_file;                  // default $STATE_DIRECTORY/counter-<id>.json
    std::string path;

    bool operator==(const counter_config&) const = default;
};

}  // namespace piogate::config
