// Home Assistant discovery: topics, payload fields, stable unique ids, removals, and the
// quantity/unit table cross-checked against every driver's reading through its simulated chip.
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include <cstdio>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

#include "app/board.hpp"
#include "app/discovery.hpp"

#include "sys/machine_id.hpp"
#include "app/sensor_factory.hpp"
#include "config/config.hpp"
#include "unit/discovery_fixtures.hpp"

using namespace piogate;
using config::json;

namespace {

using test::ha_on;
using test::parse;

const char* garage = R"({
  "mqtt": {"topic_prefix": "piogate/garage"},
  "sensors": [
    {"id": "garage", "type": "bme280", "bus": 1},
    {"id": "tank", "type": "ads1115", "bus": 1, "channels": [0, 2], "interval_s": 2.5},
    {"id": "custom", "type": "generic", "bus": 1, "address": "0x4b", "register": 0,
     "quantity": "temperature", "unit": "°C"}],
  "inputs": [{"id": "door", "line": "GPIO17", "device_class": "door"}, {"id": "button", "line": "GPIO18"}],
  "actuators": [{"id": "opener", "line": "GPIO22"}]})";

// The payload of the message on `topic`, or null (and a failure) when there is none.
json payload_of(const std::vector<app::discovery_message>& ms, const std::string& topic) {
    for (const auto& m : ms) {
        if (m.topic == topic) return json::parse(m.payload);
    }
    ADD_FAILURE() << "no message on " << topic;
    return json();
}

}  // namespace

TEST(discovery, one_entity_per_quantity_input_and_actuator) {
    const auto ms = app::discovery_messages(parse(garage), ha_on(), "abc", "1.2.3");
    ASSERT_EQ(ms.size(), 3u + 2u + 1u + 2u + 1u);
    std::set<std::string> ids;
    const std::regex shape("homeassistant/(sensor|binary_sensor|switch)/([a-zA-Z0-9_-]+)/config");
    for (const auto& m : ms) {
        std::smatch match;
        ASSERT_TRUE(std::regex_match(m.topic, match, shape)) << m.topic;
        const json p = json::parse(m.payload);
        EXPECT_EQ(p["unique_id"], match[2].str()) << "object id = unique id";
        EXPECT_TRUE(ids.insert(p["unique_id"]).second) << p["unique_id"];
        EXPECT_EQ(p["availability_topic"], "piogate/garage/status");
        EXPECT_EQ(p["payload_available"], "online");
        EXPECT_EQ(p["payload_not_available"], "offline");
        EXPECT_EQ(p["device"], json::parse(R"({"identifiers": ["piogate_abc"], "name": "garage",
            "manufacturer": "piogate", "model": "piogate gateway", "sw_version": "1.2.3"})"));
        EXPECT_EQ(p["origin"]["name"], "piogate");
        EXPECT_EQ(p["origin"]["sw_version"], "1.2.3");
        EXPECT_EQ(m.payload, p.dump()) << "compact JSON";
    }
}

TEST(discovery, sensor_payloads) {
    const auto ms = app::discovery_messages(parse(garage), ha_on(), "abc", "1.2.3");
    json t = payload_of(ms, "homeassistant/sensor/piogate_abc_garage_temperature/config");
    EXPECT_EQ(t["name"], "garage temperature");
    EXPECT_EQ(t["state_topic"], "piogate/garage/sensors/garage");
    EXPECT_EQ(t["value_template"], "{{ value_json.temperature }}");
    EXPECT_EQ(t["device_class"], "temperature");
    EXPECT_EQ(t["unit_of_measurement"], "°C");
    EXPECT_EQ(t["state_class"], "measurement");
    EXPECT_EQ(t["expire_after"], 30) << "three default intervals of 10 s";
    json h = payload_of(ms, "homeassistant/sensor/piogate_abc_garage_humidity/config");
    EXPECT_EQ(h["device_class"], "humidity");
    EXPECT_EQ(h["unit_of_measurement"], "%") << "HA's spelling of %RH";
    json p = payload_of(ms, "homeassistant/sensor/piogate_abc_garage_pressure/config");
    EXPECT_EQ(p["device_class"], "pressure");
    EXPECT_EQ(p["unit_of_measurement"], "hPa");
    json v = payload_of(ms, "homeassistant/sensor/piogate_abc_tank_voltage2/config");
    EXPECT_EQ(v["value_template"], "{{ value_json.voltage2 }}");
    EXPECT_EQ(v["device_class"], "voltage");
    EXPECT_EQ(v["unit_of_measurement"], "V");
    EXPECT_EQ(v["expire_after"], 8) << "3 x 2.5 s, rounded up";
    json g = payload_of(ms, "homeassistant/sensor/piogate_abc_custom_temperature/config");
    EXPECT_EQ(g["device_class"], "temperature");
    EXPECT_EQ(g["unit_of_measurement"], "°C");
}

TEST(discovery, input_and_actuator_payloads) {
    const auto ms = app::discovery_messages(parse(garage), ha_on(), "abc", "1.2.3");
    json door = payload_of(ms, "homeassistant/binary_sensor/piogate_abc_door/config");
    EXPECT_EQ(door["name"], "door");
    EXPECT_EQ(door["state_topic"], "piogate/garage/inputs/door");
    EXPECT_EQ(door["payload_on"], "ON");
    EXPECT_EQ(door["payload_off"], "OFF");
    EXPECT_EQ(door["device_class"], "door");
    EXPECT_FALSE(payload_of(ms, "homeassistant/binary_sensor/piogate_abc_button/config")
                     .contains("device_class"));
    json sw = payload_of(ms, "homeassistant/switch/piogate_abc_opener/config");
    EXPECT_EQ(sw["command_topic"], "piogate/garage/actuators/opener/set");
    EXPECT_EQ(sw["state_topic"], "piogate/garage/actuators/opener/state");
    EXPECT_EQ(sw["payload_on"], "ON");
    EXPECT_EQ(sw["payload_off"], "OFF");
    EXPECT_EQ(sw["state_on"], "ON");
    EXPECT_EQ(sw["state_off"], "OFF");
}

TEST(discovery, disabled_custom_prefix_and_stable_output) {
    const auto cfg = parse(garage);
    auto off = ha_on();
    off.enabled = false;
    EXPECT_TRUE(app::discovery_messages(cfg, off, "abc", "1").empty());
    auto ha = ha_on();
    ha.discovery_prefix = "ha/disc";
    for (const auto& m : app::discovery_messages(cfg, ha, "abc", "1"))
        EXPECT_EQ(m.topic.rfind("ha/disc/", 0), 0u);
    EXPECT_EQ(app::discovery_messages(cfg, ha_on(), "abc", "1"),
              app::discovery_messages(cfg, ha_on(), "abc", "1"));
}

TEST(discovery, expire_after_follows_deadband_and_heartbeat) {
    const auto cfg = parse(R"({"sensors": [
        {"id": "a", "type": "sht3x", "bus": 1, "deadband": 0.5},
        {"id": "b", "type": "aht20", "bus": 1, "deadband": 0.5, "heartbeat_s": 60}]})");
    const auto ms = app::discovery_messages(cfg, ha_on(), "u", "1");
    EXPECT_FALSE(payload_of(ms, "homeassistant/sensor/piogate_u_a_temperature/config")
                     .contains("expire_after"));
    EXPECT_EQ(payload_of(ms, "homeassistant/sensor/piogate_u_b_humidity/config")["expire_after"],
              180);
}

TEST(discovery, generic_quantities_are_templated_safely) {
    // The config allows a-z, 0-9 and '_' only; "items" would hit a dict method in Jinja.
    const auto cfg = parse(R"j({"sensors": [
        {"id": "y", "type": "generic", "bus": 1, "address": "0x11", "register": 0, "quantity": "items", "unit": "K"},
        {"id": "w", "type": "generic", "bus": 1, "address": "0x12", "register": 0, "quantity": "flow_l_min"}]})j");
    const auto ms = app::discovery_messages(cfg, ha_on(), "u", "1");
    json y = payload_of(ms, "homeassistant/sensor/piogate_u_y_items/config");
    EXPECT_EQ(y["value_template"], "{{ value_json['items'] }}") << "dict methods win over .items";
    EXPECT_EQ(y["unit_of_measurement"], "K");
    EXPECT_FALSE(y.contains("device_class")) << "K with an unknown quantity";
    json w = payload_of(ms, "homeassistant/sensor/piogate_u_w_flow_l_min/config");
    EXPECT_EQ(w["value_template"], "{{ value_json.flow_l_min }}");
    EXPECT_FALSE(w.contains("unit_of_measurement"));
}

TEST(discovery, colliding_object_ids_are_disambiguated_independently_of_order) {
    const std::string a = R"({"id": "a_b", "type": "lm75", "bus": 1, "address": "0x48"})";
    const std::string b =
        R"({"id": "a", "type": "generic", "bus": 1, "address": "0x10", "register": 0,
                             "quantity": "b_temperature", "unit": "°C"})";
    auto ids = [](const std::string& sensors) {
        std::set<std::string> out;
        for (const auto& m :
             app::discovery_messages(parse(R"({"sensors": )" + sensors + "}"), ha_on(), "u", "1")) {
            out.insert(m.topic);
        }
        return out;
    };
    const auto forward = ids("[" + a + "," + b + "]");
    EXPECT_EQ(forward.size(), 2u);
    EXPECT_EQ(forward.count("homeassistant/sensor/piogate_u_a_b_temperature/config"), 0u);
    for (const auto& t : forward) {
        EXPECT_TRUE(std::regex_match(
            t, std::regex("homeassistant/sensor/piogate_u_a_b_temperature_[0-9a-f]{8}/config")))
            << t;
    }
    EXPECT_EQ(ids("[" + b + "," + a + "]"), forward);
}

TEST(discovery, removal_messages_clear_what_is_gone) {
    const std::vector<app::discovery_message> previous{
        {"ha/sensor/a/config", "{}"}, {"ha/sensor/b/config", "{}"}, {"ha/switch/c/config", "{}"}};
    const std::vector<app::discovery_message> current{{"ha/sensor/a/config", "{\"x\":1}"},
                                                      {"ha/switch/c/config", "{}"},
                                                      {"ha/switch/d/config", "{}"}};
    EXPECT_EQ(app::removal_messages(previous, current),
              (std::vector<app::discovery_message>{{"ha/sensor/b/config", ""}}));
    EXPECT_TRUE(app::removal_messages(previous, previous).empty());
    EXPECT_EQ(app::removal_messages(previous, {}).size(), 3u);
    for (const auto& m : app::removal_messages(previous, {})) EXPECT_EQ(m.payload, "");
}

TEST(discovery, birth_message_triggers_announce) {
    const auto ha = ha_on();
    EXPECT_TRUE(app::is_homeassistant_online(ha, "homeassistant/status", "online"));
    EXPECT_FALSE(app::is_homeassistant_online(ha, "homeassistant/status", "offline"));
    EXPECT_FALSE(app::is_homeassistant_online(ha, "hass/status", "online"));
    auto off = ha;
    off.enabled = false;
    EXPECT_FALSE(app::is_homeassistant_online(off, "homeassistant/status", "online"));
}

TEST(machine_unique_id, derived_from_the_machine_id_by_systemd) {
    const std::string id = app::machine_unique_id();
    EXPECT_TRUE(std::regex_match(id, std::regex("[0-9a-f]{16}"))) << id;
    EXPECT_EQ(app::machine_unique_id(), id) << "stable across calls";
    std::string machine_id;
    if (std::ifstream in("/etc/machine-id"); in) std::getline(in, machine_id);
    if (machine_id.size() != 32) GTEST_SKIP() << "no /etc/machine-id here";
    EXPECT_EQ(machine_id.find(id), std::string::npos) << "not a piece of the machine id";
    // The same value systemd's own tool derives for our application id.
    const std::string command = std::string("systemd-id128 --app-specific=") + sys::piogate_app_id +
                                " machine-id 2>/dev/null";
    std::string tool;
    if (FILE* p = ::popen(command.c_str(), "r")) {
        char line[128] = {};
        if (std::fgets(line, sizeof line, p)) tool = line;
        ::pclose(p);
    }
    if (tool.empty()) GTEST_SKIP() << "systemd-id128 not available";
    EXPECT_EQ(tool.substr(0, 16), id);
}

TEST(machine_unique_id, host_name_fallback_is_stable_and_distinct) {
    EXPECT_EQ(app::host_unique_id("garage-pi"), app::host_unique_id("garage-pi"));
    EXPECT_NE(app::host_unique_id("garage-pi"), app::host_unique_id("garage-pj"));
    EXPECT_TRUE(std::regex_match(app::host_unique_id(""), std::regex("[0-9a-f]{16}")));
    EXPECT_EQ(app::host_unique_id("x"), "64ef28f4d6cd1282") << "FNV-1a of \"piogate:x\", fixed";
}

// The quantities and units announced must be exactly what each driver puts in its reading.
TEST(discovery, quantity_table_matches_every_driver) {
    const auto cfg = parse(R"({
      "mqtt": {"topic_prefix": "p"},
      "board": {"kind": "sim", "i2c": [{"bus": 1, "devices": [
          {"model": "bme280", "address": "0x76"}, {"model": "bmp280", "address": "0x77"},
          {"model": "sht3x", "address": "0x44"}, {"model": "aht20", "address": "0x38"},
          {"model": "htu21d", "address": "0x40"}, {"model": "bh1750", "address": "0x23"},
          {"model": "ads1115", "address": "0x48"}, {"model": "ads1015", "address": "0x49"},
          {"model": "lm75", "address": "0x4a"}, {"model": "tmp102", "address": "0x4b"},
          {"model": "mcp9808", "address": "0x18"}, {"model": "ina219", "address": "0x41"},
          {"model": "lm75", "address": "0x4c"}]}],
        "sysfs": {"w1": [{"rom": "28-0316a2794aff"}, {"rom": "3b-0000001f2e3d"}],
                  "iio": [{"name": "dht11", "channels": {"temp": 20, "humidityrelative": 40}},
                          {"name": "ads1015", "channels": {"voltage0": 1.5, "pressure": 1000}}],
                  "hwmon": [{"name": "fan", "channels": {"fan1": 1200}}],
                  "thermal": [{"type": "cpu-thermal"}, {"type": "gpu-thermal"}]}},
      "sensors": [
        {"id": "bme280", "type": "bme280", "bus": 1}, {"id": "bmp280", "type": "bmp280", "bus": 1, "address": "0x77"},
        {"id": "sht3x", "type": "sht3x", "bus": 1}, {"id": "aht20", "type": "aht20", "bus": 1},
        {"id": "htu21d", "type": "htu21d", "bus": 1}, {"id": "bh1750", "type": "bh1750", "bus": 1},
        {"id": "ads1115", "type": "ads1115", "bus": 1, "channels": [1, 3]},
        {"id": "ads1015", "type": "ads1015", "bus": 1, "address": "0x49"},
        {"id": "lm75", "type": "lm75", "bus": 1, "address": "0x4a"},
        {"id": "tmp102", "type": "tmp102", "bus": 1, "address": "0x4b"},
        {"id": "mcp9808", "type": "mcp9808", "bus": 1}, {"id": "ina219", "type": "ina219", "bus": 1, "address": "0x41"},
        {"id": "generic", "type": "generic", "bus": 1, "address": "0x4c", "register": 0,
         "quantity": "pressure", "unit": "kPa"},
        {"id": "ds18b20", "type": "ds18b20", "rom": "28-0316a2794aff", "resolution": 11},
        {"id": "w1", "type": "w1", "rom": "3b-0000001f2e3d"},
        {"id": "dht22", "type": "dht22"}, {"id": "dht11", "type": "dht11", "device": "iio:device0"},
        {"id": "iio", "type": "iio", "device": "ads1015", "channels": ["voltage0", "pressure"]},
        {"id": "hwmon", "type": "hwmon", "name": "fan", "channel": "fan1"},
        {"id": "soc", "type": "soc_temperature"}, {"id": "gpu", "type": "thermal", "zone": "gpu-thermal"}]})");
    std::set<std::string> types;
    for (const auto* kind : config::installed_sensor_kinds()) types.insert(kind->name());
    const auto ms = app::discovery_messages(cfg, ha_on(), "u", "1");
    boost::asio::io_context io;
    app::board board(io, cfg.board);
    for (const auto& s : cfg.sensors) {
        types.erase(s.type);
        auto sensor = app::make_sensor(board, s).sensor;
        ASSERT_TRUE(sensor->open()) << s.id;
        const auto r = sensor->measure();
        ASSERT_TRUE(r) << s.id << ": " << r.err().message;
        std::set<std::pair<std::string, std::string>> from_driver, announced;
        std::vector<std::string> names;
        for (const auto& m : *r) {
            names.push_back(m.name);
            from_driver.insert({"{{ value_json." + m.name + " }}", m.unit == "%RH" ? "%" : m.unit});
        }
        std::vector<std::string> listed;
        for (const auto& q : config::sensor_quantities(s)) listed.push_back(q.name);
        EXPECT_EQ(listed, names) << s.id;
        for (const auto& m : ms) {
            const json p = json::parse(m.payload);
            if (p.value("state_topic", "") == "p/sensors/" + s.id) {
                announced.insert({p["value_template"], p.value("unit_of_measurement", "")});
            }
        }
        EXPECT_EQ(announced, from_driver) << s.id;
    }
    EXPECT_TRUE(types.empty()) << "a sensor type is not cross-checked: " << *types.begin();
}
