#include "config/mqtt_config.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <unistd.h>

#include <algorithm>

#include "config/mqtt_names.hpp"

namespace piogate::config {

std::string host_name() {
    char buf[256] = {};
    if (::gethostname(buf, sizeof buf - 1) != 0 || buf[0] == '\0') return "localhost";
    return buf;
}

mqtt_config read_mqtt_config(object_reader& parent) {
    mqtt_config m;
    m.client_id = "piogate-" + host_name();
    m.topic_prefix = "piogate/" + host_name();
    const json* j = parent.get_child("mqtt");
    if (!j) return m;
    object_reader r(*j, child_path(parent.path(), "mqtt"));
    m.host = r.get_string("host", m.host);
    if (m.host.empty()) r.fail("host", "must not be empty");
    if (const json* t = r.get_child("tls")) {
        object_reader tr(*t, child_path(r.path(), "tls"));
        m.tls.enabled = tr.get_bool("enabled", true);
        m.tls.ca_file = tr.get_string("ca_file", std::string());
        m.tls.cert_file = tr.get_string("cert_file", std::string());
        m.tls.key_file = tr.get_string("key_file", std::string());
        m.tls.insecure = tr.get_bool("insecure", false);
        tr.for_each("alpn", [&](const json& e, const std::string& at) {
            if (!e.is_string() || e.get_ref<const std::string&>().empty() ||
                e.get_ref<const std::string&>().size() > 255 ||
                mqtt_string_problem(e.get_ref<const std::string&>()) != "") {
                throw config_error(at, "must be a protocol name of 1 to 255 printable bytes");
            }
            m.tls.alpn.push_back(e.get<std::string>());
        });
        if (m.tls.cert_file.empty() != m.tls.key_file.empty()) {
            tr.fail(m.tls.cert_file.empty() ? "cert_file" : "key_file",
                    "cert_file and key_file go together");
        }
        tr.finish();
    }
    m.port = static_cast<std::uint16_t>(r.get_int("port", 1, 65535, m.tls.enabled ? 8883 : 1883));
    // "hosts": brokers tried in order (failover), back to the first on the next reconnect.
    // "port" is the default for entries without one; "host" and "hosts" exclude each other.
    m.brokers = read_brokers(r, m.port);
    if (m.brokers.empty()) {
        m.brokers = {{m.host, m.port}};
    } else if (r.has("host")) {
        r.fail("host", "give either \"host\" or \"hosts\", not both");
    } else {
        m.host = m.brokers.front().host;
        m.port = m.brokers.front().port;
    }
    m.client_id = r.get_string("client_id", m.client_id);
    m.clean_session = r.get_bool("clean_session", true);
    if (m.client_id.empty() && !m.clean_session) {
        r.fail("client_id", "an empty client id needs \"clean_session\": true");
    }
    const std::vector<std::string> protocols{"3.1", "3.1.1", "5", "5.0"};
    m.protocol = protocols[std::min<std::size_t>(r.get_choice("protocol", protocols, 1), 2)];
    if (m.protocol == "5") {
        m.session_expiry_s = static_cast<std::uint32_t>(
            r.get_int("session_expiry_s", 0, 0xFFFFFFFF, m.clean_session ? 0 : 0xFFFFFFFF));
    } else if (r.has("session_expiry_s")) {
        r.fail("session_expiry_s",
               "needs \"protocol\": \"5\" (MQTT " + m.protocol +
                   " has no session expiry; \"clean_session\": false keeps the session)");
    }
    if (auto problem = client_id_problem(m.client_id, m.protocol); !problem.empty()) {
        r.fail("client_id", r.has("client_id") ? problem
                                               : "the default client id \"" + m.client_id + "\" " + problem +
                                                     ": set a shorter client_id");
    }
    m.transport = read_mqtt_transport(r, m.tls.enabled);
    if (m.transport.kind == mqtt_transport_kind::unix_socket) {
        // The socket path is the one broker; port 0 marks it as a path in texts.
        m.host = m.transport.unix_socket;
        m.port = 0;
        m.brokers = {{m.host, 0}};
    }
    m.keepalive = static_cast<std::uint16_t>(r.get_int("keepalive_s", 0, 65535, 60));
    m.bind_address = r.get_string("bind_address", std::string());
    m.username = r.get_string("username", std::string());
    if (auto problem = mqtt_string_problem(m.username); !problem.empty()) r.fail("username", problem);
    m.password_file = r.get_string("password_file", std::string());
    if (!m.password_file.empty() && m.username.empty()) {
        r.fail("password_file", "a password needs a \"username\"");
    }
    m.reconnect_min = std::chrono::milliseconds(
        static_cast<std::int64_t>(r.get_number("reconnect_min_s", 0.01, 3600, 1) * 1000));
    m.reconnect_max = std::chrono::milliseconds(
        static_cast<std::int64_t>(r.get_number("reconnect_max_s", 0.01, 86400, 120) * 1000));
    if (m.reconnect_max < m.reconnect_min) r.fail("reconnect_max_s", "is below reconnect_min_s");
    m.reconnect_spread = std::chrono::milliseconds(
        static_cast<std::int64_t>(r.get_number("reconnect_spread_s", 0, 3600, 0) * 1000));
    m.max_queued = static_cast<std::size_t>(r.get_int("max_queued", 1, 10'000'000, 10000));
    m.drop_oldest = r.get_choice("queue_full", {"drop_oldest", "reject"}, 0) == 0;
    m.topic_prefix = r.get_string("topic_prefix", m.topic_prefix);
    if (auto problem = topic_problem(m.topic_prefix); !problem.empty()) r.fail("topic_prefix", problem);
    r.finish();
    return m;
}

}  // namespace piogate::config
