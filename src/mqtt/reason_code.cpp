// Readable text for MQTT 5.0 reason codes and property identifiers (OASIS MQTT 5.0, 2.4, 2.2.2.2).
#include "piogate/mqtt/reason_code.hpp"
// SPDX-License-Identifier: Apache-2.0
#include "piogate/mqtt/properties.hpp"

namespace piogate::mqtt {
namespace {
const char* const unknown_reason = "Unknown reason code";
}  // namespace

const char* to_string(reason_code rc) noexcept {
    switch (static_cast<std::uint8_t>(rc)) {
        case 0x00: return "Success";
        case 0x01: return "Granted QoS 1";
        case 0x02: return "Granted QoS 2";
        case 0x04: return "Disconnect with Will Message";
        case 0x10: return "No matching subscribers";
        case 0x11: return "No subscription existed";
        case 0x18: return "Continue authentication";
        case 0x19: return "Re-authenticate";
        case 0x80: return "Unspecified error";
        case 0x81: return "Malformed Packet";
        case 0x82: return "Protocol Error";
        case 0x83: return "Implementation specific error";
        case 0x84: return "Unsupported Protocol Version";
        case 0x85: return "Client Identifier not valid";
        case 0x86: return "Bad User Name or Password";
        case 0x87: return "Not authorized";
        case 0x88: return "Server unavailable";
        case 0x89: return "Server busy";
        case 0x8A: return "Banned";
        case 0x8B: return "Server shutting down";
        case 0x8C: return "Bad authentication method";
        case 0x8D: return "Keep Alive timeout";
        case 0x8E: return "Session taken over";
        case 0x8F: return "Topic Filter invalid";
        case 0x90: return "Topic Name invalid";
        case 0x91: return "Packet Identifier in use";
        case 0x92: return "Packet Identifier not found";
        case 0x93: return "Receive Maximum exceeded";
        case 0x94: return "Topic Alias invalid";
        case 0x95: return "Packet too large";
        case 0x96: return "Message rate too high";
        case 0x97: return "Quota exceeded";
        case 0x98: return "Administrative action";
        case 0x99: return "Payload format invalid";
        case 0x9A: return "Retain not supported";
        case 0x9B: return "QoS not supported";
        case 0x9C: return "Use another server";
        case 0x9D: return "Server moved";
        case 0x9E: return "Shared Subscriptions not supported";
        case 0x9F: return "Connection rate exceeded";
        case 0xA0: return "Maximum connect time";
        case 0xA1: return "Subscription Identifiers not supported";
        case 0xA2: return "Wildcard Subscriptions not supported";
    }
    return unknown_reason;
}

bool is_known(std::uint8_t value) noexcept {
    return to_string(static_cast<reason_code>(value)) != unknown_reason;
}

reason_code from_connack_v311(std::uint8_t return_code) noexcept {
    switch (return_code) {
        case 0: return reason_code::success;
        case 1: return reason_code::unsupported_protocol_version;
        case 2: return reason_code::client_identifier_not_valid;
        case 3: return reason_code::server_unavailable;
        case 4: return reason_code::bad_user_name_or_password;
        case 5: return reason_code::not_authorized;
        default: return reason_code::unspecified_error;
    }
}

const char* to_string(property_id id) noexcept {
    switch (id) {
        case property_id::payload_format_indicator: return "Payload Format Indicator";
        case property_id::message_expiry_interval: return "Message Expiry Interval";
        case property_id::content_type: return "Content Type";
        case property_id::response_topic: return "Response Topic";
        case property_id::correlation_data: return "Correlation Data";
        case property_id::subscription_identifier: return "Subscription Identifier";
        case property_id::session_expiry_interval: return "Session Expiry Interval";
        case property_id::assigned_client_identifier: return "Assigned Client Identifier";
        case property_id::server_keep_alive: return "Server Keep Alive";
        case property_id::authentication_method: return "Authentication Method";
        case property_id::authentication_data: return "Authentication Data";
        case property_id::request_problem_information: return "Request Problem Information";
        case property_id::will_delay_interval: return "Will Delay Interval";
        case property_id::request_response_information: return "Request Response Information";
        case property_id::response_information: return "Response Information";
        case property_id::server_reference: return "Server Reference";
        case property_id::reason_string: return "Reason String";
        case property_id::receive_maximum: return "Receive Maximum";
        case property_id::topic_alias_maximum: return "Topic Alias Maximum";
        case property_id::topic_alias: return "Topic Alias";
        case property_id::maximum_qos: return "Maximum QoS";
        case property_id::retain_available: return "Retain Available";
        case property_id::user_property: return "User Property";
        case property_id::maximum_packet_size: return "Maximum Packet Size";
        case property_id::wildcard_subscription_available:
            return "Wildcard Subscription Available";
        case property_id::subscription_identifier_available:
            return "Subscription Identifier Available";
        case property_id::shared_subscription_available: return "Shared Subscription Available";
    }
    return "Unknown property";
}

bool properties::empty() const noexcept {
    return *this == properties{};
}

}  // namespace piogate::mqtt
