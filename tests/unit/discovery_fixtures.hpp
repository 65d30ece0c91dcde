// What the Home Assistant discovery tests share: discovery switched on for a device named
// "garage", and a config parsed from its JSON text.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <string>

#include "config/config.hpp"
#include "config/homeassistant_config.hpp"

namespace piogate::test {

inline config::homeassistant_config ha_on() {
    config::homeassistant_config h;
    h.enabled = true;
    h.device_name = "garage";
    h.status_topic = "homeassistant/status";
    return h;
}

inline config::piogate_config parse(const std::string& text) {
    return config::parse_config(config::json::parse(text));
}

}  // namespace piogate::test
