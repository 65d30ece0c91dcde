#include "config/homeassistant_config.hpp"
// SPDX-License-Identifier: Apache-2.0
#include "config/mqtt_config.hpp"
#include "config/mqtt_names.hpp"

namespace piogate::config {
namespace {

// The topic is quoted in the message only when it is short and printable.
void check_topic(const object_reader& r, std::string_view key, const std::string& topic) {
    const std::string problem = topic_problem(topic);
    if (problem.empty()) return;
    const bool quotable = topic.size() <= 200 && text_problem(topic).empty();
    r.fail(key, quotable ? "\"" + topic + "\" " + problem : problem);
}

}  // namespace

homeassistant_config read_homeassistant_config(object_reader& parent) {
    homeassistant_config h;
    h.device_name = host_name();
    const json* j = parent.get_child("homeassistant");
    if (!j) {
        h.status_topic = h.discovery_prefix + "/status";
        return h;
    }
    object_reader r(*j, child_path(parent.path(), "homeassistant"));
    h.enabled = r.get_bool("enabled", true);
    h.discovery_prefix = r.get_string("discovery_prefix", h.discovery_prefix);
    check_topic(r, "discovery_prefix", h.discovery_prefix);
    h.device_name = r.get_string("device_name", h.device_name);
    if (h.device_name.empty()) r.fail("device_name", "must not be empty");
    h.status_topic = r.get_string("status_topic", h.discovery_prefix + "/status");
    check_topic(r, "status_topic", h.status_topic);
    const std::vector<std::string> modes{"device", "entity"};
    h.discovery =
        r.get_choice("discovery", modes, 0) == 0 ? discovery_mode::device : discovery_mode::entity;
    r.finish();
    return h;
}

const std::vector<std::string>& binary_sensor_device_classes() {
    static const std::vector<std::string> classes = {
        "battery",
        "battery_charging",
        "carbon_monoxide",
        "cold",
        "connectivity",
        "door",
        "garage_door",
        "gas",
        "heat",
        "light",
        "lock",
        "moisture",
        "motion",
        "moving",
        "occupancy",
        "opening",
        "plug",
        "power",
        "presence",
        "problem",
        "running",
        "safety",
        "smoke",
        "sound",
        "tamper",
        "update",
        "vibration",
        "window",
    };
    return classes;
}

}  // namespace piogate::config
