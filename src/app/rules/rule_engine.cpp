#include "app/rules/rule_engine.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <cstdio>

namespace piogate::app::rules {
namespace {

using config::rule_config;

std::string number_text(double v) {
    char b[32];
    std::snprintf(b, sizeof b, "%g", v);
    return b;
}

}  // namespace

rule_engine::rule_engine(std::vector<config::rule_config> rules)
    : rules_(std::move(rules)), decided_(rules_.size()) {}

bool rule_engine::uses_sensor(const std::string& id) const {
    return std::any_of(rules_.begin(), rules_.end(), [&](const auto& r) { return r.sensor == id; });
}

std::vector<action> rule_engine::input_changed(const std::string& id, bool level, bool online) {
    std::vector<action> out;
    const std::string why = "input " + id + (level ? " ON" : " OFF");
    for (const auto& r : rules_) {
        if (r.input != id || (r.offline_only && online)) continue;
        using k = action::kind_t;
        switch (r.action) {
            case rule_config::action_t::follow:
                out.push_back({level ? k::on : k::off, r.actuator, {}, r.path, why});
                break;
            case rule_config::action_t::invert:
                out.push_back({level ? k::off : k::on, r.actuator, {}, r.path, why});
                break;
            case rule_config::action_t::toggle:
                if (level) out.push_back({k::toggle, r.actuator, {}, r.path, why});
                break;
            case rule_config::action_t::on_for:
                if (level) out.push_back({k::on, r.actuator, r.on_for, r.path, why});
                break;
            case rule_config::action_t::threshold:
                break;
        }
    }
    return out;
}

std::vector<action> rule_engine::reading(const std::string& id,
                                         const std::vector<std::pair<std::string, double>>& values,
                                         bool online) {
    std::vector<action> out;
    for (std::size_t i = 0; i < rules_.size(); ++i) {
        const auto& r = rules_[i];
        if (r.sensor != id || r.action != rule_config::action_t::threshold) continue;
        if (r.offline_only && online) {
            decided_[i].reset();
            continue;
        }
        auto v = std::find_if(values.begin(), values.end(),
                              [&](const auto& p) { return p.first == r.quantity; });
        if (v == values.end()) continue;
        const double x = v->second;
        std::optional<bool> want;
        std::string why = id + " " + r.quantity + " " + number_text(x);
        if (x < r.low) {
            want = !r.on_above;
            why += " < " + number_text(r.low);
        } else if (x > r.high) {
            want = r.on_above;
            why += " > " + number_text(r.high);
        }
        if (!want || decided_[i] == want) continue;
        decided_[i] = want;
        out.push_back(
            {*want ? action::kind_t::on : action::kind_t::off, r.actuator, {}, r.path, why});
    }
    return out;
}

}  // namespace piogate::app::rules
