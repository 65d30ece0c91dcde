// Everything a client is configured with before it connects.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

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
};

struct client_options {
    std::string client_id;      // empty: a random id "piogate-XXXXXXXX"; needs clean_session
    bool clean_session = true;
    protocol_version protocol = protocol_version::v311;
    transport_kind transport = transport_kind::tcp;
    std::optional<tls_options> tls;  // set to use TLS
    std::optional<std::string> username;
    std::optional<std::string> password;
    std::optional<will_message> will;

    std::uint16_t max_inflight = 20;      // QoS 1/2 messages awaiting acknowledgement
    std::size_t max_queued = 100000;      // waiting messages (offline or window full); 0 = no bound
    queue_full_policy when_full = queue_full_policy::reject;
    std::uint32_t max_packet_size = 16 * 1024 * 1024;  // largest inbound packet accepted, bytes
    std::chrono::milliseconds connect_timeout{10000};  // TCP + TLS + CONNACK
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
};

}  // namespace piogate::mqtt
