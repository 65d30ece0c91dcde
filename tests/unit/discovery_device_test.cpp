// Home Assistant device-based discovery and the hand-over between the two forms: the device
// message's shape, the same unique ids in both forms, default entity ids, component removal as
// {"p": ...}, and the order migrate_discovery -> new form -> clear, once per run.
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include <regex>
#include <set>

#include "app/discovery.hpp"
#include "app/discovery_device.hpp"
#include "app/discovery_handover.hpp"
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
    {"id": "soc", "type": "soc_temperature"}],
  "inputs": [{"id": "door", "line": "GPIO17", "device_class": "door"}],
  "actuators": [{"id": "opener", "line": "GPIO22"}],
  "pwm": [{"id": "fan", "channel": 0}],
  "counters": [{"id": "meter", "line": "GPIO5", "unit": "kWh", "device_class": "energy"}]})";

json device_payload(const config::piogate_config& cfg, const std::string& uid = "abc") {
    const auto ms = app::device_discovery_messages(cfg, ha_on(), uid, "1.2.3");
    EXPECT_EQ(ms.size(), 1u);
    return ms.empty() ? json() : json::parse(ms[0].payload);
}

std::vector<std::string> topics(const std::vector<app::discovery_message>& ms) {
    std::vector<std::string> out;
    for (const auto& m : ms) out.push_back(m.topic);
    return out;
}

}  // namespace

TEST(discovery_device, one_retained_message_with_device_origin_and_components) {
    const auto cfg = parse(garage);
    const auto ms = app::device_discovery_messages(cfg, ha_on(), "abc", "1.2.3");
    ASSERT_EQ(ms.size(), 1u);
    EXPECT_EQ(ms[0].topic, "homeassistant/device/piogate_abc/config");
    const json p = json::parse(ms[0].payload);
    EXPECT_EQ(ms[0].payload, p.dump()) << "compact JSON";
    EXPECT_EQ(p["dev"], json::parse(R"({"identifiers": ["piogate_abc"], "name": "garage",
        "manufacturer": "piogate", "model": "piogate gateway", "sw_version": "1.2.3"})"));
    EXPECT_EQ(p["o"]["name"], "piogate");
    EXPECT_EQ(p["o"]["sw_version"], "1.2.3");
    EXPECT_EQ(p["o"]["support_url"], "https://github.com/piogate/piogate");
    // Availability is shared at the top level; qos is not a shared option in Home Assistant.
    EXPECT_EQ(p["availability_topic"], "piogate/garage/status");
    EXPECT_EQ(p["payload_available"], "online");
    EXPECT_EQ(p["payload_not_available"], "offline");
    ASSERT_TRUE(p["cmps"].is_object());
    // bme280: 3 quantities, soc: 1, door, opener, fan, meter total + rate
    EXPECT_EQ(p["cmps"].size(), 3u + 1u + 1u + 1u + 1u + 2u);
    for (const auto& [id, c] : p["cmps"].items()) {
        EXPECT_TRUE(std::regex_match(id, std::regex("[a-zA-Z0-9_-]+"))) << id;
        EXPECT_EQ(c["unique_id"], "piogate_abc_" + id);
        EXPECT_EQ(c["qos"], 1) << id;
        EXPECT_FALSE(c.contains("device")) << id;
        EXPECT_FALSE(c.contains("origin")) << id;
        EXPECT_FALSE(c.contains("availability_topic")) << id;
        const std::string eid = c["default_entity_id"];
        EXPECT_EQ(eid.substr(0, eid.find('.')), c["p"].get<std::string>()) << id;
        EXPECT_TRUE(std::regex_search(eid, std::regex("^[a-z_]+\\.[a-z0-9_]+$"))) << eid;
        EXPECT_EQ(eid.find("__"), std::string::npos) << eid;
    }
    const json& t = p["cmps"]["garage_temperature"];
    EXPECT_EQ(t["p"], "sensor");
    EXPECT_EQ(t["default_entity_id"], "sensor.piogate_garage_temperature");
    EXPECT_EQ(t["state_topic"], "piogate/garage/sensors/garage");
    EXPECT_EQ(t["device_class"], "temperature");
    EXPECT_EQ(p["cmps"]["door"]["p"], "binary_sensor");
    EXPECT_EQ(p["cmps"]["door"]["default_entity_id"], "binary_sensor.piogate_door");
    EXPECT_EQ(p["cmps"]["opener"]["p"], "switch");
    EXPECT_EQ(p["cmps"]["pwm_fan"]["p"], "light");
    EXPECT_EQ(p["cmps"]["pwm_fan"]["default_entity_id"], "light.piogate_pwm_fan");
    const json& total = p["cmps"]["counter_meter_total"];
    EXPECT_EQ(total["p"], "sensor");
    EXPECT_EQ(total["device_class"], "energy");
    EXPECT_EQ(total["state_class"], "total_increasing");
    EXPECT_EQ(total["unit_of_measurement"], "kWh");
    // The SoC temperature is the gateway's own: a diagnostic entity of the gateway device.
    EXPECT_EQ(p["cmps"]["soc_temperature"]["entity_category"], "diagnostic");
    EXPECT_EQ(p["cmps"]["soc_temperature"]["device_class"], "temperature");
    EXPECT_FALSE(t.contains("entity_category"));
}

TEST(discovery_device, both_forms_name_the_same_entities) {
    const auto cfg = parse(garage);
    const json p = device_payload(cfg);
    std::set<std::pair<std::string, std::string>> by_device, by_entity;
    for (const auto& [id, c] : p["cmps"].items()) {
        by_device.insert(
            {c["unique_id"].get<std::string>(), c["default_entity_id"].get<std::string>()});
    }
    for (const auto& m : app::discovery_messages(cfg, ha_on(), "abc", "1.2.3")) {
        const json e = json::parse(m.payload);
        by_entity.insert(
            {e["unique_id"].get<std::string>(), e["default_entity_id"].get<std::string>()});
        EXPECT_EQ(m.topic, "homeassistant/" +
                               std::string(e["default_entity_id"])
                                   .substr(0, std::string(e["default_entity_id"]).find('.')) +
                               "/" + std::string(e["unique_id"]) + "/config");
    }
    EXPECT_EQ(by_device, by_entity);
    EXPECT_EQ(by_device.size(), 9u);
    // Option for option the same entity (suggested_display_precision included), less what the
    // device message shares or carries once.
    for (const auto& m : app::discovery_messages(cfg, ha_on(), "abc", "1.2.3")) {
        json e = json::parse(m.payload);
        const std::string id =
            std::string(e["unique_id"]).substr(std::string("piogate_abc_").size());
        for (const char* shared : {"device", "origin", "availability_topic", "payload_available",
                                   "payload_not_available"}) {
            e.erase(shared);
        }
        json c = p["cmps"][id];
        c.erase("p");
        EXPECT_EQ(c, e) << id;
    }
    EXPECT_TRUE(p["cmps"]["garage_temperature"].contains("suggested_display_precision"));
}

TEST(discovery_device, default_entity_ids_are_valid_for_odd_ids) {
    // Collision suffixes, '-' and repeated '_' still give [a-z0-9_] words joined by one '_'.
    const auto cfg = parse(R"({"sensors": [
        {"id": "a_b", "type": "lm75", "bus": 1, "address": "0x48"},
        {"id": "a", "type": "generic", "bus": 1, "address": "0x10", "register": 0,
         "quantity": "b_temperature", "unit": "°C"},
        {"id": "x--y", "type": "lm75", "bus": 1, "address": "0x49"}]})");
    const json p = device_payload(cfg, "u");
    ASSERT_EQ(p["cmps"].size(), 3u);
    std::set<std::string> ids;
    for (const auto& [id, c] : p["cmps"].items()) {
        const std::string eid = c["default_entity_id"];
        EXPECT_TRUE(std::regex_match(eid, std::regex("sensor\\.piogate(_[a-z0-9]+)+"))) << eid;
        EXPECT_TRUE(ids.insert(eid).second) << eid;
    }
    EXPECT_EQ(p["cmps"]["x--y_temperature"]["default_entity_id"], "sensor.piogate_x_y_temperature");
}

TEST(discovery_device, disabled_gives_nothing_and_the_prefix_is_honoured) {
    auto off = ha_on();
    off.enabled = false;
    EXPECT_TRUE(app::device_discovery_messages(parse(garage), off, "abc", "1").empty());
    auto ha = ha_on();
    ha.discovery_prefix = "ha/disc";
    EXPECT_EQ(app::device_discovery_topic(ha, "abc"), "ha/disc/device/piogate_abc/config");
}

TEST(discovery_device, a_removed_component_is_reduced_to_its_platform) {
    const auto before = app::device_discovery_messages(parse(garage), ha_on(), "abc", "1")[0];
    const auto after =
        app::device_discovery_messages(parse(R"({"mqtt": {"topic_prefix": "piogate/garage"},
                  "sensors": [{"id": "garage", "type": "bme280", "bus": 1}]})"),
                                       ha_on(), "abc", "1")[0];
    const json merged = json::parse(app::with_removed_components(before.payload, after.payload));
    EXPECT_EQ(merged["cmps"]["door"], json::parse(R"({"p": "binary_sensor"})"));
    EXPECT_EQ(merged["cmps"]["pwm_fan"], json::parse(R"({"p": "light"})"));
    EXPECT_EQ(merged["cmps"]["counter_meter_rate"], json::parse(R"({"p": "sensor"})"));
    EXPECT_EQ(merged["cmps"]["garage_temperature"],
              json::parse(after.payload)["cmps"]["garage_temperature"]);
    EXPECT_EQ(merged["cmps"].size(), 9u);
    // A removed component stays reduced in later rounds of this run; one that comes back is whole.
    EXPECT_EQ(app::with_removed_components(merged.dump(), after.payload), merged.dump());
    EXPECT_EQ(app::with_removed_components(merged.dump(), before.payload), before.payload);
    // Nothing removed: unchanged; not device payloads: unchanged.
    EXPECT_EQ(app::with_removed_components(before.payload, before.payload), before.payload);
    EXPECT_EQ(app::with_removed_components("{}", after.payload), after.payload);
    EXPECT_EQ(app::with_removed_components("not json", after.payload), after.payload);
}

TEST(discovery_handover, device_form_hands_the_entity_topics_over_in_order_once) {
    const auto cfg = parse(garage);
    const auto per_entity = app::discovery_messages(cfg, ha_on(), "abc", "1");
    const auto per_device = app::device_discovery_messages(cfg, ha_on(), "abc", "1");
    app::discovery_handover state;

    // Round 1: migrate_discovery on every per-entity topic, nothing else.
    auto first = app::plan_discovery({}, per_device, topics(per_entity), state);
    ASSERT_EQ(first.migrate.size(), per_entity.size());
    EXPECT_TRUE(first.publish.empty());
    for (const auto& m : first.migrate) {
        EXPECT_EQ(json::parse(m.payload), json::parse(R"({"migrate_discovery": true})"));
    }
    EXPECT_EQ(topics(first.migrate), topics(per_entity));

    // Round 2 (after the pause): the device message, then the clears of the old topics.
    auto second = app::plan_discovery({}, per_device, topics(per_entity), state);
    EXPECT_TRUE(second.migrate.empty());
    ASSERT_EQ(second.publish.size(), 1u + per_entity.size());
    EXPECT_EQ(second.publish[0], per_device[0]);
    for (std::size_t i = 0; i < per_entity.size(); ++i) {
        EXPECT_EQ(second.publish[1 + i].payload, "");
    }
    std::set<std::string> cleared;
    for (std::size_t i = 1; i < second.publish.size(); ++i) cleared.insert(second.publish[i].topic);
    const auto old_topics = topics(per_entity);
    EXPECT_EQ(cleared, std::set<std::string>(old_topics.begin(), old_topics.end()));

    // Later announces (Home Assistant's birth message): the device message only.
    auto third = app::plan_discovery(per_device, per_device, topics(per_entity), state);
    EXPECT_TRUE(third.migrate.empty());
    EXPECT_EQ(third.publish, per_device);
}

TEST(discovery_handover, a_reload_hands_over_only_new_topics_and_reduces_removed_components) {
    const auto cfg = parse(garage);
    const auto smaller = parse(R"({"mqtt": {"topic_prefix": "piogate/garage"},
        "sensors": [{"id": "garage", "type": "bme280", "bus": 1}],
        "inputs": [{"id": "door", "line": "GPIO17"}, {"id": "gate", "line": "GPIO18"}]})");
    app::discovery_handover state;
    const auto device1 = app::device_discovery_messages(cfg, ha_on(), "abc", "1");
    const auto entity1 = topics(app::discovery_messages(cfg, ha_on(), "abc", "1"));
    app::plan_discovery({}, device1, entity1, state);
    auto r = app::plan_discovery({}, device1, entity1, state);
    const auto sent = r.publish;  // device message first
    const std::vector<app::discovery_message> sent_device{sent[0]};

    const auto device2 = app::device_discovery_messages(smaller, ha_on(), "abc", "1");
    const auto entity2 = topics(app::discovery_messages(smaller, ha_on(), "abc", "1"));
    auto reload = app::plan_discovery(sent_device, device2, entity2, state);
    ASSERT_EQ(reload.migrate.size(), 1u) << "only the new input's old topic";
    EXPECT_EQ(reload.migrate[0].topic, "homeassistant/binary_sensor/piogate_abc_gate/config");
    reload = app::plan_discovery(sent_device, device2, entity2, state);
    ASSERT_EQ(reload.publish.size(), 2u);
    const json p = json::parse(reload.publish[0].payload);
    EXPECT_EQ(p["cmps"]["opener"], json::parse(R"({"p": "switch"})"));
    EXPECT_EQ(p["cmps"]["soc_temperature"], json::parse(R"({"p": "sensor"})"));
    EXPECT_TRUE(p["cmps"]["gate"].contains("unique_id"));
    EXPECT_EQ(reload.publish[1], (app::discovery_message{entity2.back(), ""}));
}

TEST(discovery_handover, entity_form_hands_the_device_topic_back_and_removals_come_first) {
    const auto cfg = parse(garage);
    const auto per_entity = app::discovery_messages(cfg, ha_on(), "abc", "1");
    const auto device_topic = app::device_discovery_topic(ha_on(), "abc");
    app::discovery_handover state;
    auto first = app::plan_discovery({}, per_entity, {device_topic}, state);
    ASSERT_EQ(first.migrate.size(), 1u);
    EXPECT_EQ(first.migrate[0].topic, device_topic);
    auto second = app::plan_discovery({}, per_entity, {device_topic}, state);
    ASSERT_EQ(second.publish.size(), per_entity.size() + 1);
    EXPECT_EQ(second.publish.back(), (app::discovery_message{device_topic, ""}));

    // A reload that drops the opener: its empty config goes out before the rest.
    const auto fewer = app::discovery_messages(parse(R"({"mqtt": {"topic_prefix": "piogate/garage"},
                  "sensors": [{"id": "garage", "type": "bme280", "bus": 1}]})"),
                                               ha_on(), "abc", "1");
    auto reload = app::plan_discovery(per_entity, fewer, {device_topic}, state);
    EXPECT_TRUE(reload.migrate.empty()) << "the device topic was handed over in this run";
    ASSERT_EQ(reload.publish.size(), per_entity.size() - fewer.size() + fewer.size());
    EXPECT_EQ(reload.publish.front().payload, "");
    EXPECT_EQ(reload.publish.back(), fewer.back());

    // Discovery turned off: every sent topic is cleared, nothing handed over.
    auto off = app::plan_discovery(fewer, {}, {}, state);
    EXPECT_TRUE(off.migrate.empty());
    EXPECT_EQ(off.publish.size(), fewer.size());
    for (const auto& m : off.publish) EXPECT_EQ(m.payload, "");
}

TEST(discovery_handover, switching_back_hands_over_again) {
    const auto cfg = parse(garage);
    const auto per_entity = app::discovery_messages(cfg, ha_on(), "abc", "1");
    const auto per_device = app::device_discovery_messages(cfg, ha_on(), "abc", "1");
    app::discovery_handover state;
    app::plan_discovery({}, per_device, topics(per_entity), state);
    app::plan_discovery({}, per_device, topics(per_entity), state);
    // Reload to "entity": the device topic is handed over, the entity topics are live again.
    auto to_entity = app::plan_discovery(per_device, per_entity, topics(per_device), state);
    EXPECT_EQ(topics(to_entity.migrate), topics(per_device));
    to_entity = app::plan_discovery(per_device, per_entity, topics(per_device), state);
    EXPECT_EQ(to_entity.publish.back(), (app::discovery_message{per_device[0].topic, ""}));
    // And back to "device": the entity topics are handed over once more.
    auto to_device = app::plan_discovery(per_entity, per_device, topics(per_entity), state);
    EXPECT_EQ(to_device.migrate.size(), per_entity.size());
}
