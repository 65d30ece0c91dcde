// Home Assistant MQTT discovery, pure: the configuration in, the retained config messages out.
// One device per gateway; one entity per sensor quantity ("sensor"), per input
// ("binary_sensor") and per actuator ("switch"), each on
// <discovery_prefix>/<component>/<object_id>/config with object_id = its unique_id
// (piogate_<uid>_<sensor>_<quantity>, piogate_<uid>_<input>, piogate_<uid>_<actuator>),
// availability on <topic_prefix>/status. The gateway publishes every message retained at QoS 1
// after each connect and again when is_homeassistant_online() says Home Assistant restarted.
//
// Thread: every function is pure except machine_unique_id (reads /etc/machine-id); any thread.
#pragma once

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

// The config message of every entity, in config order (sensors, inputs, actuators); empty when
// `ha.enabled` is false. Object ids are made of [a-zA-Z0-9_-]; a generic sensor's quantity is
// sanitised, and ids that would still collide get a hash suffix of their source.
// `unique_id` is machine_unique_id(); `sw_version` goes into the device and origin blocks.
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
