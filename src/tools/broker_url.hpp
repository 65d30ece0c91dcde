// -L URL of the tools, as mosquitto_pub / mosquitto_sub take it:
//   mqtt://[USER[:PASS]@]HOST[:PORT]/TOPIC      (mqtts: the same over TLS)
//   ws://[USER[:PASS]@]HOST[:PORT][/PATH]       (wss: the same over TLS; PATH is the
//                                                WebSocket path, the topic comes from -t)
// Default ports: mqtt 1883, mqtts 8883, ws 80, wss 443. IPv6 hosts in brackets.
//
// Pure; throws usage_error naming the URL.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <optional>
#include <string>
#include <string_view>

#include "piogate/mqtt/broker_address.hpp"
#include "piogate/mqtt/client_options.hpp"

namespace piogate::tools {

struct broker_url {
    mqtt::broker_address broker;  // transport tcp or websockets
    bool tls = false;
    std::optional<std::string> topic;    // mqtt(s): the path without its '/', if any
    std::optional<std::string> ws_path;  // ws(s): the path, if any
    std::optional<std::string> username;
    std::optional<std::string> password;
};

broker_url parse_broker_url(std::string_view url);

// --proxy URL: http://[USER[:PASS]@]HOST[:PORT] (HTTP CONNECT, default port 8080) or
// socks5://... / socks5h://... (SOCKS5, default port 1080; the proxy resolves the broker's
// name either way). Throws usage_error naming the URL.
mqtt::proxy_options parse_proxy_url(std::string_view url);

}  // namespace piogate::tools
