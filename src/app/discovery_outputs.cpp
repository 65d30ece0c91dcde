#include "app/discovery_outputs.hpp"
// SPDX-License-Identifier: Apache-2.0
namespace piogate::app {

output_entity pwm_entity(const std::string& prefix, const config::pwm_config& p) {
    const std::string base = prefix + "/pwm/" + p.id;
    nlohmann::json j;
    j["name"] = p.id;
    j["command_topic"] = base + "/set";
    j["state_topic"] = base + "/state";
    if (p.homeassistant == "number") {
        j["value_template"] = "{{ value_json.duty }}";
        j["min"] = 0;
        j["max"] = 100;
        j["step"] = 0.1;
        j["mode"] = "slider";
        j["unit_of_measurement"] = "%";
        return {"number", "", std::move(j)};
    }
    // The default light schema: ON/OFF and a number both go to the set topic, which takes both.
    j["state_value_template"] = "{{ value_json.state }}";
    j["payload_on"] = "ON";
    j["payload_off"] = "OFF";
    j["brightness_command_topic"] = base + "/set";
    j["brightness_state_topic"] = base + "/state";
    j["brightness_value_template"] = "{{ value_json.duty | round(0) | int }}";
    j["brightness_scale"] = 100;
    j["on_command_type"] = "brightness";
    return {"light", "", std::move(j)};
}

std::vector<output_entity> counter_entities(const std::string& prefix,
                                            const config::counter_config& c) {
    const std::string topic = prefix + "/counters/" + c.id;
    nlohmann::json total;
    total["name"] = c.id + " total";
    total["state_topic"] = topic;
    total["value_template"] = "{{ value_json.total }}";
    total["state_class"] = "total_increasing";
    if (!c.unit.empty()) total["unit_of_measurement"] = c.unit;
    if (!c.device_class.empty()) total["device_class"] = c.device_class;
    nlohmann::json rate;
    rate["name"] = c.id + " rate";
    rate["state_topic"] = topic;
    rate["value_template"] = "{{ value_json.rate }}";
    rate["state_class"] = "measurement";
    rate["unit_of_measurement"] =
        (c.unit.empty() ? std::string("pulses") : c.unit) + "/" + c.rate_per;
    return {{"sensor", "_total", std::move(total)}, {"sensor", "_rate", std::move(rate)}};
}

}  // namespace piogate::app
