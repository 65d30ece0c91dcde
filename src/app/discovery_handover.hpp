// Which discovery messages to publish, and in which order, pure: removals after a reload and the
// hand-over between the two forms (per entity, per device) so that Home Assistant keeps each
// entity - same unique_id, same entity id, its history - when the form changes.
//
// Home Assistant's procedure for a hand-over (its MQTT docs, "migration"): publish
// {"migrate_discovery": true} on each topic of the old form (Home Assistant unloads those
// entities but keeps them in its registry), then the new form with the same unique_ids (the
// entities are loaded again from it), then clear the old topics (empty retained payload; the
// old topic no longer belongs to a loaded entity, so nothing is deleted). The first step and
// the rest are two rounds, apart by a pause, so Home Assistant has unloaded an entity before its
// new config arrives. The old form's topics are not known after a restart: every topic the old
// form would use for the current config is handed over once per run (publishing
// migrate_discovery or an empty payload on a topic Home Assistant does not know is ignored by
// it), and never again in that run. Bounded: at most one migrate and one clear per entity.
//
// Thread: any (pure; the state lives with the caller). Never throws (except std::bad_alloc).
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <set>
#include <string>
#include <vector>

#include "app/discovery.hpp"

namespace piogate::app {

inline constexpr const char* migrate_discovery_payload = R"({"migrate_discovery":true})";

struct discovery_handover {
    std::set<std::string> migrating;  // migrate_discovery published, the clear not yet
    std::set<std::string> cleared;    // handed over and cleared in this run
};

struct discovery_round {
    // Publish first; when not empty, `publish` is empty: plan again after the pause.
    std::vector<discovery_message> migrate;
    // Removals (empty payloads), then `current` (a device message keeps its removed components
    // as {"p": ...}), then the clears of the handed-over topics.
    std::vector<discovery_message> publish;
};

// `sent`: what the last round published this run (empty at start); `current`: the messages of
// the configured form; `other_form`: the topics the other form would use for the current config.
// Moves topics through `state` (migrating when their migrate message is planned, cleared when
// their clear is). A topic of `current` leaves `cleared` (a later switch back hands it over again).
discovery_round plan_discovery(const std::vector<discovery_message>& sent,
                               const std::vector<discovery_message>& current,
                               const std::vector<std::string>& other_form,
                               discovery_handover& state);

}  // namespace piogate::app
