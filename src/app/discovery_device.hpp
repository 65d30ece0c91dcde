// Home Assistant's device-based discovery (Home Assistant 2024.11 and later), pure: every entity
// of the gateway in one retained message on <discovery_prefix>/device/piogate_<uid>/config:
//   {"dev": {...}, "o": {"name", "sw_version", "support_url"},
//    "availability_topic", "payload_available", "payload_not_available",
//    "cmps": {"<component id>": {"p": "<platform>", "unique_id", "qos", ...}, ...}}
// Availability is shared at the top level (Home Assistant copies it into every component that
// does not set its own); qos is not among the options Home Assistant shares, so each component
// carries it. Removing one component = the device message with that component reduced to
// {"p": "<platform>"}; removing the device = an empty payload (removal_messages).
//
// Thread: any (pure). Never throws (except std::bad_alloc).
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <string>
#include <string_view>
#include <vector>

#include "app/discovery.hpp"

namespace piogate::app {

// <discovery_prefix>/device/piogate_<uid>/config
std::string device_discovery_topic(const config::homeassistant_config& ha,
                                   const std::string& unique_id);

// The device message, or nothing when `ha.enabled` is false. Component ids, unique ids and
// default entity ids are those of discovery_entities(), so both forms name the same entities.
std::vector<discovery_message> device_discovery_messages(const config::piogate_config& cfg,
                                                         const config::homeassistant_config& ha,
                                                         const std::string& unique_id,
                                                         std::string_view sw_version);

// `current` (a device payload) with every component of `previous` it lacks added as
// {"p": "<platform>"}, so Home Assistant removes those entities. Components already reduced in
// `previous` stay reduced (a Home Assistant that was offline learns of the removal later).
// Returns `current` unchanged when either is not a device payload.
std::string with_removed_components(const std::string& previous, const std::string& current);

}  // namespace piogate::app
