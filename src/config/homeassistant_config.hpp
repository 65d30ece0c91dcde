// The optional "homeassistant" section: Home Assistant MQTT discovery (app/discovery.hpp builds
// the messages). Absent = off; present = on unless "enabled": false.
//
// Thread: pure; any thread. Errors: config_error naming the JSON path (start-up regime).
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <string>
#include <vector>

#include "config/json_reader.hpp"

namespace piogate::config {

// How entities are announced: one retained message per device on
// <discovery_prefix>/device/<id>/config (Home Assistant 2024.11 and later), or one per entity on
// <discovery_prefix>/<component>/<object_id>/config (every version).
enum class discovery_mode { device, entity };

struct homeassistant_config {
    bool enabled = false;
    discovery_mode discovery = discovery_mode::device;  // "discovery": "device" | "entity"
    std::string discovery_prefix = "homeassistant";     // Home Assistant's own default
    std::string device_name;                            // default: the host name
    std::string status_topic;  // Home Assistant's birth topic; default "<discovery_prefix>/status"

    bool operator==(const homeassistant_config&) const = default;
};

// Reads the optional "homeassistant" object of `parent` (the top level). The prefix and the
// status topic follow the topic prefix's rules (config/mqtt_names.hpp: no wildcards, no
// trailing '/', no leading '$', UTF-8 without control characters, at most 1024 bytes).
homeassistant_config read_homeassistant_config(object_reader& parent);

// Home Assistant's binary_sensor device classes ("door", "motion", ...), for inputs'
// "device_class" key.
const std::vector<std::string>& binary_sensor_device_classes();

}  // namespace piogate::config
