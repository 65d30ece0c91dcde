#include "app/discovery.hpp"
// SPDX-License-Identifier: Apache-2.0
#include "app/filters/sensor_decimals.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <stdexcept>

#include "app/channel_kinds/registry.hpp"
#include "sys/machine_id.hpp"

namespace piogate::app {
namespace {

using json = nlohmann::json;

// FNV-1a, 64 bit, as 16 lower-case hex digits: stable across builds and machines (std::hash
// is neither). Not a secret-keeping hash: only for names that are not secret.
std::string fnv1a_hex(std::string_view data) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (const char c : data) {
        h ^= static_cast<unsigned char>(c);
        h *= 0x100000001b3ULL;
    }
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(h));
    return text;
}

// A member of the reading as a template: value_json.name where Jinja can take it, else
// value_json['name'] (dict methods such as "items" would win over the member).
std::string value_template(const std::string& name) {
    static const std::set<std::string> dict_methods = {
        "clear", "copy",    "fromkeys",   "get",    "items", "keys",
        "pop",   "popitem", "setdefault", "update", "values"};
    const bool plain =
        !name.empty() && !std::isdigit(static_cast<unsigned char>(name[0])) &&
        std::all_of(
            name.begin(), name.end(),
            [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }) &&
        !dict_methods.count(name);
    if (plain) return "{{ value_json." + name + " }}";
    std::string quoted;
    for (char c : name) {
        if (c == '\\' || c == '\'') quoted += '\\';
        quoted += c;
    }
    return "{{ value_json['" + quoted + "'] }}";
}

// HA's object ids are [a-zA-Z0-9_-].
std::string sanitise(const std::string& s) {
    std::string out = s;
    for (char& c : out) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') c = '_';
    }
    return out;
}

// Seconds after which HA shows a sensor unavailable: three publishing periods (with a deadband
// the heartbeat is the period; without a heartbeat there is none).
std::optional<std::int64_t> expire_after(const config::sensor_config& s) {
    auto every = s.interval;
    if (!s.deadband.empty()) {
        if (s.heartbeat.count() <= 0) return std::nullopt;
        every = s.heartbeat;
    }
    return (3 * every.count() + 999) / 1000;
}

// Home Assistant's entity ids: <platform>.<object>, each part [a-z0-9_], no "__", no '_' at
// either end. "piogate_" keeps ours apart from other integrations' (Home Assistant adds "_2"
// where a suggested id is taken).
std::string default_entity_id(const std::string& component, const std::string& id) {
    std::string object = "piogate";
    std::string word;
    for (const char c : id + "_") {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x80 && std::isalnum(u)) {
            word += static_cast<char>(std::tolower(u));
        } else if (!word.empty()) {
            object += "_" + word;
            word.clear();
        }
    }
    return component + "." + object;
}

struct entity {
    std::string component;  // "sensor", "binary_sensor", "switch"
    std::string object_id;  // readable; made unique in discovery_messages
    std::string source;     // unambiguous origin, hashed when object ids collide
    json payload;
};

}  // namespace

std::string host_unique_id(std::string_view host) {
    return fnv1a_hex("piogate:" + std::string(host));
}

std::string machine_unique_id() {
    if (auto id = sys::app_specific_machine_id()) return id->substr(0, 16);
    return host_unique_id(config::host_name());
}

std::vector<discovery_entity> discovery_entities(const config::piogate_config& cfg,
                                                 const config::homeassistant_config& ha,
                                                 const std::string& unique_id) {
    if (!ha.enabled) return {};
    const std::string prefix = cfg.mqtt.topic_prefix;
    const std::string base = "piogate_" + unique_id;
    std::vector<entity> entities;
    for (const auto& s : cfg.sensors) {
        // The decimals its readings are published with (sensor_channel uses the same map).
        const auto decimals = filters::sensor_decimals(s);
        // Units and device classes come from the sensor's kind (app/sensor_kinds/).
        for (const auto& spec : config::sensor_quantities(s)) {
            const std::string& q = spec.name;
            entity e{"sensor", base + "_" + s.id + "_" + sanitise(q), "sensor/" + s.id + "/" + q,
                     json::object()};
            const std::string& unit = spec.ha_unit.empty() ? spec.unit : spec.ha_unit;
            e.payload["name"] = s.id + " " + q;
            e.payload["state_topic"] = prefix + "/sensors/" + s.id;
            e.payload["value_template"] = value_template(q);
            if (!unit.empty()) e.payload["unit_of_measurement"] = unit;
            if (!spec.device_class.empty()) e.payload["device_class"] = spec.device_class;
            e.payload["state_class"] = "measurement";
            if (auto d = decimals.find(q); d != decimals.end()) {
                e.payload["suggested_display_precision"] = d->second;
            }
            if (auto after = expire_after(s)) e.payload["expire_after"] = *after;
            // The gateway's own temperature: a diagnostic of the gateway device.
            if (s.type == "soc_temperature") e.payload["entity_category"] = "diagnostic";
            entities.push_back(std::move(e));
        }
    }
    // The other kinds' entities, each kind mapping its own entries (app/channel_kinds/).
    for (const auto* kind : channel_group_kinds()) {
        std::vector<kind_entity> own;
        kind->entities(cfg, own);
        for (auto& e : own) {
            entities.push_back(
                {e.component, base + "_" + e.id, std::move(e.source), std::move(e.payload)});
        }
    }

    // Ids can collide only through '_' inside ids and sanitised quantities; every colliding
    // entity (not just the second) gets a suffix, so an id never depends on config order.
    std::map<std::string, int> uses;
    for (const auto& e : entities) ++uses[e.object_id];
    std::vector<discovery_entity> out;
    for (auto& e : entities) {
        if (uses[e.object_id] > 1) e.object_id += "_" + fnv1a_hex(e.source).substr(0, 8);
        e.payload["unique_id"] = e.object_id;
        std::string id = e.object_id.substr(base.size() + 1);
        e.payload["default_entity_id"] = default_entity_id(e.component, id);
        out.push_back({e.component, std::move(id), std::move(e.payload)});
    }
    return out;
}

json discovery_device(const config::homeassistant_config& ha, const std::string& unique_id,
                      std::string_view sw_version) {
    return {{"identifiers", json::array({"piogate_" + unique_id})},
            {"name", ha.device_name},
            {"manufacturer", "piogate"},
            {"model", "piogate gateway"},
            {"sw_version", std::string(sw_version)}};
}

json discovery_origin(std::string_view sw_version) {
    return {{"name", "piogate"}, {"sw_version", std::string(sw_version)}};
}

std::string discovery_text(const json& payload) {
    return payload.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::vector<discovery_message> discovery_messages(const config::piogate_config& cfg,
                                                  const config::homeassistant_config& ha,
                                                  const std::string& unique_id,
                                                  std::string_view sw_version) {
    const std::string prefix = cfg.mqtt.topic_prefix;
    const json device = discovery_device(ha, unique_id, sw_version);
    const json origin = discovery_origin(sw_version);
    std::vector<discovery_message> out;
    for (auto& e : discovery_entities(cfg, ha, unique_id)) {
        e.payload["availability_topic"] = prefix + "/status";
        e.payload["payload_available"] = "online";
        e.payload["payload_not_available"] = "offline";
        e.payload["qos"] = 1;
        e.payload["device"] = device;
        e.payload["origin"] = origin;
        const std::string object_id = e.payload["unique_id"];
        out.push_back({ha.discovery_prefix + "/" + e.component + "/" + object_id + "/config",
                       discovery_text(e.payload)});
    }
    return out;
}

std::vector<discovery_message> removal_messages(const std::vector<discovery_message>& previous,
                                                const std::vector<discovery_message>& current) {
    std::set<std::string> kept;
    for (const auto& m : current) kept.insert(m.topic);
    std::vector<discovery_message> out;
    for (const auto& m : previous) {
        if (!m.payload.empty() && kept.insert(m.topic).second) out.push_back({m.topic, ""});
    }
    return out;
}

bool is_homeassistant_online(const config::homeassistant_config& ha, std::string_view topic,
                             std::string_view payload) {
    return ha.enabled && topic == ha.status_topic && payload == "online";
}

}  // namespace piogate::app
