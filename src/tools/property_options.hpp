// -D / --property of the tools: MQTT 5.0 properties as mosquitto_pub / mosquitto_sub take
// them, one per option:
//   -D COMMAND PROPERTY VALUE
//   -D COMMAND user-property NAME VALUE
// COMMAND and PROPERTY are case-insensitive; PROPERTY is the spec's name with '-' between the
// words. Which command takes which property (mosquitto 2.0's tables):
//   connect     authentication-data, authentication-method, maximum-packet-size,
//               receive-maximum, request-problem-information, request-response-information,
//               session-expiry-interval, topic-alias-maximum, user-property
//   publish     content-type, correlation-data, message-expiry-interval,
//               payload-format-indicator, response-topic, user-property   (piogate-pub only;
//               topic-alias is refused: the client assigns topic aliases itself)
//   subscribe   subscription-identifier, user-property                  (piogate-sub only)
//   disconnect  session-expiry-interval, user-property
//   will        content-type, correlation-data, message-expiry-interval,
//               payload-format-indicator, response-topic, user-property, will-delay-interval
// Numbers are decimal, within the property's range (u8 flags 0 or 1, receive-maximum and
// maximum-packet-size from 1, subscription-identifier 1..268435455).
//
// Pure; throws usage_error naming the option, the command and the property.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/program_options.hpp>

#include "piogate/mqtt/mqtt5_options.hpp"
#include "piogate/mqtt/properties.hpp"

namespace piogate::tools {

enum class tool_kind : std::uint8_t { pub, sub };

// Every -D of one command line, sorted by packet.
struct property_options {
    mqtt::connect_properties connect;                  // will properties in connect.will_properties
    std::optional<std::uint32_t> maximum_packet_size;  // connect maximum-packet-size
    mqtt::properties publish;
    mqtt::properties subscribe;
    mqtt::properties disconnect;
    bool any = false;       // at least one -D was given
    bool any_will = false;  // at least one -D will ...
};

// Folds the -D occurrences, each the list of tokens after -D (3, or 4 for user-property),
// into property_options for `tool`. Throws usage_error.
property_options parse_property_args(const std::vector<std::vector<std::string>>& args,
                                     tool_kind tool);

// -D takes 3 or 4 tokens, which Program_options cannot say: an extra style parser (install with
// command_line_parser::extra_style_parser) takes "-D" / "--property" and the tokens after it,
// and stores them as one value of the option "property" (tokens joined by '\0', which no
// argument can contain). A -D with too few tokens keeps what it has; split_property_value then
// reports it.
std::vector<boost::program_options::option> property_style_parser(std::vector<std::string>& args);

// One stored "property" value back into its tokens.
std::vector<std::string> split_property_value(std::string_view value);

}  // namespace piogate::tools
