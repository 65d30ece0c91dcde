#include "property_options.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <cctype>
#include <charconv>
#include <functional>

#include "cli_options.hpp"
#include "piogate/mqtt/topic.hpp"

namespace piogate::tools {

namespace {

enum class packet : std::uint8_t { connect, publish, subscribe, disconnect, will };

enum class value_kind : std::uint8_t { text, binary, number, pair };

struct property_rule {
    packet command;
    std::string_view name;
    value_kind kind;
    std::uint32_t min = 0;
    std::uint32_t max = 0;
    // Stores the value (number in `n`, text in `s`, a user property's name in `key`).
    std::function<void(property_options&, std::uint32_t n, const std::string& key,
                       const std::string& s)>
        store;
};

constexpr std::uint32_t u8_flag = 1, u16_max = 65535, u32_max = 0xFFFFFFFF;

// The properties of a PUBLISH or a will, stored into `pick(o)`.
template <class Pick>
std::vector<property_rule> message_rules(packet command, Pick pick) {
    return {
        {command, "content-type", value_kind::text, 0, 0,
         [pick](property_options& o, auto, auto&, auto& s) { pick(o).content_type = s; }},
        {command, "correlation-data", value_kind::binary, 0, 0,
         [pick](property_options& o, auto, auto&, auto& s) { pick(o).correlation_data = s; }},
        {command, "message-expiry-interval", value_kind::number, 0, u32_max,
         [pick](property_options& o, auto n, auto&, auto&) {
             pick(o).message_expiry_interval = n;
         }},
        {command, "payload-format-indicator", value_kind::number, 0, u8_flag,
         [pick](property_options& o, auto n, auto&, auto&) {
             pick(o).payload_format_indicator = static_cast<std::uint8_t>(n);
         }},
        {command, "response-topic", value_kind::text, 0, 0,
         [pick](property_options& o, auto, auto&, auto& s) { pick(o).response_topic = s; }},
        {command, "user-property", value_kind::pair, 0, 0,
         [pick](property_options& o, auto, auto& k, auto& s) {
             pick(o).user_properties.emplace_back(k, s);
         }},
    };
}

const std::vector<property_rule>& rules() {
    static const std::vector<property_rule> all = [] {
        std::vector<property_rule> r = {
            {packet::connect, "authentication-data", value_kind::binary, 0, 0,
             [](property_options& o, auto, auto&, auto& s) { o.connect.authentication_data = s; }},
            {packet::connect, "authentication-method", value_kind::text, 0, 0,
             [](property_options& o, auto, auto&, auto& s) {
                 o.connect.authentication_method = s;
             }},
            {packet::connect, "maximum-packet-size", value_kind::number, 1, u32_max,
             [](property_options& o, auto n, auto&, auto&) { o.maximum_packet_size = n; }},
            {packet::connect, "receive-maximum", value_kind::number, 1, u16_max,
             [](property_options& o, auto n, auto&, auto&) {
                 o.connect.receive_maximum = static_cast<std::uint16_t>(n);
             }},
            {packet::connect, "request-problem-information", value_kind::number, 0, u8_flag,
             [](property_options& o, auto n, auto&, auto&) {
                 o.connect.request_problem_information = n != 0;
             }},
            {packet::connect, "request-response-information", value_kind::number, 0, u8_flag,
             [](property_options& o, auto n, auto&, auto&) {
                 o.connect.request_response_information = n != 0;
             }},
            {packet::connect, "session-expiry-interval", value_kind::number, 0, u32_max,
             [](property_options& o, auto n, auto&, auto&) {
                 o.connect.session_expiry_interval = n;
             }},
            {packet::connect, "topic-alias-maximum", value_kind::number, 0, u16_max,
             [](property_options& o, auto n, auto&, auto&) {
                 o.connect.topic_alias_maximum = static_cast<std::uint16_t>(n);
             }},
            {packet::connect, "user-property", value_kind::pair, 0, 0,
             [](property_options& o, auto, auto& k, auto& s) {
                 o.connect.user_properties.emplace_back(k, s);
             }},
            {packet::subscribe, "subscription-identifier", value_kind::number, 1, 268435455,
             [](property_options& o, auto n, auto&, auto&) {
                 o.subscribe.subscription_identifiers = {n};
             }},
            {packet::subscribe, "user-property", value_kind::pair, 0, 0,
             [](property_options& o, auto, auto& k, auto& s) {
                 o.subscribe.user_properties.emplace_back(k, s);
             }},
            {packet::disconnect, "session-expiry-interval", value_kind::number, 0, u32_max,
             [](property_options& o, auto n, auto&, auto&) {
                 o.disconnect.session_expiry_interval = n;
             }},
            {packet::disconnect, "user-property", value_kind::pair, 0, 0,
             [](property_options& o, auto, auto& k, auto& s) {
                 o.disconnect.user_properties.emplace_back(k, s);
             }},
            {packet::will, "will-delay-interval", value_kind::number, 0, u32_max,
             [](property_options& o, auto n, auto&, auto&) {
                 o.connect.will_properties.will_delay_interval = n;
             }},
        };
        for (auto& m : message_rules(packet::publish, [](property_options& o) -> mqtt::properties& {
                 return o.publish;
             })) {
            r.push_back(std::move(m));
        }
        for (auto& m : message_rules(packet::will, [](property_options& o) -> mqtt::properties& {
                 return o.connect.will_properties;
             })) {
            r.push_back(std::move(m));
        }
        return r;
    }();
    return all;
}

std::string lower(std::string_view s) {
    std::string out(s);
    std::ranges::transform(out, out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

std::optional<packet> packet_from(const std::string& name, tool_kind tool) {
    if (name == "connect") return packet::connect;
    if (name == "disconnect") return packet::disconnect;
    if (name == "will") return packet::will;
    if (name == "publish") {
        if (tool == tool_kind::sub) throw usage_error("-D publish: piogate-sub publishes nothing");
        return packet::publish;
    }
    if (name == "subscribe") {
        if (tool == tool_kind::pub)
            throw usage_error("-D subscribe: piogate-pub subscribes to nothing");
        return packet::subscribe;
    }
    if (name == "unsubscribe" || name == "pubrel" || name == "auth") {
        throw usage_error("-D " + name + ": no property of this command can be set here");
    }
    return std::nullopt;
}

std::uint32_t number_from(const std::string& text, const property_rule& rule,
                          const std::string& where) {
    std::uint64_t n = 0;
    const char* end = text.data() + text.size();
    const auto [p, ec] = std::from_chars(text.data(), end, n);
    if (text.empty() || ec != std::errc() || p != end || n < rule.min || n > rule.max) {
        throw usage_error("invalid value '" + text + "' for " + where + " (must be " +
                          std::to_string(rule.min) + ".." + std::to_string(rule.max) + ")");
    }
    return static_cast<std::uint32_t>(n);
}

void check_text(const std::string& text, const std::string& where) {
    if (!mqtt::is_valid_utf8(text)) {
        throw usage_error("invalid value for " + where + " (not UTF-8, or contains U+0000)");
    }
    if (text.size() > 65535) throw usage_error("the value for " + where + " is over 65535 bytes");
}

}  // namespace

property_options parse_property_args(const std::vector<std::vector<std::string>>& args,
                                     tool_kind tool) {
    property_options o;
    for (const auto& a : args) {
        o.any = true;
        if (a.size() < 3) {
            throw usage_error(
                "-D needs COMMAND PROPERTY VALUE (or COMMAND user-property NAME VALUE)");
        }
        const std::string command = lower(a[0]), name = lower(a[1]);
        const auto p = packet_from(command, tool);
        if (!p) {
            throw usage_error("-D: unknown command '" + a[0] +
                              "' (connect, publish, subscribe, disconnect or will)");
        }
        const std::string where = "-D " + command + " " + name;
        if (*p == packet::publish && name == "topic-alias") {
            throw usage_error(
                where + ": piogate-pub does not take a topic alias (the client assigns them)");
        }
        const auto rule = std::ranges::find_if(
            rules(), [&](const property_rule& r) { return r.command == *p && r.name == name; });
        if (rule == rules().end()) {
            throw usage_error("-D " + command + ": '" + a[1] + "' is not a property " + command +
                              " takes here (see --help)");
        }
        const std::size_t want = rule->kind == value_kind::pair ? 4 : 3;
        if (a.size() != want) {
            throw usage_error(where + " needs " +
                              (want == 4 ? "a NAME and a VALUE" : std::string("one VALUE")));
        }
        if (*p == packet::will) o.any_will = true;
        std::uint32_t n = 0;
        std::string key;
        const std::string& value = a.back();
        switch (rule->kind) {
            case value_kind::number:
                n = number_from(value, *rule, where);
                break;
            case value_kind::pair:
                key = a[2];
                check_text(key, where + " (its name)");
                check_text(value, where);
                break;
            case value_kind::text:
                check_text(value, where);
                break;
            case value_kind::binary:
                if (value.size() > 65535)
                    throw usage_error("the value for " + where + " is over 65535 bytes");
                break;
        }
        if (name == "response-topic" && !mqtt::is_valid_topic_name(value)) {
            throw usage_error("invalid topic '" + value + "' for " + where +
                              " (empty, not UTF-8, or contains '+' or '#')");
        }
        rule->store(o, n, key, value);
    }
    return o;
}

std::vector<boost::program_options::option> property_style_parser(std::vector<std::string>& args) {
    if (args.empty() || (args[0] != "-D" && args[0] != "--property")) return {};
    // COMMAND PROPERTY VALUE, or COMMAND user-property NAME VALUE.
    std::size_t take = 3;
    if (args.size() > 2 && lower(args[2]) == "user-property") take = 4;
    take = std::min(take, args.size() - 1);
    std::string joined;
    for (std::size_t i = 1; i <= take; ++i) {
        if (i > 1) joined += '\0';
        joined += args[i];
    }
    boost::program_options::option opt("property", {joined});
    opt.original_tokens.assign(args.begin(), args.begin() + static_cast<std::ptrdiff_t>(take + 1));
    args.erase(args.begin(), args.begin() + static_cast<std::ptrdiff_t>(take + 1));
    return {opt};
}

std::vector<std::string> split_property_value(std::string_view value) {
    std::vector<std::string> out;
    for (;;) {
        const auto nul = value.find('\0');
        out.emplace_back(value.substr(0, nul));
        if (nul == std::string_view::npos) break;
        value.remove_prefix(nul + 1);
    }
    return out;
}

}  // namespace piogate::tools
