// async_client's options (async_client_options.hpp).
#include "mqtt/async_client_options.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <cstdio>
#include <random>
#include <stdexcept>
#include <string>

#include "mqtt/mqtt5_checks.hpp"
#include "piogate/mqtt/topic.hpp"

namespace piogate::mqtt {
namespace {

std::string random_client_id() {
    std::random_device rd;
    char buf[17];
    std::snprintf(buf, sizeof buf, "%08x", static_cast<unsigned>(rd()));
    return std::string("piogate-") + buf;
}

}  // namespace

client_options validated(client_options o) {
    if (o.client_id.empty()) {
        if (!o.clean_session) {
            throw std::invalid_argument(
                "an empty client id needs clean_session = true (MQTT 3.1.1 section 3.1.3.1)");
        }
        o.client_id = random_client_id();
    }
    if (o.client_id.size() > 65535 || !is_valid_utf8(o.client_id)) {
        throw std::invalid_argument("client id must be valid UTF-8 of at most 65535 bytes");
    }
    check_connect_properties(o);
    if (o.will) {
        if (!is_valid_topic_name(o.will->topic)) {
            throw std::invalid_argument("invalid will topic: '" + o.will->topic + "'");
        }
        if (o.will->qos < 0 || o.will->qos > 2)
            throw std::invalid_argument("will QoS must be 0..2");
    }
    if (o.password && !o.username && o.protocol == protocol_version::v311) {
        throw std::invalid_argument("a password needs a user name in MQTT 3.1.1");
    }
    return o;
}

session_config to_session_config(const client_options& o) {
    session_config c;
    c.version = o.protocol;
    c.client_id = o.client_id;
    c.clean_session = o.clean_session;
    c.will = o.will;
    c.username = o.username;
    c.password = o.password;
    c.max_inflight = o.max_inflight;
    c.max_queued = o.max_queued;
    c.when_full = o.when_full;
    c.max_packet_size = o.max_packet_size;
    c.connect_timeout = o.connect_timeout;
    c.resubscribe = o.resubscribe;
    c.log_packets = o.log_packets;
    if (o.protocol == protocol_version::v5) c.mqtt5 = o.mqtt5;
    return c;
}

}  // namespace piogate::mqtt
