// The command line both tools share: mosquitto_pub / mosquitto_sub's options with their
// letters and meanings, parsed with Boost.Program_options. `-h` is the host, as in mosquitto,
// so help is `--help` only.
//
// Errors: every bad command line throws usage_error; main prints it as one line and exits
// with exit_usage. Nothing here touches the network or the files named by options.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <boost/program_options.hpp>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "piogate/mqtt/broker_address.hpp"
#include "piogate/mqtt/client_options.hpp"
#include "property_options.hpp"

namespace piogate::tools {

namespace po = boost::program_options;

// Exit status of piogate-pub and piogate-sub (also in their --help).
enum exit_code : int {
    exit_ok = 0,        // success (also --help, and piogate-sub stopped by SIGINT/SIGTERM)
    exit_failure = 1,   // run time: refused, DNS, TLS, connection lost, unreadable file, unacked
    exit_usage = 2,     // bad command line
    exit_timeout = 27,  // piogate-sub -W: no (or not enough) messages in time, as mosquitto_sub
};

inline constexpr std::string_view exit_code_help =
    "Exit status:\n"
    "  0   success\n"
    "  1   connection or protocol failure (refused by the broker, host not found, TLS error,\n"
    "      connection lost, messages not acknowledged, unreadable input file)\n"
    "  2   bad command line\n";

class usage_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Where and how to connect: everything the common options say.
struct connection_options {
    // -h, in order (tried in order, failing over to the next); a host given without a port
    // gets -p's, which defaults to 1883, or 8883 when any TLS option is given. Or the one
    // broker of -L or --unix (exclusive with -h).
    std::vector<mqtt::broker_address> brokers{{"localhost", 1883}};
    std::uint16_t keepalive = 60;
    std::string bind_address;
    int qos = 0;                  // -q: the publish QoS (pub) or the subscription QoS (sub)
    bool debug = false;           // -d: the library's log with a line per packet, on stderr
    mqtt::client_options client;  // id, clean session, protocol, transport, TLS, credentials, will
    std::optional<std::string> url_topic;  // the topic of an mqtt[s]:// -L URL (-t wins)
    // -D: MQTT 5 properties. The CONNECT and will ones are in client.mqtt5 already; the tool
    // sends publish, subscribe and disconnect. Empty unless -V 5.
    property_options properties;
};

inline constexpr unsigned help_width = 100;  // columns of --help's option tables

// The common options (connection, authentication, TLS, will); a tool adds its own group.
po::options_description connection_option_descriptions();

// Parses argv against `desc`: no abbreviated long options, no positional arguments; -D takes
// its 3 or 4 tokens (property_style_parser). Throws usage_error with Program_options' message.
po::variables_map parse_command_line(int argc, const char* const argv[],
                                     const po::options_description& desc);

// The validated common options in `vm` (ranges, -c needs -i, --cert needs --key, -D needs
// -V 5 and a command `tool` sends, ...). With -V 5 and -c, the session expiry defaults to
// never (0xFFFFFFFF) as in mosquitto_pub/sub. Throws usage_error.
connection_options connection_options_from(const po::variables_map& vm, tool_kind tool);

// `value` within min..max, else usage_error naming the option; returns it.
int check_range(int value, int min, int max, std::string_view option);

// -q / --will-qos style check: 0, 1 or 2, else usage_error naming the option.
int checked_qos(int qos, std::string_view option);

// -t for publishing: a topic name without wildcards. Throws usage_error.
void check_topic_name(const std::string& topic, std::string_view option);
// -t / -T for subscribing: a well-formed topic filter. Throws usage_error.
void check_topic_filter(const std::string& filter, std::string_view option);

// Prints the usage line, the options and the exit status table to stdout.
void print_help(std::string_view usage, const po::options_description& desc,
                std::string_view exit_codes);

}  // namespace piogate::tools
