#include "config/config.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <iterator>

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
    for (const auto* kind : installed_channel_kinds()) c.channels.push_back(kind->read(r));
    const auto facts = c.channel_facts();
    check_line_claims(facts);
    check_role_ids(facts);
    c.interlocks = read_interlock_configs(r, facts);
    c.rules = read_rule_configs(r, facts, c.sensors);
    c.buffer = read_buffer_config(r);
    c.homeassistant = read_homeassistant_config(r);
    r.finish();
    return c;
}

std::vector<entry_facts> piogate_config::channel_facts() const {
    std::vector<entry_facts> out;
    for (const auto& s : channels) {
        if (!s.kind()) continue;
        auto f = s.kind()->facts(s);
        out.insert(out.end(), std::make_move_iterator(f.begin()), std::make_move_iterator(f.end()));
    }
    return out;
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
