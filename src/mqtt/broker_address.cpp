#include "piogate/mqtt/broker_address.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <charconv>
#include <stdexcept>

namespace piogate::mqtt {

transport_kind effective_transport(const broker_address& b, transport_kind client_default) {
    return b.transport == transport_kind::tcp ? client_default : b.transport;
}

void check_broker_address(const broker_address& b, transport_kind client_default) {
    if (b.host.empty()) throw std::invalid_argument("broker host must not be empty");
    if (b.port == 0 && effective_transport(b, client_default) != transport_kind::unix_socket) {
        throw std::invalid_argument("broker " + b.host + ": port 0");
    }
}

std::string to_string(const broker_address& b) {
    if (b.transport == transport_kind::unix_socket) return "unix://" + b.host;
    const bool v6 = b.host.find(':') != std::string::npos;
    return (b.transport == transport_kind::websockets ? "ws://" : "") +
           (v6 ? "[" + b.host + "]" : b.host) + ":" + std::to_string(b.port);
}

namespace {

[[noreturn]] void bad(std::string_view text, std::string_view why) {
    throw std::invalid_argument("invalid broker address '" + std::string(text) +
                                "': " + std::string(why));
}

std::uint16_t parse_port(std::string_view whole, std::string_view digits) {
    unsigned value = 0;
    const auto* end = digits.data() + digits.size();
    const auto [ptr, ec] = std::from_chars(digits.data(), end, value);
    if (digits.empty() || ec != std::errc() || ptr != end || value < 1 || value > 65535) {
        bad(whole, "the port must be a number 1..65535");
    }
    return static_cast<std::uint16_t>(value);
}

}  // namespace

broker_address parse_broker_address(std::string_view text, std::uint16_t default_port) {
    broker_address b;
    b.port = default_port;
    std::string_view rest = text;
    if (rest.starts_with("unix:")) {
        rest.remove_prefix(rest.starts_with("unix://") ? 7 : 5);
        if (rest.empty()) bad(text, "no socket path");
        b.host = std::string(rest);
        b.transport = transport_kind::unix_socket;
        return b;
    }
    if (const auto scheme = rest.find("://"); scheme != std::string_view::npos) {
        const std::string_view name = rest.substr(0, scheme);
        if (name == "ws") {
            b.transport = transport_kind::websockets;
        } else if (name != "tcp" && name != "mqtt") {
            bad(text,
                "only tcp://, mqtt://, ws:// and unix:// are supported (TLS is set per client)");
        }
        rest.remove_prefix(scheme + 3);
    }
    if (rest.starts_with('[')) {
        const auto close = rest.find(']');
        if (close == std::string_view::npos) bad(text, "no ']' after the IPv6 address");
        b.host = std::string(rest.substr(1, close - 1));
        const std::string_view after = rest.substr(close + 1);
        if (!after.empty()) {
            if (after[0] != ':') bad(text, "expected ':PORT' after ']'");
            b.port = parse_port(text, after.substr(1));
        }
    } else if (rest.find(':') != rest.rfind(':')) {
        b.host = std::string(rest);  // a bare IPv6 literal: no port can be told apart
    } else if (const auto colon = rest.find(':'); colon != std::string_view::npos) {
        b.host = std::string(rest.substr(0, colon));
        b.port = parse_port(text, rest.substr(colon + 1));
    } else {
        b.host = std::string(rest);
    }
    if (b.host.empty()) bad(text, "no host");
    if (b.host.find_first_of("[]/ ") != std::string::npos) bad(text, "not a host name or address");
    return b;
}

}  // namespace piogate::mqtt
