#include "piogate/mqtt/error.hpp"
// SPDX-License-Identifier: Apache-2.0
namespace piogate::mqtt {
namespace {

class category final : public std::error_category {
public:
    const char* name() const noexcept override { return "mqtt"; }
    std::string message(int ev) const override {
        switch (static_cast<errc>(ev)) {
            case errc::success: return "success";
            case errc::no_connection: return "not connected";
            case errc::connection_lost: return "connection lost";
            case errc::connection_refused: return "connection refused by broker";
            case errc::connect_timeout: return "no CONNACK from broker in time";
            case errc::keepalive_timeout: return "no PINGRESP from broker within keepalive";
            case errc::malformed_packet: return "malformed packet from broker";
            case errc::protocol_error: return "protocol error";
            case errc::packet_too_large: return "inbound packet too large";
            case errc::queue_full: return "message queue full";
            case errc::message_dropped: return "message dropped from full queue";
            case errc::disconnected_by_user: return "disconnected by user";
            case errc::session_lost: return "broker did not keep the session";
            case errc::tls_error: return "TLS error";
            case errc::dns_failure: return "host name lookup failed";
            case errc::not_authorized: return "not authorized";
        }
        return "unknown mqtt error";
    }
};

}  // namespace

const std::error_category& mqtt_category() noexcept {
    static const category instance;
    return instance;
}

std::string connack_string(int return_code) {
    switch (return_code) {
        case 0: return "connection accepted";
        case 1: return "connection refused: unacceptable protocol version";
        case 2: return "connection refused: identifier rejected";
        case 3: return "connection refused: server unavailable";
        case 4: return "connection refused: bad user name or password";
        case 5: return "connection refused: not authorized";
        default: return "connection refused: unknown return code " + std::to_string(return_code);
    }
}

}  // namespace piogate::mqtt
