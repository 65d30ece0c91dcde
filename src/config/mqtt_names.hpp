// What the configuration may put into MQTT packets as text: the topic prefix (and the Home
// Assistant topics), the client id and the user name. Checked once when the config is read,
// so a value that every CONNECT or PUBLISH would fail with is refused by --check-config.
//
// Limits, and why:
//   topic prefix    at most 1024 bytes. Every topic piogate derives from it adds at most 81
//                   bytes (PREFIX/actuators/<id of 64>/state), so all stay far within MQTT's
//                   65535-byte string limit and within what brokers accept. Valid UTF-8, no
//                   U+0000 and no control characters (U+0001..U+001F, U+007F..U+009F, which
//                   MQTT says topics should not carry), no wildcards (+ #), no trailing '/', and
//                   no leading '$' (topics starting with '$' are the broker's, like $SYS).
//   client id       at most 23 bytes with MQTT 3.1 (the protocol's limit; brokers refuse
//                   longer ones), at most 128 with 3.1.1 (brokers must accept 23 and commonly
//                   accept more; 128 is what the strictest common brokers allow); UTF-8, no
//                   control characters.
//   user name       an MQTT string: at most 65535 bytes, UTF-8, no control characters.
//
// Pure functions; any thread. Each returns "" when the text is fine, else the problem, worded
// to follow a JSON path ("/mqtt/topic_prefix: is 70000 bytes long, ...").
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <cstddef>
#include <string>
#include <string_view>

namespace piogate::config {

inline constexpr std::size_t max_topic_prefix_bytes = 1024;
inline constexpr std::size_t max_client_id_bytes_v31 = 23;
inline constexpr std::size_t max_client_id_bytes = 128;
inline constexpr std::size_t max_mqtt_string_bytes = 65535;

// Valid UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF), no U+0000 and no
// control character.
std::string text_problem(std::string_view text);

// A topic piogate publishes under or subscribes to: text_problem, then not empty, at most
// `max_bytes`, no wildcard, no trailing '/', no leading '$'.
std::string topic_problem(std::string_view topic, std::size_t max_bytes = max_topic_prefix_bytes);

// A client id for `protocol` "3.1" or "3.1.1" (empty is allowed: the client picks one).
std::string client_id_problem(std::string_view id, std::string_view protocol);

// Any other MQTT string (the user name): at most 65535 bytes and text_problem.
std::string mqtt_string_problem(std::string_view text);

}  // namespace piogate::config
