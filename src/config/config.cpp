#include "config/config.hpp"
// SPDX-License-Identifier: Apache-2.0
namespace piogate::config {

piogate_config parse_config(const json& j) {
    object_reader r(j, "");
    piogate_config c;
    c.mqtt = read_mqtt_config(r);
    c.board = read_board_config(r);
    c.sensors = read_sensor_configs(r);
    for (const auto& s : c.sensors) {
        if (s.expiry_s && c.mqtt.protocol != "5") {
            throw config_error(s.path + "/expiry_s",
                               "needs \"mqtt\": {\"protocol\": \"5\"} (MQTT " + c.mqtt.protocol +
                                   " has no message expiry)");
        }
    }
    c.inputs = read_input_configs(r);
    c.actuators = read_actuator_configs(r);
    check_line_claims(c.inputs, c.actuators);
    c.interlocks = read_interlock_configs(r, c.actuators);
    c.pwm = read_pwm_configs(r);
    c.counters = read_counter_configs(r);
    check_counter_lines(c.counters, c.inputs, c.actuators);
    c.rules = read_rule_configs(r, c.inputs, c.sensors, c.actuators);
    c.buffer = read_buffer_config(r);
    c.homeassistant = read_homeassistant_config(r);
    r.finish();
    return c;
}

piogate_config load_config(const std::string& path) {
    const json j = load_json_file(path);
    try {
        piogate_config c = parse_config(j);
        c.file = path;
        return c;
    } catch (const config_error& e) {
        throw config_error::in_file(path, e);
    }
}

}  // namespace piogate::config
