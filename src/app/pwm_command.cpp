#include "app/pwm_command.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <cctype>
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

#include "app/command.hpp"
#include "config/json_unique.hpp"

namespace piogate::app {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

std::optional<pwm_command::action> word(std::string_view s) {
    std::string w;
    for (char c : s) w += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (w == "ON" || w == "TRUE") return pwm_command::action::on;
    if (w == "OFF" || w == "FALSE") return pwm_command::action::off;
    if (w == "TOGGLE") return pwm_command::action::toggle;
    return std::nullopt;
}

const char* const range_why = "a duty must be a number 0..100 (percent)";

bool valid_duty(double d) {
    return std::isfinite(d) && d >= 0 && d <= 100;
}

}  // namespace

std::optional<pwm_command> parse_pwm_command(std::string_view payload, std::string& why) {
    const std::string_view p = trim(payload);
    if (p.empty()) {
        why = "empty payload";
        return std::nullopt;
    }
    if (p.front() != '{') {
        if (auto a = word(p)) return pwm_command{*a, 0};
        double d = 0;
        const auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), d);
        if (ec == std::errc() && end == p.data() + p.size()) {
            if (!valid_duty(d)) {
                why = range_why;
                return std::nullopt;
            }
            return pwm_command{pwm_command::action::duty, d};
        }
        why = "not a duty 0..100, ON, OFF, TOGGLE or a JSON object";
        return std::nullopt;
    }
    nlohmann::json j;
    try {
        j = config::parse_json_unique(p);
    } catch (const config::duplicate_key_error& e) {
        why = "duplicate key \"" + truncate_payload(e.key(), 32) + "\"";
        return std::nullopt;
    } catch (const nlohmann::json::exception&) {
        why = "not valid JSON";
        return std::nullopt;
    }
    if (!j.is_object()) {
        why = "not valid JSON";
        return std::nullopt;
    }
    for (const auto& [key, value] : j.items()) {
        if (key != "state" && key != "duty" && key != "brightness") {
            why = "unknown key \"" + truncate_payload(key, 32) + "\"";
            return std::nullopt;
        }
    }
    if (j.contains("duty") && j.contains("brightness")) {
        why = "\"duty\" and \"brightness\" are the same thing: give one";
        return std::nullopt;
    }
    std::optional<double> duty;
    for (const char* key : {"duty", "brightness"}) {
        if (auto d = j.find(key); d != j.end()) {
            if (!d->is_number() || !valid_duty(d->get<double>())) {
                why = std::string("\"") + key + "\" must be a number 0..100";
                return std::nullopt;
            }
            duty = d->get<double>();
        }
    }
    std::optional<pwm_command::action> state;
    if (auto s = j.find("state"); s != j.end()) {
        if (!s->is_string() || !word(s->get<std::string>())) {
            why = "\"state\" must be \"ON\", \"OFF\" or \"TOGGLE\"";
            return std::nullopt;
        }
        state = word(s->get<std::string>());
    }
    if (state == pwm_command::action::off) {
        if (duty) {
            why = "\"state\": \"OFF\" with a duty";
            return std::nullopt;
        }
        return pwm_command{pwm_command::action::off, 0};
    }
    if (duty) return pwm_command{pwm_command::action::duty, *duty};
    if (state) return pwm_command{*state, 0};
    why = "needs \"duty\", \"brightness\" or \"state\"";
    return std::nullopt;
}

}  // namespace piogate::app
