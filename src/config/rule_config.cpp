#include "config/rule_config.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <cstdio>
#include <map>

namespace piogate::config {
namespace {

std::string number_text(double v) {
    char b[32];
    std::snprintf(b, sizeof b, "%g", v);
    return b;
}

void read_threshold(object_reader& r, rule_config& c) {
    const bool heating = r.has("on_below") || r.has("off_above");
    const bool cooling = r.has("on_above") || r.has("off_below");
    if (heating && cooling) {
        r.fail(r.has("on_above") ? "on_above" : "off_below",
               "give either \"on_below\" and \"off_above\" (heating) or \"on_above\" and "
               "\"off_below\" (cooling)");
    }
    if (!heating && !cooling)
        r.fail("on_below",
               "missing (a sensor rule needs \"on_below\" and \"off_above\", or \"on_above\" and "
               "\"off_below\")");
    c.action = rule_config::action_t::threshold;
    c.on_above = cooling;
    const char* low_key = cooling ? "off_below" : "on_below";
    const char* high_key = cooling ? "on_above" : "off_above";
    c.low = r.get_number(low_key, -1e9, 1e9);
    c.high = r.get_number(high_key, -1e9, 1e9);
    if (c.low >= c.high) {
        r.fail(high_key, "must be above \"" + std::string(low_key) + "\" (" + number_text(c.low) +
                             "): the hysteresis needs low < high");
    }
}

}  // namespace

std::vector<rule_config> read_rule_configs(object_reader& parent,
                                           const std::vector<entry_facts>& channels,
                                           const std::vector<sensor_config>& sensors) {
    std::vector<rule_config> out;
    std::map<std::string, std::string> driven;  // actuator -> path of the rule driving it
    parent.for_each("rules", [&](const json& j, const std::string& path) {
        object_reader r(j, path);
        rule_config c;
        c.path = path;
        if (r.has("input") == r.has("sensor")) {
            throw config_error(path, "a rule needs one source: \"input\" or \"sensor\"");
        }
        if (r.has("input")) {
            c.input = r.get_string("input");
            if (!find_binary_source(channels, c.input))
                r.fail("input", "unknown input \"" + c.input + "\"");
            const std::vector<std::string> actions{"follow", "invert", "toggle", "on_for"};
            c.action = static_cast<rule_config::action_t>(r.get_choice("action", actions, 0));
            if (c.action == rule_config::action_t::on_for) {
                c.on_for = std::chrono::milliseconds(
                    static_cast<std::int64_t>(r.get_number("on_for_s", 0.001, 86400) * 1000));
            }
        } else {
            c.sensor = r.get_string("sensor");
            auto s = std::find_if(sensors.begin(), sensors.end(),
                                  [&](const auto& x) { return x.id == c.sensor; });
            if (s == sensors.end()) r.fail("sensor", "unknown sensor \"" + c.sensor + "\"");
            c.quantity = r.get_string("quantity");
            const auto q = sensor_quantities(s->type, s->options);
            if (std::find(q.begin(), q.end(), c.quantity) == q.end()) {
                std::string all;
                for (const auto& x : q) all += (all.empty() ? "" : ", ") + x;
                r.fail("quantity", "sensor \"" + c.sensor + "\" (" + s->type + ") reports " + all +
                                       ", not \"" + c.quantity + "\"");
            }
            read_threshold(r, c);
        }
        c.actuator = r.get_string("actuator");
        if (!find_switchable(channels, c.actuator))
            r.fail("actuator", "unknown actuator \"" + c.actuator + "\"");
        if (auto [it, fresh] = driven.emplace(c.actuator, path); !fresh) {
            r.fail("actuator", "actuator \"" + c.actuator + "\" is already driven by the rule at " +
                                   it->second + " (one rule per actuator)");
        }
        c.offline_only = r.get_choice("when", {"always", "offline"}, 0) == 1;
        r.finish();
        out.push_back(std::move(c));
    });
    return out;
}

}  // namespace piogate::config
