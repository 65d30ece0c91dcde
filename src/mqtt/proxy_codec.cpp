#include "mqtt/proxy_codec.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <utility>

namespace piogate::mqtt {
namespace {

constexpr std::uint8_t socks_version = 0x05;
constexpr std::uint8_t method_none = 0x00;
constexpr std::uint8_t method_userpass = 0x02;
constexpr std::uint8_t method_unacceptable = 0xFF;
constexpr std::uint8_t atyp_ipv4 = 0x01;
constexpr std::uint8_t atyp_domain = 0x03;
constexpr std::uint8_t atyp_ipv6 = 0x04;
constexpr std::size_t reason_limit = 100;  // characters of a proxy's text kept in errors

bool is_ipv6_literal(const std::string& host) {
    return host.find(':') != std::string::npos;
}

// No control characters, spaces or DEL: anything that could end or split a header line.
bool is_token_safe(std::string_view s) {
    return std::none_of(s.begin(), s.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u <= 0x20 || u == 0x7F;
    });
}

// A proxy's text for an error message: printable ASCII, cut to reason_limit characters.
std::string printable(std::string_view s) {
    std::string out;
    for (char c : s.substr(0, reason_limit)) {
        const auto u = static_cast<unsigned char>(c);
        out += (u >= 0x20 && u < 0x7F) ? c : '?';
    }
    if (s.size() > reason_limit) out += "...";
    return out;
}

std::errc http_status_errc(int status) {
    if (status == 401 || status == 403 || status == 407) return std::errc::permission_denied;
    if (status == 504) return std::errc::timed_out;
    return std::errc::connection_refused;
}

}  // namespace

std::string base64_encode(std::string_view in) {
    static constexpr char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((in.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 3 <= in.size(); i += 3) {
        const std::uint32_t v =
            static_cast<std::uint32_t>(static_cast<unsigned char>(in[i])) << 16 |
            static_cast<std::uint32_t>(static_cast<unsigned char>(in[i + 1])) << 8 |
            static_cast<unsigned char>(in[i + 2]);
        for (int shift = 18; shift >= 0; shift -= 6) out += alphabet[(v >> shift) & 0x3F];
    }
    const std::size_t rest = in.size() - i;
    if (rest > 0) {
        std::uint32_t v = static_cast<std::uint32_t>(static_cast<unsigned char>(in[i])) << 16;
        if (rest == 2) v |= static_cast<std::uint32_t>(static_cast<unsigned char>(in[i + 1])) << 8;
        out += alphabet[(v >> 18) & 0x3F];
        out += alphabet[(v >> 12) & 0x3F];
        out += rest == 2 ? alphabet[(v >> 6) & 0x3F] : '=';
        out += '=';
    }
    return out;
}

std::uint16_t effective_proxy_port(const proxy_options& proxy) {
    if (proxy.port != 0) return proxy.port;
    return proxy.kind == proxy_kind::http ? 8080 : 1080;
}

std::string proxy_authority(const std::string& host, std::uint16_t port) {
    const std::string h = is_ipv6_literal(host) ? "[" + host + "]" : host;
    return h + ":" + std::to_string(port);
}

// --- HTTP ---

http_connect_request encode_http_connect(const std::string& host, std::uint16_t port,
                                         const std::optional<std::string>& username,
                                         const std::optional<std::string>& password) {
    http_connect_request r;
    const auto invalid = [&](std::string why) {
        r.error = proxy_error{std::errc::invalid_argument, std::move(why)};
        return r;
    };
    if (host.empty()) return invalid("empty broker host");
    if (port == 0) return invalid("broker port 0");
    if (!is_token_safe(host)) return invalid("broker host contains spaces or control characters");
    if (!username && password) return invalid("proxy password set without a username");
    if (username) {
        if (username->find(':') != std::string::npos)
            return invalid("proxy username contains ':' (HTTP Basic cannot carry it)");
        const auto bad = [](std::string_view s) {
            return std::any_of(s.begin(), s.end(), [](char c) {
                const auto u = static_cast<unsigned char>(c);
                return u < 0x20 || u == 0x7F;
            });
        };
        if (bad(*username) || (password && bad(*password)))
            return invalid("proxy credentials contain control characters");
    }
    const std::string authority = proxy_authority(host, port);
    r.bytes = "CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n";
    if (username)
        r.bytes += "Proxy-Authorization: Basic " +
                   base64_encode(*username + ":" + password.value_or("")) + "\r\n";
    r.bytes += "\r\n";
    return r;
}

void http_connect_parser::fail(std::errc code, std::string reason) {
    step_ = proxy_step::failed;
    error_ = proxy_error{code, std::move(reason)};
}

std::size_t http_connect_parser::feed(std::span<const std::uint8_t> in) {
    std::size_t used = 0;
    while (step_ == proxy_step::need_more && used < in.size()) {
        if (total_ == max_size_) {
            fail(std::errc::message_size,
                 "reply headers longer than " + std::to_string(max_size_) + " bytes");
            break;
        }
        const char c = static_cast<char>(in[used++]);
        ++total_;
        if (c == '\n') {
            if (!line_.empty() && line_.back() == '\r') line_.pop_back();
            line_complete();
            line_.clear();
            continue;
        }
        line_ += c;
        // Fail early on bytes that cannot begin "HTTP/": a SOCKS proxy, an MQTT broker, noise.
        if (!in_headers_ && line_.size() <= 5 && !std::string_view("HTTP/").starts_with(line_))
            fail(std::errc::protocol_error,
                 "reply is not HTTP (starts with \"" + printable(line_) + "\")");
    }
    return used;
}

void http_connect_parser::line_complete() {
    if (!in_headers_) {
        // "HTTP/1.1 200 Connection established": version, 3-digit status, optional reason.
        const std::string_view line = line_;
        const auto malformed = [&] {
            fail(std::errc::protocol_error, "malformed status line \"" + printable(line) + "\"");
        };
        if (line.size() < 12 || !line.starts_with("HTTP/1.") || line[8] != ' ' ||
            (line.size() > 12 && line[12] != ' '))
            return malformed();
        int status = 0;
        const auto digits = line.substr(9, 3);
        const auto [end, ec] = std::from_chars(digits.data(), digits.data() + 3, status);
        if (ec != std::errc{} || end != digits.data() + 3 || status < 100) return malformed();
        status_ = status;
        reason_phrase_ = line.size() > 13 ? printable(line.substr(13)) : std::string{};
        in_headers_ = true;
        return;
    }
    if (!line_.empty()) {
        const auto colon = line_.find(':');
        if (colon == 0 || colon == std::string::npos)
            fail(std::errc::protocol_error, "malformed header line \"" + printable(line_) + "\"");
        return;
    }
    // The empty line: this response is complete.
    if (status_ < 200) {  // 1xx interim response: the real one follows
        in_headers_ = false;
        return;
    }
    if (status_ < 300) {
        step_ = proxy_step::done;
        return;
    }
    std::string text = std::to_string(status_);
    if (!reason_phrase_.empty()) text += " " + reason_phrase_;
    // 401: tinyproxy 1.11 answers a CONNECT without valid BasicAuth so, not with 407.
    if (status_ == 401 || status_ == 407) text += " (authentication required or refused)";
    fail(http_status_errc(status_), std::move(text));
}

// --- SOCKS5 ---

std::string socks5_reply_text(std::uint8_t rep) {
    switch (rep) {
        case 0x00:
            return "succeeded";
        case 0x01:
            return "general SOCKS server failure";
        case 0x02:
            return "connection not allowed by ruleset";
        case 0x03:
            return "network unreachable";
        case 0x04:
            return "host unreachable";
        case 0x05:
            return "connection refused by the destination host";
        case 0x06:
            return "TTL expired";
        case 0x07:
            return "command not supported";
        case 0x08:
            return "address type not supported";
        default:
            return "unknown reply code " + std::to_string(rep);
    }
}

namespace {

std::errc socks5_reply_errc(std::uint8_t rep) {
    switch (rep) {
        case 0x02:
            return std::errc::permission_denied;
        case 0x03:
            return std::errc::network_unreachable;
        case 0x04:
            return std::errc::host_unreachable;
        case 0x06:
            return std::errc::timed_out;
        case 0x07:
            return std::errc::operation_not_supported;
        case 0x08:
            return std::errc::address_family_not_supported;
        default:
            return std::errc::connection_refused;
    }
}

// What makes a SOCKS5 CONNECT impossible to send, if anything.
std::optional<std::string> socks5_invalid_input(const std::string& host, std::uint16_t port,
                                                const std::optional<std::string>& username,
                                                const std::optional<std::string>& password) {
    if (host.empty()) return "empty broker host";
    if (host.size() > 255) return "broker host longer than 255 bytes";
    if (port == 0) return "broker port 0";
    if (!username && password) return "proxy password set without a username";
    if (username &&
        (username->empty() || username->size() > 255 || (password && password->size() > 255)))
        return "proxy username must be 1..255 bytes and password at most 255 (RFC 1929)";
    return std::nullopt;
}

}  // namespace

socks5_handshake::socks5_handshake(const std::string& host, std::uint16_t port,
                                   const std::optional<std::string>& username,
                                   const std::optional<std::string>& password)
    : host_(host), port_(port), username_(username), password_(password) {
    if (auto why = socks5_invalid_input(host, port, username, password)) {
        fail(std::errc::invalid_argument, std::move(*why));
        return;
    }
    output_ = username ? proxy_bytes{socks_version, 2, method_none, method_userpass}
                       : proxy_bytes{socks_version, 1, method_none};
    expected_ = 2;  // VER METHOD
}

void socks5_handshake::fail(std::errc code, std::string reason) {
    step_ = proxy_step::failed;
    error_ = proxy_error{code, std::move(reason)};
    output_.clear();
}

proxy_bytes socks5_handshake::take_output() {
    return std::exchange(output_, {});
}

std::size_t socks5_handshake::bytes_wanted() const {
    return step_ == proxy_step::need_more ? expected_ - reply_.size() : 0;
}

std::size_t socks5_handshake::feed(std::span<const std::uint8_t> in) {
    if (step_ != proxy_step::need_more) return 0;
    const std::size_t n = std::min(in.size(), expected_ - reply_.size());
    reply_.insert(reply_.end(), in.begin(), in.begin() + static_cast<std::ptrdiff_t>(n));
    // A refusal is known from REP, the second byte: a proxy that closes right after it still
    // gets its reason reported.
    if (phase_ == phase::connect && expected_ == 5 && reply_.size() >= 2 &&
        (reply_[0] != socks_version || reply_[1] != 0x00)) {
        check_connect_header();
        return n;
    }
    if (reply_.size() == expected_) message_complete();
    return n;
}

void socks5_handshake::queue_connect() {
    proxy_bytes req{socks_version, 0x01 /* CONNECT */, 0x00};
    std::array<std::uint8_t, 16> addr{};
    if (::inet_pton(AF_INET, host_.c_str(), addr.data()) == 1) {
        req.push_back(atyp_ipv4);
        req.insert(req.end(), addr.begin(), addr.begin() + 4);
    } else if (::inet_pton(AF_INET6, host_.c_str(), addr.data()) == 1) {
        req.push_back(atyp_ipv6);
        req.insert(req.end(), addr.begin(), addr.end());
    } else {
        req.push_back(atyp_domain);
        req.push_back(static_cast<std::uint8_t>(host_.size()));
        req.insert(req.end(), host_.begin(), host_.end());
    }
    req.push_back(static_cast<std::uint8_t>(port_ >> 8));
    req.push_back(static_cast<std::uint8_t>(port_ & 0xFF));
    output_ = std::move(req);
    phase_ = phase::connect;
    reply_.clear();
    expected_ = 5;  // VER REP RSV ATYP and the first address byte (a domain's length)
}

bool socks5_handshake::check_connect_header() {
    if (reply_[0] != socks_version) {
        fail(std::errc::protocol_error,
             "reply is not SOCKS5 (version byte " + std::to_string(reply_[0]) + ")");
        return false;
    }
    if (reply_[1] != 0x00) {
        fail(socks5_reply_errc(reply_[1]), socks5_reply_text(reply_[1]));
        return false;
    }
    return true;
}

void socks5_handshake::message_complete() {
    switch (phase_) {
        case phase::method: {
            if (reply_[0] != socks_version)
                return fail(std::errc::protocol_error,
                            "reply is not SOCKS5 (version byte " + std::to_string(reply_[0]) + ")");
            const std::uint8_t method = reply_[1];
            if (method == method_none) return queue_connect();
            if (method == method_userpass && username_) {
                proxy_bytes req{0x01, static_cast<std::uint8_t>(username_->size())};
                req.insert(req.end(), username_->begin(), username_->end());
                const std::string pass = password_.value_or("");
                req.push_back(static_cast<std::uint8_t>(pass.size()));
                req.insert(req.end(), pass.begin(), pass.end());
                output_ = std::move(req);
                phase_ = phase::auth;
                reply_.clear();
                expected_ = 2;  // VER STATUS
                return;
            }
            if (method == method_unacceptable)
                return fail(std::errc::permission_denied,
                            username_ ? "no acceptable authentication method (offered none and "
                                        "username/password)"
                                      : "authentication required (no proxy username set)");
            return fail(std::errc::protocol_error, "chose authentication method " +
                                                       std::to_string(method) +
                                                       ", which was not offered");
        }
        case phase::auth:
            // RFC 1929 says version 1; some servers answer with 5. Only the status matters.
            if (reply_[0] != 0x01 && reply_[0] != socks_version)
                return fail(std::errc::protocol_error,
                            "malformed authentication reply (version byte " +
                                std::to_string(reply_[0]) + ")");
            if (reply_[1] != 0x00)
                return fail(std::errc::permission_denied,
                            "username/password authentication failed (status " +
                                std::to_string(reply_[1]) + ")");
            return queue_connect();
        case phase::connect: {
            if (reply_.size() == 5) {  // header known: check it, then learn the full length
                if (!check_connect_header()) return;
                switch (reply_[3]) {
                    case atyp_ipv4:
                        expected_ = 4 + 4 + 2;
                        break;
                    case atyp_ipv6:
                        expected_ = 4 + 16 + 2;
                        break;
                    case atyp_domain:
                        expected_ = 4 + 1 + std::size_t{reply_[4]} + 2;
                        break;
                    default:
                        return fail(std::errc::protocol_error,
                                    "reply with unknown address type " + std::to_string(reply_[3]));
                }
                return;
            }
            phase_ = phase::finished;
            step_ = proxy_step::done;
            return;
        }
        case phase::finished:
            return;
    }
}

}  // namespace piogate::mqtt
