#include "config/mqtt_brokers.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <charconv>

#include "config/config_error.hpp"

namespace piogate::config {

namespace {

std::optional<std::uint16_t> port_of(std::string_view s) {
    unsigned v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || v < 1 || v > 65535) return std::nullopt;
    return static_cast<std::uint16_t>(v);
}

bool host_ok(std::string_view h) {
    if (h.empty() || h.size() > 253) return false;
    for (char c : h) {
        if (static_cast<unsigned char>(c) <= 0x20 || c == '/' || c == '[' || c == ']' || c == 0x7f) return false;
    }
    return true;
}

}  // namespace

broker_parse parse_broker(std::string_view text, std::uint16_t default_port) {
    if (text.find("://") != std::string_view::npos) {
        return {std::nullopt, "write host[:port] without a scheme (TLS is set in \"tls\")"};
    }
    std::string_view host = text;
    std::string_view port;
    if (!text.empty() && text.front() == '[') {
        const auto close = text.find(']');
        if (close == std::string_view::npos) return {std::nullopt, "\"[\" without \"]\""};
        host = text.substr(1, close - 1);
        std::string_view rest = text.substr(close + 1);
        if (!rest.empty()) {
            if (rest.front() != ':') return {std::nullopt, "expected \":PORT\" after \"]\""};
            port = rest.substr(1);
            if (port.empty()) return {std::nullopt, "empty port"};
        }
        if (host.empty() || host.find(':') == std::string_view::npos) {
            return {std::nullopt, "brackets are for IPv6 addresses"};
        }
    } else if (const auto colon = text.rfind(':'); colon != std::string_view::npos) {
        if (text.find(':') != colon) {
            return {std::nullopt, "an IPv6 address with a port is written [ADDRESS]:PORT"};
        }
        host = text.substr(0, colon);
        port = text.substr(colon + 1);
        if (port.empty()) return {std::nullopt, "empty port"};
    }
    if (host.find(':') == std::string_view::npos && !host_ok(host)) {
        return {std::nullopt, host.empty() ? "empty host" : "not a host name or address"};
    }
    mqtt_broker b{std::string(host), default_port};
    if (!port.empty()) {
        auto p = port_of(port);
        if (!p) return {std::nullopt, "port \"" + std::string(port) + "\" is not 1..65535"};
        b.port = *p;
    }
    return {std::move(b), {}};
}

std::vector<mqtt_broker> read_brokers(object_reader& r, std::uint16_t default_port) {
    std::vector<mqtt_broker> out;
    if (!r.has("hosts")) return out;
    const json* list = r.get_child("hosts");
    const std::string path = child_path(r.path(), "hosts");
    if (!list->is_array()) throw config_error(path, std::string("must be an array, not ") + type_name(*list));
    if (list->empty()) throw config_error(path, "must list at least one broker");
    if (list->size() > 16) throw config_error(path, "at most 16 brokers");
    r.for_each("hosts", [&](const json& e, const std::string& at) {
        if (e.is_string()) {
            auto p = parse_broker(e.get<std::string>(), default_port);
            if (!p.broker) throw config_error(at, "\"" + e.get<std::string>().substr(0, 80) + "\": " + p.error);
            out.push_back(std::move(*p.broker));
            return;
        }
        if (!e.is_object()) {
            throw config_error(at, std::string("must be \"host[:port]\" or {\"host\", \"port\"}, not ") +
                                       type_name(e));
        }
        object_reader er(e, at);
        mqtt_broker b;
        b.host = er.get_string("host");
        if (!host_ok(b.host) && b.host.find(':') == std::string::npos) er.fail("host", "not a host name or address");
        b.port = static_cast<std::uint16_t>(er.get_int("port", 1, 65535, default_port));
        er.finish();
        out.push_back(std::move(b));
    });
    for (std::size_t i = 0; i < out.size(); ++i) {
        for (std::size_t k = 0; k < i; ++k) {
            if (out[i] == out[k]) {
                throw config_error(path + "/" + std::to_string(i),
                                   out[i].host + ":" + std::to_string(out[i].port) + " is listed twice (also at " +
                                       path + "/" + std::to_string(k) + ")");
            }
        }
    }
    return out;
}

}  // namespace piogate::config
