#include "app/gateway_client.hpp"

#include <stdexcept>

#include "config/bounded_file.hpp"
#include "log/log.hpp"
#include "piogate/mqtt/broker_address.hpp"

namespace piogate::app {

namespace {
const log::logger mqtt_log("mqtt");
}

mqtt::client_options client_options_of(const config::mqtt_config& m) {
    mqtt::client_options o;
    o.client_id = m.client_id;
    o.clean_session = m.clean_session;
    o.protocol = m.protocol == "3.1" ? mqtt::protocol_version::v31 : mqtt::protocol_version::v311;
    if (m.tls.enabled) {
        mqtt::tls_options t;
        t.ca_file = m.tls.ca_file;
        t.cert_file = m.tls.cert_file;
        t.key_file = m.tls.key_file;
        t.insecure = m.tls.insecure;
        o.tls = t;
    }
    if (!m.username.empty()) o.username = m.username;
    if (!m.password_file.empty()) {
        try {
            o.password = config::read_password_file(m.password_file);  // bounded: 4 KiB
        } catch (const config::file_error& e) {
            throw std::runtime_error(std::string("mqtt password_file ") + e.what());
        }
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
    return mqtt::to_string(mqtt::broker_address{host, port});
}

std::string brokers_text(const config::mqtt_config& m) {
    if (m.brokers.size() <= 1) return "broker " + endpoint_text(m.host, m.port);
    std::string out = "brokers ";
    for (std::size_t i = 0; i < m.brokers.size(); ++i) {
        out += (i ? ", " : "") + endpoint_text(m.brokers[i].host, m.brokers[i].port);
    }
    return out + " (in this order)";
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
