#include "app/rules/rule_engine.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "config/config.hpp"

using namespace piogate;
using namespace std::chrono_literals;
using app::rules::action;
using app::rules::rule_engine;
using config::rule_config;
using k = action::kind_t;

namespace {

rule_config input_rule(rule_config::action_t a, std::string actuator, bool offline_only = false) {
    rule_config r;
    r.action = a;
    r.input = "button";
    r.actuator = std::move(actuator);
    r.on_for = 30s;
    r.offline_only = offline_only;
    r.path = "/rules/0";
    return r;
}

rule_config threshold(double low, double high, bool on_above, bool offline_only = false) {
    rule_config r;
    r.action = rule_config::action_t::threshold;
    r.sensor = "room";
    r.quantity = "temperature";
    r.actuator = "heater";
    r.low = low;
    r.high = high;
    r.on_above = on_above;
    r.offline_only = offline_only;
    r.path = "/rules/1";
    return r;
}

std::string kinds(const std::vector<action>& actions) {
    std::string out;
    for (const auto& a : actions) {
        out += (out.empty() ? "" : " ") + a.actuator + ":" +
               (a.kind == k::on    ? "on"
                : a.kind == k::off ? "off"
                                   : "toggle") +
               (a.pulse ? "/" + std::to_string(a.pulse->count()) : "");
    }
    return out;
}

}  // namespace

TEST(rule_engine, input_rules_table) {
    rule_engine e({input_rule(rule_config::action_t::follow, "a"),
                   input_rule(rule_config::action_t::invert, "b"),
                   input_rule(rule_config::action_t::toggle, "c"),
                   input_rule(rule_config::action_t::on_for, "d"),
                   input_rule(rule_config::action_t::follow, "e", true)});
    struct row {
        bool level;
        bool online;
        const char* expected;
    };
    const std::vector<row> rows{
        {true, true, "a:on b:off c:toggle d:on/30000"},
        {false, true, "a:off b:on"},  // a release: no toggle, no on_for
        {true, false, "a:on b:off c:toggle d:on/30000 e:on"},
        {false, false, "a:off b:on e:off"},
    };
    for (const auto& r : rows) {
        SCOPED_TRACE(std::string(r.level ? "ON" : "OFF") + (r.online ? " online" : " offline"));
        EXPECT_EQ(kinds(e.input_changed("button", r.level, r.online)), r.expected);
    }
    EXPECT_TRUE(e.input_changed("other", true, true).empty());
    auto a = e.input_changed("button", true, true);
    EXPECT_EQ(a[0].rule, "/rules/0");
    EXPECT_EQ(a[0].why, "input button ON");
}

TEST(rule_engine, thermostat_with_hysteresis) {
    rule_engine e({threshold(19, 21, false)});
    struct row {
        double value;
        const char* expected;
    };
    // Heating: ON below 19, OFF above 21, in between it keeps the last decision; an action
    // only when the decision changes.
    const std::vector<row> rows{
        {20, ""}, {18.9, "heater:on"},  {18, ""}, {19, ""}, {20.9, ""},
        {21, ""}, {21.1, "heater:off"}, {25, ""}, {20, ""}, {18.99, "heater:on"}};
    for (const auto& r : rows) {
        SCOPED_TRACE(r.value);
        EXPECT_EQ(kinds(e.reading("room", {{"humidity", 50}, {"temperature", r.value}}, true)),
                  r.expected);
    }
    EXPECT_TRUE(e.reading("room", {{"humidity", 10}}, true).empty());  // the quantity missing
    EXPECT_TRUE(e.reading("kitchen", {{"temperature", 30}}, true).empty());
    EXPECT_EQ(e.reading("room", {{"temperature", 22}}, true).at(0).why, "room temperature 22 > 21");
}

TEST(rule_engine, cooling_threshold_is_on_above_high) {
    rule_engine e({threshold(26, 28, true)});
    EXPECT_EQ(kinds(e.reading("room", {{"temperature", 27}}, true)), "");
    EXPECT_EQ(kinds(e.reading("room", {{"temperature", 28.5}}, true)), "heater:on");
    EXPECT_EQ(kinds(e.reading("room", {{"temperature", 26.5}}, true)), "");
    EXPECT_EQ(kinds(e.reading("room", {{"temperature", 25.9}}, true)), "heater:off");
}

TEST(rule_engine, offline_rules_decide_afresh_after_each_outage) {
    rule_engine e({threshold(3, 5, false, true)});  // a frost guard while the broker is away
    EXPECT_EQ(kinds(e.reading("room", {{"temperature", 1}}, true)),
              "");  // online: not its business
    EXPECT_EQ(kinds(e.reading("room", {{"temperature", 1}}, false)), "heater:on");
    EXPECT_EQ(kinds(e.reading("room", {{"temperature", 2}}, false)), "");
    EXPECT_EQ(kinds(e.reading("room", {{"temperature", 2}}, true)), "");  // back online: forgets
    EXPECT_EQ(kinds(e.reading("room", {{"temperature", 2}}, false)), "heater:on");  // a new outage
}

TEST(rule_config, validation) {
    const std::string base =
        R"("board": {"kind": "sim", "i2c": [{"bus": 1, "devices": [{"model": "sht3x", "address": "0x44"}]}]},
        "sensors": [{"id": "room", "type": "sht3x", "bus": 1}],
        "inputs": [{"id": "button", "line": "GPIO17"}],
        "actuators": [{"id": "lamp", "line": "GPIO22"}, {"id": "heater", "line": "GPIO23"}])";
    struct row {
        const char* rules;
        const char* path;  // "" = valid
        const char* message;
    };
    const std::vector<row> rows{
        {R"([{"input": "button", "actuator": "lamp", "action": "toggle"},
             {"sensor": "room", "quantity": "temperature", "actuator": "heater", "on_below": 19, "off_above": 21, "when": "offline"}])",
         "", ""},
        {R"([{"input": "button", "actuator": "lamp", "action": "on_for", "on_for_s": 0.5}])", "",
         ""},
        {R"([{"input": "buton", "actuator": "lamp"}])", "/rules/0/input",
         "unknown input \"buton\""},
        {R"([{"input": "button", "actuator": "lammp"}])", "/rules/0/actuator",
         "unknown actuator \"lammp\""},
        {R"([{"sensor": "rom", "quantity": "temperature", "actuator": "heater", "on_below": 1, "off_above": 2}])",
         "/rules/0/sensor", "unknown sensor \"rom\""},
        {R"([{"sensor": "room", "quantity": "pressure", "actuator": "heater", "on_below": 1, "off_above": 2}])",
         "/rules/0/quantity",
         "sensor \"room\" (sht3x) reports temperature, humidity, not \"pressure\""},
        {R"([{"sensor": "room", "quantity": "temperature", "actuator": "heater", "on_below": 21, "off_above": 21}])",
         "/rules/0/off_above", "must be above \"on_below\" (21)"},
        {R"([{"sensor": "room", "quantity": "temperature", "actuator": "heater", "on_above": 20, "off_below": 25}])",
         "/rules/0/on_above", "must be above \"off_below\" (25)"},
        {R"([{"sensor": "room", "quantity": "temperature", "actuator": "heater", "on_below": 1, "off_below": 0}])",
         "/rules/0/off_below", "give either"},
        {R"([{"sensor": "room", "quantity": "temperature", "actuator": "heater"}])",
         "/rules/0/on_below", "missing"},
        {R"([{"input": "button", "actuator": "lamp"}, {"input": "button", "actuator": "lamp", "action": "invert"}])",
         "/rules/1/actuator", "actuator \"lamp\" is already driven by the rule at /rules/0"},
        {R"([{"actuator": "lamp"}])", "/rules/0", "a rule needs one source"},
        {R"([{"input": "button", "sensor": "room", "actuator": "lamp"}])", "/rules/0",
         "a rule needs one source"},
        {R"([{"input": "button", "actuator": "lamp", "action": "on_for"}])", "/rules/0/on_for_s",
         "missing"},
        {R"([{"input": "button", "actuator": "lamp", "on_for_s": 3}])", "/rules/0/on_for_s", ""},
        {R"([{"input": "button", "actuator": "lamp", "action": "flip"}])", "/rules/0/action",
         "\"flip\" is not one of"},
        {R"([{"input": "button", "actuator": "lamp", "when": "online"}])", "/rules/0/when",
         "is not one of"},
    };
    for (const auto& r : rows) {
        SCOPED_TRACE(r.rules);
        const auto text = "{" + base + ", \"rules\": " + r.rules + "}";
        if (!*r.path) {
            EXPECT_NO_THROW(config::parse_config(config::json::parse(text)));
            continue;
        }
        try {
            config::parse_config(config::json::parse(text));
            ADD_FAILURE() << "accepted";
        } catch (const config::config_error& e) {
            EXPECT_EQ(e.path(), r.path) << e.what();
            EXPECT_NE(std::string(e.what()).find(r.message), std::string::npos) << e.what();
        }
    }
}
