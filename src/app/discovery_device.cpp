#include "app/discovery_device.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <nlohmann/json.hpp>

namespace piogate::app {
namespace {

using json = nlohmann::json;

const char* const support_url = "https://github.com/piogate/piogate";

}  // namespace

std::string device_discovery_topic(const config::homeassistant_config& ha,
                                   const std::string& unique_id) {
    return ha.discovery_prefix + "/device/piogate_" + unique_id + "/config";
}

std::vector<discovery_message> device_discovery_messages(const config::piogate_config& cfg,
                                                         const config::homeassistant_config& ha,
                                                         const std::string& unique_id,
                                                         std::string_view sw_version) {
    if (!ha.enabled) return {};
    json components = json::object();
    for (auto& e : discovery_entities(cfg, ha, unique_id)) {
        json c = {{"p", e.component}};
        c.update(e.payload);
        c["qos"] = 1;
        components[e.component_id] = std::move(c);
    }
    json origin = discovery_origin(sw_version);
    origin["support_url"] = support_url;
    json payload = {
        {"dev", discovery_device(ha, unique_id, sw_version)},
        {"o", std::move(origin)},
        {"availability_topic", cfg.mqtt.topic_prefix + "/status"},
        {"payload_available", "online"},
        {"payload_not_available", "offline"},
        {"cmps", std::move(components)},
    };
    return {{device_discovery_topic(ha, unique_id), discovery_text(payload)}};
}

std::string with_removed_components(const std::string& previous, const std::string& current) {
    const json before = json::parse(previous, nullptr, false);
    json now = json::parse(current, nullptr, false);
    if (!before.is_object() || !now.is_object() || !before.contains("cmps") ||
        !now.contains("cmps") || !before["cmps"].is_object() || !now["cmps"].is_object()) {
        return current;
    }
    bool changed = false;
    for (const auto& [id, c] : before["cmps"].items()) {
        if (now["cmps"].contains(id) || !c.is_object() || !c.contains("p")) continue;
        now["cmps"][id] = json{{"p", c["p"]}};
        changed = true;
    }
    return changed ? discovery_text(now) : current;
}

}  // namespace piogate::app
