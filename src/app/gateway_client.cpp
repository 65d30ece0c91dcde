#include "app/gateway_client.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <stdexcept>

#include "config/bounded_file.hpp"
#include "log/log.hpp"
#include "piogate/mqtt/broker_address.hpp"

namespace piogate::app {

namespace {
const log::logger mqtt_log("mqtt");
}

namespace {

std::string read_secret(const std::string& path, const char* what) {
    try {
        return config::read_password_file(path);  // bounded: 4 KiB
    } catch (const config::file_error& e) {
        throw std::runtime_error(std::string(what) + " " + e.what());
    }
}

mqtt::transport_kind kind_of(config::mqtt_transport_kind k) {
    switch (k) {
        case config::mqtt_transport_kind::websockets: return mqtt::transport_kind::websockets;
        case config::mqtt_transport_kind::unix_socket: return mqtt::transport_kind::unix_socket;
        case config::mqtt_transport_kind::tcp: break;
    }
    return mqtt::transport_kind::tcp;
}

}  // namespace

std::vector<mqtt::broker_address> broker_addresses_of(const config::mqtt_config& m) {
    std::vector<mqtt::broker_address> out;
    const auto kind = kind_of(m.transport.kind);
    for (const auto& b : m.brokers) out.push_back({b.host, b.port ? b.port : std::uint16_t{1883}, kind});
    return out;
}

mqtt::client_options client_options_of(const config::mqtt_config& m) {
    mqtt::client_options o;
    o.transport = kind_of(m.transport.kind);
    o.websocket.path = m.transport.ws_path;
    o.websocket.headers = m.transport.ws_headers;
    if (const auto& p = m.transport.proxy) {
        mqtt::proxy_options po;
        po.kind = p->socks5 ? mqtt::proxy_kind::socks5 : mqtt::proxy_kind::http;
        po.host = p->host;
        po.port = p->port;
        if (!p->username.empty()) po.username = p->username;
        if (!p->password_file.empty()) po.password = read_secret(p->password_file, "mqtt proxy password_file");
        o.proxy = std::move(po);
    }
    o.client_id = m.client_id;
    o.clean_session = m.clean_session;
    o.protocol = mqtt::protocol_version::v311;
    if (m.protocol == "3.1") o.protocol = mqtt::protocol_version::v31;
    if (m.protocol == "5") o.protocol = mqtt::protocol_version::v5;
    if (o.protocol == mqtt::protocol_version::v5 && m.session_expiry_s != 0) {
        o.mqtt5.session_expiry_interval = m.session_expiry_s;
    }
    if (m.tls.enabled) {
        mqtt::tls_options t;
        t.ca_file = m.tls.ca_file;
        t.cert_file = m.tls.cert_file;
        t.key_file = m.tls.key_file;
        t.insecure = m.tls.insecure;
        t.alpn_protocols = m.tls.alpn;
        o.tls = t;
    }
    if (!m.username.empty()) o.username = m.username;
    if (!m.password_file.empty()) {
        o.password = read_secret(m.password_file, "mqtt password_file");
    }
    o.will = mqtt::will_message{m.topic_prefix + "/status", "offline", 1, true};
    o.reconnect_min_delay = m.reconnect_min;
    o.reconnect_max_delay = m.reconnect_max;
    o.reconnect_spread = m.reconnect_spread;
    o.max_queued = m.max_queued;
    o.when_full = m.drop_oldest ? mqtt::queue_full_policy::drop_oldest : mqtt::queue_full_policy::reject;
    return o;
}

std::string endpoint_text(const std::string& host, std::uint16_t port) {
    if (port == 0) return host;  // a Unix socket's path
    return mqtt::to_string(mqtt::broker_address{host, port});
}

std::string brokers_text(const config::mqtt_config& m) {
    const bool ws = m.transport.kind == config::mqtt_transport_kind::websockets;
    const auto one = [&](const std::string& host, std::uint16_t port) {
        if (m.transport.kind == config::mqtt_transport_kind::unix_socket) return "unix:" + host;
        if (!ws) return endpoint_text(host, port);
        return (m.tls.enabled ? "wss://" : "ws://") + endpoint_text(host, port) + m.transport.ws_path;
    };
    std::string out;
    if (m.brokers.size() <= 1) {
        out = "broker " + one(m.host, m.port);
    } else {
        out = "brokers ";
        for (std::size_t i = 0; i < m.brokers.size(); ++i) {
            out += (i ? ", " : "") + one(m.brokers[i].host, m.brokers[i].port);
        }
        out += " (in this order)";
    }
    if (m.tls.enabled && !ws) out += " (TLS)";  // wss:// says it already
    if (const auto& p = m.transport.proxy) {
        out += std::string(" via ") + (p->socks5 ? "SOCKS5" : "HTTP") + " proxy " +
               endpoint_text(p->host, p->port);
    }
    return out;
}

mqtt::properties reading_properties(const config::piogate_config& c, std::string_view topic) {
    mqtt::properties p;
    if (c.mqtt.protocol != "5") return p;
    p.content_type = "application/json";
    const std::string base = c.mqtt.topic_prefix + "/sensors/";
    if (!topic.starts_with(base)) return p;
    const std::string_view id = topic.substr(base.size());
    for (const auto& s : c.sensors) {
        if (s.id == id) {
            p.message_expiry_interval = s.expiry_s;
            break;
        }
    }
    return p;
}

void log_mqtt(mqtt::log_level level, std::string_view text) {
    switch (level) {
        case mqtt::log_level::error: mqtt_log.error(text); break;
        case mqtt::log_level::warning: mqtt_log.warning(text); break;
        case mqtt::log_level::debug: mqtt_log.debug(text); break;
        default: mqtt_log.info(text); break;
    }
}

}  // namespace piogate::app
