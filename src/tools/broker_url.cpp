#include "broker_url.hpp"
// SPDX-License-Identifier: Apache-2.0
#include "cli_options.hpp"

namespace piogate::tools {
namespace {

// USER[:PASS]@ at the front of `authority`, removed from it.
void take_credentials(std::string_view& authority, std::optional<std::string>& user,
                      std::optional<std::string>& password, const auto& bad) {
    const auto at = authority.rfind('@');
    if (at == std::string_view::npos) return;
    const std::string_view both = authority.substr(0, at);
    const auto colon = both.find(':');
    user = std::string(both.substr(0, colon));
    if (colon != std::string_view::npos) password = std::string(both.substr(colon + 1));
    if (user->empty()) throw bad("empty user name");
    authority.remove_prefix(at + 1);
}

}  // namespace

mqtt::proxy_options parse_proxy_url(std::string_view url) {
    const auto bad = [&](const std::string& why) {
        return usage_error("invalid proxy URL '" + std::string(url) + "' for --proxy: " + why);
    };
    mqtt::proxy_options p;
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos) throw bad("no scheme (http://, socks5://, socks5h://)");
    const std::string_view scheme = url.substr(0, scheme_end);
    if (scheme == "http") {
        p.kind = mqtt::proxy_kind::http;
    } else if (scheme == "socks5" || scheme == "socks5h") {
        p.kind = mqtt::proxy_kind::socks5;
    } else {
        throw bad("unknown scheme '" + std::string(scheme) + "' (http, socks5, socks5h)");
    }
    std::string_view authority = url.substr(scheme_end + 3);
    if (authority.ends_with('/')) authority.remove_suffix(1);
    if (authority.find('/') != std::string_view::npos) throw bad("a proxy URL has no path");
    take_credentials(authority, p.username, p.password, bad);
    try {
        const mqtt::broker_address a =
            mqtt::parse_broker_address(authority, p.kind == mqtt::proxy_kind::http ? 8080 : 1080);
        p.host = a.host;
        p.port = a.port;
    } catch (const std::invalid_argument& e) {
        throw bad(e.what());
    }
    return p;
}

broker_url parse_broker_url(std::string_view url) {
    const auto bad = [&](const std::string& why) {
        return usage_error("invalid URL '" + std::string(url) + "' for -L: " + why);
    };
    broker_url u;
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos) throw bad("no scheme (mqtt://, mqtts://, ws://, wss://)");
    const std::string_view scheme = url.substr(0, scheme_end);
    std::uint16_t port = 0;
    bool ws = false;
    if (scheme == "mqtt") {
        port = 1883;
    } else if (scheme == "mqtts") {
        port = 8883, u.tls = true;
    } else if (scheme == "ws") {
        port = 80, ws = true;
    } else if (scheme == "wss") {
        port = 443, ws = true, u.tls = true;
    } else {
        throw bad("unknown scheme '" + std::string(scheme) + "' (mqtt, mqtts, ws, wss)");
    }
    std::string_view rest = url.substr(scheme_end + 3);
    const auto slash = rest.find('/');
    std::string_view authority = rest.substr(0, slash);
    if (slash != std::string_view::npos) {
        const std::string_view path = rest.substr(slash);
        if (ws) {
            u.ws_path = std::string(path);
        } else if (path.size() > 1) {
            u.topic = std::string(path.substr(1));
        }
    }
    take_credentials(authority, u.username, u.password, bad);
    try {
        u.broker = mqtt::parse_broker_address(authority, port);
    } catch (const std::invalid_argument& e) {
        throw bad(e.what());
    }
    if (ws) u.broker.transport = mqtt::transport_kind::websockets;
    return u;
}

}  // namespace piogate::tools
