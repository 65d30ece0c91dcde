// MQTT 5.0 properties (OASIS MQTT 5.0, section 2.2.2.2) as an owning value.
//
// One optional per property; a property absent from a packet is an empty optional. Strings and
// binary data are owned (std::string), so decoded properties outlive the receive buffer.
// Which packet may carry which property is the codec's business (properties_codec), not this
// struct's. Plain value type: no thread rules beyond those of std::string.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace piogate::mqtt {

// The property identifiers (section 2.2.2.2, table "Properties").
enum class property_id : std::uint8_t {
    payload_format_indicator = 0x01,
    message_expiry_interval = 0x02,
    content_type = 0x03,
    response_topic = 0x08,
    correlation_data = 0x09,
    subscription_identifier = 0x0B,
    session_expiry_interval = 0x11,
    assigned_client_identifier = 0x12,
    server_keep_alive = 0x13,
    authentication_method = 0x15,
    authentication_data = 0x16,
    request_problem_information = 0x17,
    will_delay_interval = 0x18,
    request_response_information = 0x19,
    response_information = 0x1A,
    server_reference = 0x1C,
    reason_string = 0x1F,
    receive_maximum = 0x21,
    topic_alias_maximum = 0x22,
    topic_alias = 0x23,
    maximum_qos = 0x24,
    retain_available = 0x25,
    user_property = 0x26,
    maximum_packet_size = 0x27,
    wildcard_subscription_available = 0x28,
    subscription_identifier_available = 0x29,
    shared_subscription_available = 0x2A,
};

// The spec's name of a property ("Topic Alias"), "Unknown property" otherwise.
const char* to_string(property_id id) noexcept;

struct properties {
    // PUBLISH and will
    std::optional<std::uint8_t> payload_format_indicator;  // 0 bytes, 1 UTF-8
    std::optional<std::uint32_t> message_expiry_interval;  // seconds
    std::optional<std::string> content_type;
    std::optional<std::string> response_topic;
    std::optional<std::string> correlation_data;  // binary
    // PUBLISH (several, inbound) and SUBSCRIBE (one); 1..268,435,455
    std::vector<std::uint32_t> subscription_identifiers;
    // CONNECT, CONNACK, DISCONNECT
    std::optional<std::uint32_t> session_expiry_interval;  // seconds; 0xFFFFFFFF never
    // CONNACK
    std::optional<std::string> assigned_client_identifier;
    std::optional<std::uint16_t> server_keep_alive;  // seconds
    // CONNECT, CONNACK, AUTH
    std::optional<std::string> authentication_method;
    std::optional<std::string> authentication_data;  // binary
    // CONNECT
    std::optional<std::uint8_t> request_problem_information;   // 0 or 1
    std::optional<std::uint8_t> request_response_information;  // 0 or 1
    // will
    std::optional<std::uint32_t> will_delay_interval;  // seconds
    // CONNACK
    std::optional<std::string> response_information;
    // CONNACK, DISCONNECT
    std::optional<std::string> server_reference;
    // acks, CONNACK, SUBACK, UNSUBACK, DISCONNECT, AUTH
    std::optional<std::string> reason_string;
    // CONNECT, CONNACK
    std::optional<std::uint16_t> receive_maximum;  // 1..65535
    std::optional<std::uint16_t> topic_alias_maximum;
    std::optional<std::uint32_t> maximum_packet_size;  // bytes, 1..
    // PUBLISH
    std::optional<std::uint16_t> topic_alias;  // 1..
    // CONNACK
    std::optional<std::uint8_t> maximum_qos;  // 0 or 1 (absent: 2)
    std::optional<std::uint8_t> retain_available;
    std::optional<std::uint8_t> wildcard_subscription_available;
    std::optional<std::uint8_t> subscription_identifier_available;
    std::optional<std::uint8_t> shared_subscription_available;
    // every packet with properties; order kept, duplicates allowed
    std::vector<std::pair<std::string, std::string>> user_properties;

    // No property set.
    bool empty() const noexcept;

    friend bool operator==(const properties&, const properties&) = default;
};

}  // namespace piogate::mqtt
