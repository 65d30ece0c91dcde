// The whole configuration file, parsed once into typed, validated structs.
// load_config() is what start-up and `piogate --check-config` both run.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <string>

#include "config/board_config.hpp"
#include "config/buffer_config.hpp"
#include "config/counter_config.hpp"
#include "config/gpio_config.hpp"
#include "config/homeassistant_config.hpp"
#include "config/interlock_config.hpp"
#include "config/mqtt_config.hpp"
#include "config/pwm_config.hpp"
#include "config/rule_config.hpp"
#include "config/sensor_config.hpp"

namespace piogate::config {

inline constexpr const char* default_config_path = "/etc/piogate/config.json";

struct piogate_config {
    mqtt_config mqtt;
    board_config board;
    std::vector<sensor_config> sensors;
    std::vector<input_config> inputs;
    std::vector<actuator_config> actuators;
    std::vector<interlock_config> interlocks;
    std::vector<pwm_config> pwm;
    std::vector<counter_config> counters;
    std::vector<rule_config> rules;
    buffer_config buffer;
    homeassistant_config homeassistant;
    std::string file;  // the file it was read from ("" = none), for later checks' messages
};

// Throws config_error naming the file, the JSON path, and for syntax errors line and column.
// The file must be a regular file of at most 1 MiB; a key repeated in an object is an error.
piogate_config load_config(const std::string& path);
piogate_config parse_config(const json& j);

}  // namespace piogate::config
