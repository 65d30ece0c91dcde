#include "app/discovery_handover.hpp"
// SPDX-License-Identifier: Apache-2.0
#include "app/discovery_device.hpp"

namespace piogate::app {

discovery_round plan_discovery(const std::vector<discovery_message>& sent,
                               const std::vector<discovery_message>& current,
                               const std::vector<std::string>& other_form,
                               discovery_handover& state) {
    discovery_round round;
    for (const auto& m : current) state.cleared.erase(m.topic);
    for (const auto& topic : other_form) {
        if (state.cleared.count(topic) || !state.migrating.insert(topic).second) continue;
        round.migrate.push_back({topic, migrate_discovery_payload});
    }
    if (!round.migrate.empty()) return round;

    for (auto& m : removal_messages(sent, current)) {
        if (!state.migrating.count(m.topic)) round.publish.push_back(std::move(m));
    }
    for (const auto& m : current) {
        std::string payload = m.payload;
        for (const auto& before : sent) {
            if (before.topic == m.topic) payload = with_removed_components(before.payload, payload);
        }
        round.publish.push_back({m.topic, std::move(payload)});
    }
    for (const auto& topic : state.migrating) {
        round.publish.push_back({topic, ""});
        state.cleared.insert(topic);
    }
    state.migrating.clear();
    return round;
}

}  // namespace piogate::app
