#include "app/command.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "config/json_unique.hpp"

namespace piogate::app {
namespace {

std::optional<command::action> word(std::string_view s) {
    std::string w;
    for (char c : s) w += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (w == "ON" || w == "1" || w == "TRUE") return command::action::on;
    if (w == "OFF" || w == "0" || w == "FALSE") return command::action::off;
    if (w == "TOGGLE") return command::action::toggle;
    return std::nullopt;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

}  // namespace

std::optional<command> parse_command(std::string_view payload, std::string& why) {
    const std::string_view p = trim(payload);
    if (p.empty()) {
        why = "empty payload";
        return std::nullopt;
    }
    if (p.front() != '{') {
        if (auto a = word(p)) return command{*a, std::nullopt};
        why = "not ON, OFF, TOGGLE, 1, 0, true, false or a JSON object";
        return std::nullopt;
    }
    nlohmann::json j;
    try {
        j = config::parse_json_unique(p);
    } catch (const config::duplicate_key_error& e) {
        // Last-wins would act on one of two contradicting states.
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
        if (key != "state" && key != "duration_ms") {
            why = "unknown key \"" + truncate_payload(key, 32) + "\"";
            return std::nullopt;
        }
    }
    auto state = j.find("state");
    if (state == j.end() || !state->is_string() || !word(state->get<std::string>())) {
        why = "\"state\" must be \"ON\", \"OFF\" or \"TOGGLE\"";
        return std::nullopt;
    }
    command c{*word(state->get<std::string>()), std::nullopt};
    if (auto d = j.find("duration_ms"); d != j.end()) {
        if (!d->is_number_integer() || d->get<long long>() < 1 || d->get<long long>() > 86'400'000) {
            why = "\"duration_ms\" must be an integer 1..86400000";
            return std::nullopt;
        }
        c.pulse = std::chrono::milliseconds(d->get<long long>());
    }
    return c;
}

std::string truncate_payload(std::string_view payload, std::size_t max) {
    std::string out;
    for (std::size_t i = 0; i < payload.size() && i < max; ++i) {
        const auto c = static_cast<unsigned char>(payload[i]);
        if (c >= 0x20 && c < 0x7F) {
            out += static_cast<char>(c);
        } else {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02X", c);
            out += buf;
        }
    }
    if (payload.size() > max) out += "... (" + std::to_string(payload.size()) + " bytes)";
    return out;
}

}  // namespace piogate::app
