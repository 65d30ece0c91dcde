// Home Assistant MQTT discovery, pure: the configuration in, the retained config messages out.
// One device per gateway; one entity per sensor quantity ("sensor"), per input
// ("binary_sensor"), per actuator ("switch"), per PWM output and two per counter, each kind
// mapping its own entries (app/channel_kinds/; PWM and counter payloads in
// app/discovery_outputs.hpp). Each has unique_id piogate_<uid>_<component id>
// (<sensor>_<quantity>, <input>, <actuator>, pwm_<id>, counter_<id>_total|_rate) and
// default_entity_id <platform>.piogate_<component id in lower case>; availability on
// <topic_prefix>/status. Two forms of the same entities: per entity (discovery_messages, on
// <discovery_prefix>/<component>/<unique_id>/config) and per device (app/discovery_device.hpp).
// The gateway publishes them retained at QoS 1 after each connect and again when
// is_homeassistant_online() says Home Assistant restarted.
//
// Thread: every function is pure except machine_unique_id (reads /etc/machine-id); any thread.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "config/homeassistant_config.hpp"

namespace piogate::app {

struct discovery_message {
    std::string topic;
    std::string payload;  // compact JSON; "" removes the entity. Always retained, QoS 1.

    bool operator==(const discovery_message&) const = default;
};

// A stable id for this machine: the first 16 hex digits of sys::app_specific_machine_id()
// (derived from /etc/machine-id, which itself is never published), or host_unique_id() of the
// host name when the machine has no usable machine id. Blocking file read: call at start-up.
std::string machine_unique_id();
// 16 lower-case hex digits from a host name (FNV-1a): the fallback above.
std::string host_unique_id(std::string_view host);

// One entity of the gateway's device before a form is chosen: its own options with unique_id
// and default_entity_id, without device, origin, availability and qos.
struct discovery_entity {
    std::string component;     // the platform: "sensor", "binary_sensor", "switch", "light", ...
    std::string component_id;  // unique within the device: "garage_temperature", "door", ...
    nlohmann::json payload;
};

// Every entity in config order (sensors, inputs, actuators, PWM outputs, counters); empty when
// `ha.enabled` is false. Ids are made of [a-zA-Z0-9_-]; a generic sensor's quantity is
// sanitised, and ids that would still collide get a hash suffix of their source.
std::vector<discovery_entity> discovery_entities(const config::piogate_config& cfg,
                                                 const config::homeassistant_config& ha,
                                                 const std::string& unique_id);

// The origin block {"name": "piogate", "sw_version"} both discovery forms carry (the device form
// adds "support_url").
nlohmann::json discovery_origin(std::string_view sw_version);

// The text of a discovery payload: compact, invalid UTF-8 replaced (never throws on it).
std::string discovery_text(const nlohmann::json& payload);

// The device block: identifiers ["piogate_<uid>"], name, manufacturer, model, sw_version.
nlohmann::json discovery_device(const config::homeassistant_config& ha,
                                const std::string& unique_id, std::string_view sw_version);

// The per-entity form: the config message of every entity, in config order (sensors, inputs,
// actuators); empty when `ha.enabled` is false. Object ids are made of [a-zA-Z0-9_-]; a generic
// sensor's quantity is sanitised, and ids that would still collide get a hash suffix of their
// source. `unique_id` is machine_unique_id(); `sw_version` goes into the device and origin blocks.
// Never throws (except std::bad_alloc).
std::vector<discovery_message> discovery_messages(const config::piogate_config& cfg,
                                                  const config::homeassistant_config& ha,
                                                  const std::string& unique_id,
                                                  std::string_view sw_version);

// After a reload: an empty payload for every topic of `previous` that `current` lacks, so Home
// Assistant deletes those entities. Publish these before `current`.
std::vector<discovery_message> removal_messages(const std::vector<discovery_message>& previous,
                                                const std::vector<discovery_message>& current);

// True for Home Assistant's birth message ("online" on ha.status_topic): announce again.
bool is_homeassistant_online(const config::homeassistant_config& ha, std::string_view topic,
                             std::string_view payload);

}  // namespace piogate::app
