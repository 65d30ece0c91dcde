// Home Assistant discovery payloads for PWM outputs and pulse counters (without the common
// part - unique_id, availability, device, origin - that discovery_messages() adds).
// PWM: a "light" with brightness on a 0..100 scale (brightness = duty %), or a "number"
// (0..100 %, slider) by "homeassistant": "number". Counters: a "sensor" for the total
// (state_class total_increasing, device class energy/water/gas from the config) and one for
// the rate (state_class measurement, unit per hour or minute).
//
// Thread: any (pure).
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "config/counter_config.hpp"
#include "config/pwm_config.hpp"

namespace piogate::app {

struct output_entity {
    std::string component;  // "light", "number", "sensor"
    std::string suffix;     // appended to the object id ("" or "_total", "_rate")
    nlohmann::json payload;
};

output_entity pwm_entity(const std::string& prefix, const config::pwm_config& p);
std::vector<output_entity> counter_entities(const std::string& prefix,
                                            const config::counter_config& c);

}  // namespace piogate::app
