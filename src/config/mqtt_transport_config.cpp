#include "config/mqtt_transport_config.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <cctype>
#include <string_view>

#include "config/mqtt_names.hpp"

namespace piogate::config {
namespace {

// An HTTP header field name: an RFC 9110 token.
bool is_token(std::string_view s) {
    if (s.empty() || s.size() > 256) return false;
    return std::all_of(s.begin(), s.end(), [](unsigned char c) {
        return std::isalnum(c) || std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) !=
                                      std::string_view::npos;
    });
}

// A header value or a request path: visible ASCII, spaces and tabs (paths: no spaces), no
// CR/LF that would end the header early.
bool is_field_text(std::string_view s, bool allow_space) {
    if (s.size() > 4096) return false;
    return std::all_of(s.begin(), s.end(), [&](unsigned char c) {
        return (c > 0x20 && c < 0x7f) || c >= 0x80 || (allow_space && (c == ' ' || c == '\t'));
    });
}

// Headers the WebSocket upgrade itself sets; a second copy would break the handshake.
bool is_reserved_header(std::string name) {
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return name == "host" || name == "upgrade" || name == "connection" ||
           name.rfind("sec-websocket-", 0) == 0 || name == "content-length" ||
           name == "transfer-encoding";
}

std::vector<std::pair<std::string, std::string>> read_headers(object_reader& r) {
    std::vector<std::pair<std::string, std::string>> out;
    const json* h = r.get_child("ws_headers");
    if (!h) return out;
    const std::string path = child_path(r.path(), "ws_headers");
    if (!h->is_object()) {
        throw config_error(path, std::string("must be an object of header names and values, not ") +
                                     type_name(*h));
    }
    for (const auto& [name, value] : h->items()) {
        const std::string at = child_path(path, name);
        if (!is_token(name)) throw config_error(at, "is not a valid HTTP header name");
        if (is_reserved_header(name)) {
            throw config_error(at, "is set by the WebSocket upgrade itself and cannot be given");
        }
        if (!value.is_string()) {
            throw config_error(at, std::string("must be a string, not ") + type_name(value));
        }
        const auto& text = value.get_ref<const std::string&>();
        if (!is_field_text(text, true)) {
            throw config_error(at, "must be printable text without line breaks (at most 4096 bytes)");
        }
        out.emplace_back(name, text);
    }
    return out;
}

mqtt_proxy_config read_proxy(object_reader& parent) {
    object_reader r(*parent.get_child("proxy"), child_path(parent.path(), "proxy"));
    mqtt_proxy_config p;
    p.socks5 = r.get_choice("type", {"http", "socks5"}) == 1;
    p.host = r.get_string("host");
    if (p.host.empty() || !is_field_text(p.host, false)) {
        r.fail("host", "must be a host name or address");
    }
    p.port = static_cast<std::uint16_t>(r.get_int("port", 1, 65535, p.socks5 ? 1080 : 8080));
    p.username = r.get_string("username", std::string());
    if (p.username.size() > (p.socks5 ? 255u : 1024u) || !is_field_text(p.username, true)) {
        r.fail("username", p.socks5 ? "must be printable text of at most 255 bytes (SOCKS5)"
                                    : "must be printable text of at most 1024 bytes");
    }
    p.password_file = r.get_string("password_file", std::string());
    if (!p.password_file.empty() && p.username.empty()) {
        r.fail("password_file", "a proxy password needs a \"username\"");
    }
    r.finish();
    return p;
}

}  // namespace

const char* to_string(mqtt_transport_kind kind) noexcept {
    switch (kind) {
        case mqtt_transport_kind::tcp: return "tcp";
        case mqtt_transport_kind::websockets: return "websockets";
        case mqtt_transport_kind::unix_socket: return "unix";
    }
    return "?";
}

mqtt_transport_config read_mqtt_transport(object_reader& r, bool uses_tls) {
    mqtt_transport_config t;
    // "websocket" is how Paho's documentation spells the transport in places.
    const std::size_t kind = r.get_choice("transport", {"tcp", "websockets", "websocket", "unix"}, 0);
    t.kind = kind == 0   ? mqtt_transport_kind::tcp
             : kind == 3 ? mqtt_transport_kind::unix_socket
                         : mqtt_transport_kind::websockets;
    const bool ws = t.kind == mqtt_transport_kind::websockets;
    if (!ws) {
        for (const char* key : {"ws_path", "ws_headers"}) {
            if (r.has(key)) r.fail(key, "applies only with \"transport\": \"websockets\"");
        }
    }
    t.ws_path = r.get_string("ws_path", t.ws_path);
    if (t.ws_path.empty() || t.ws_path.front() != '/' || !is_field_text(t.ws_path, false)) {
        r.fail("ws_path", "must start with '/' and hold no spaces or control characters");
    }
    t.ws_headers = read_headers(r);

    if (t.kind == mqtt_transport_kind::unix_socket) {
        if (!r.has("unix_socket")) {
            r.fail("transport", "\"unix\" needs \"unix_socket\": the path of the broker's socket");
        }
        for (const char* key : {"host", "hosts", "port", "proxy", "bind_address"}) {
            if (r.has(key)) r.fail(key, "does not apply with \"transport\": \"unix\"");
        }
        if (uses_tls) r.fail("tls", "TLS over a Unix socket is not supported");
    } else if (r.has("unix_socket")) {
        r.fail("unix_socket", "applies only with \"transport\": \"unix\"");
    }
    t.unix_socket = r.get_string("unix_socket", std::string());
    if (t.kind == mqtt_transport_kind::unix_socket) {
        if (t.unix_socket.empty() || t.unix_socket.front() != '/') {
            r.fail("unix_socket", "must be an absolute path");
        }
        // sockaddr_un::sun_path holds 108 bytes with the terminating NUL.
        if (t.unix_socket.size() > 107) r.fail("unix_socket", "is longer than 107 bytes");
        if (t.unix_socket.find('\0') != std::string::npos) r.fail("unix_socket", "holds a NUL byte");
    }
    if (r.has("proxy")) t.proxy = read_proxy(r);
    return t;
}

}  // namespace piogate::config
