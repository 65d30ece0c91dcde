// Everything a client is configured with before it connects.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "piogate/mqtt/mqtt5_options.hpp"
#include "piogate/mqtt/types.hpp"

namespace piogate::mqtt {

struct tls_options {
    std::string ca_file;    // PEM bundle of trusted CAs; empty (and no ca_path) = system store
    std::string ca_path;    // directory of hashed CA certificates
    std::string cert_file;  // client certificate chain (PEM), optional
    std::string key_file;   // its private key (PEM)
    // Both checks are on by default. `insecure` turns off the host name check only, as
    // Paho's tls_insecure_set(True); verify_peer = false also accepts any certificate.
    bool verify_peer = true;
    bool insecure = false;
    // ALPN protocol names offered in the handshake, in order of preference; empty = no ALPN
    // extension. AWS IoT Core takes MQTT with client certificates on port 443 only with
    // {"x-amzn-mqtt-ca"}. SNI (the broker's host name) is always sent.
    std::vector<std::string> alpn_protocols;
};

// The WebSocket upgrade (transport websockets), as Paho's ws_set_options(path, headers).
struct websocket_options {
    std::string path = "/mqtt";  // request target of the upgrade; must start with '/'
    std::vector<std::pair<std::string, std::string>> headers;  // extra request headers
};

// A proxy between the client and the broker, for every TCP-based transport (tcp and
// websockets, with or without TLS), as Paho's proxy_set(). The client connects to the proxy
// (its name resolved here) and asks it for the broker's host and port (resolved by the proxy).
enum class proxy_kind : std::uint8_t { http, socks5 };
struct proxy_options {
    proxy_kind kind = proxy_kind::http;  // http: HTTP CONNECT; socks5: RFC 1928
    std::string host;
    std::uint16_t port = 0;  // 0: 8080 for http, 1080 for socks5
    std::optional<std::string> username;  // Basic auth (http) or RFC 1929 (socks5)
    std::optional<std::string> password;
};

struct client_options {
    std::string client_id;      // empty: a random id "piogate-XXXXXXXX"; needs clean_session
    bool clean_session = true;
    protocol_version protocol = protocol_version::v311;
    transport_kind transport = transport_kind::tcp;
    std::optional<tls_options> tls;  // set to use TLS (over tcp or websockets)
    websocket_options websocket;     // used with transport websockets
    std::optional<proxy_options> proxy;
    std::optional<std::string> username;
    std::optional<std::string> password;
    std::optional<will_message> will;

    std::uint16_t max_inflight = 20;      // QoS 1/2 messages awaiting acknowledgement
    std::size_t max_queued = 100000;      // waiting messages (offline or window full); 0 = no bound
    queue_full_policy when_full = queue_full_policy::reject;
    std::uint32_t max_packet_size = 16 * 1024 * 1024;  // largest inbound packet accepted, bytes
    // One budget per attempt: resolve, TCP, proxy, TLS, WebSocket upgrade and CONNACK.
    std::chrono::milliseconds connect_timeout{10000};
    std::chrono::milliseconds reconnect_min_delay{1000};
    std::chrono::milliseconds reconnect_max_delay{120000};
    // Fleets: after an established connection is lost, the first attempt waits a random time
    // drawn uniformly from [0, reconnect_spread] instead of reconnect_min_delay, so thousands
    // of clients dropped by one broker at once come back spread over that time, not in one
    // burst (never sooner than the backoff while it holds back an accept-then-drop storm).
    // Later attempts follow the backoff. 0 = off.
    std::chrono::milliseconds reconnect_spread{0};
    bool resubscribe = true;  // subscribe again when the broker did not keep the session
    bool log_packets = false;  // on_log gets a debug line per packet sent and received
    // MQTT 5.0 (protocol v5 only; ignored for 3.1 / 3.1.1): CONNECT properties (session
    // expiry, receive maximum, topic alias maximum, user properties, ...), the outbound topic
    // aliases we use and the enhanced-authentication hook. See mqtt5_options.hpp.
    connect_properties mqtt5;
};

}  // namespace piogate::mqtt
