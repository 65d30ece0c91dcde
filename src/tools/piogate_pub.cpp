// piogate-pub: publish one message (or one per stdin line) and exit, like mosquitto_pub.
//
// The worked example of the publisher procedure: construct the client, connect (blocking),
// publish, disconnect(), then loop_forever() until the DISCONNECT is out, which is after every
// QoS 1/2 message was acknowledged. When this thread must wait between messages (stdin lines,
// --repeat-delay), loop_start() keeps the connection alive meanwhile. With -l, a lost
// connection is reported at once and ends the program at the next line or end of input.
//
// Exit status (see tools::exit_code): 0 every message was sent (QoS 0) or acknowledged;
// 1 connection failure, connection lost, a message not acknowledged, unreadable -f file, a -l
// line that is not UTF-8 under -D publish payload-format-indicator 1;
// 2 bad command line.
#include <cerrno>
#include <chrono>
#include <climits>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <thread>
// SPDX-License-Identifier: Apache-2.0
#include "cli_options.hpp"
#include "connection_watch.hpp"
#include "piogate/mqtt/client.hpp"
#include "piogate/mqtt/topic.hpp"
#include "tool_main.hpp"

namespace {

namespace mqtt = piogate::mqtt;
namespace tools = piogate::tools;
namespace po = tools::po;

constexpr std::string_view program = "piogate-pub";

struct pub_options {
    tools::connection_options conn;
    std::string topic;
    bool lines = false;   // -l: one message per stdin line
    std::string payload;  // otherwise: the one message
    bool retain = false;
    int repeat = 1;
    double repeat_delay = 0;  // seconds
};

std::string read_all(std::istream& in) {
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open '" + path + "': " + std::strerror(errno));
    return read_all(in);
}

// Parses argv; std::nullopt after --help. Reads the -f file or -s stdin before connecting.
std::optional<pub_options> parse(int argc, char** argv) {
    pub_options o;
    bool from_stdin = false, null_message = false;
    po::options_description mine("Publish options", tools::help_width);
    // clang-format off
    mine.add_options()
        ("topic,t", po::value(&o.topic)->value_name("TOPIC"), "topic to publish to (required)")
        ("message,m", po::value(&o.payload)->value_name("MSG"), "the message payload")
        ("file,f", po::value<std::string>()->value_name("FILE"), "send the whole file as one message")
        ("stdin-line,l", po::bool_switch(&o.lines), "send each stdin line as a message, as lines arrive")
        ("stdin-file,s", po::bool_switch(&from_stdin), "send all of stdin as one message")
        ("null-message,n", po::bool_switch(&null_message), "send an empty message")
        ("retain,r", po::bool_switch(&o.retain), "ask the broker to retain the message")
        ("repeat", po::value(&o.repeat)->value_name("N"), "publish the message N times (default 1; not with -l)")
        ("repeat-delay", po::value(&o.repeat_delay)->value_name("SECONDS"), "seconds between repeats");
    // clang-format on
    po::options_description all = tools::connection_option_descriptions();
    all.add(mine);
    const po::variables_map vm = tools::parse_command_line(argc, argv, all);
    if (vm.count("help")) {
        tools::print_help("Usage: piogate-pub [options] -t TOPIC {-m MSG | -f FILE | -l | -s | -n}",
                          all, tools::exit_code_help);
        return std::nullopt;
    }
    o.conn = tools::connection_options_from(vm, tools::tool_kind::pub);
    if (!vm.count("topic") && o.conn.url_topic) o.topic = *o.conn.url_topic;
    if (!vm.count("topic") && !o.conn.url_topic) {
        throw tools::usage_error("a topic (-t, or the path of an mqtt:// -L URL) is required");
    }
    tools::check_topic_name(o.topic, "-t");
    if (vm.count("message") + vm.count("file") + o.lines + from_stdin + null_message != 1) {
        throw tools::usage_error("give exactly one of -m, -f, -l, -s and -n");
    }
    tools::check_range(o.repeat, 1, INT_MAX, "--repeat");
    if (o.lines && vm.count("repeat")) throw tools::usage_error("--repeat does not go with -l");
    if (!(o.repeat_delay >= 0)) throw tools::usage_error("--repeat-delay must not be negative");
    if (vm.count("file")) o.payload = read_file(vm["file"].as<std::string>());
    if (from_stdin) o.payload = read_all(std::cin);
    if (o.conn.properties.publish.payload_format_indicator == 1 && !o.lines &&
        !mqtt::is_valid_utf8(o.payload)) {
        throw tools::usage_error("-D publish payload-format-indicator 1: the payload is not UTF-8");
    }
    return o;
}

int run(const pub_options& o) {
    mqtt::client c(o.conn.client);
    tools::connection_watch watch(program, c, o.conn.debug);
    int sent = 0;
    int acknowledged = 0;  // QoS 0: written; QoS 1: PUBACK; QoS 2: PUBCOMP
    c.on_publish = [&](mqtt::client&, std::any&, int, mqtt::reason_code, const mqtt::properties&) {
        ++acknowledged;
    };

    c.connect(o.conn.brokers, o.conn.keepalive, o.conn.bind_address);

    int not_utf8 = 0;  // -l lines refused under -D publish payload-format-indicator 1
    auto publish = [&](const std::string& payload) {
        const auto& props = o.conn.properties.publish;
        if (props.payload_format_indicator == 1 && !mqtt::is_valid_utf8(payload)) {
            ++not_utf8;
            tools::report(program, tools::exit_failure,
                          "error: a line is not UTF-8 (payload-format-indicator 1); not sent");
            return;
        }
        // Back-pressure: with the queue full, let the loop drain it before trying again.
        while (c.publish(o.topic, payload, o.conn.qos, o.retain, props).rc ==
                   mqtt::errc::queue_full &&
               !watch.failed()) {
            c.wait_idle(std::chrono::seconds(1));
        }
        ++sent;
    };
    const bool waits_between = o.lines || (o.repeat > 1 && o.repeat_delay > 0);
    if (waits_between) c.loop_start();  // this thread blocks on stdin or sleeps
    if (o.lines) {
        std::string line;
        while (!watch.failed() && std::getline(std::cin, line)) publish(line);
    } else {
        for (int i = 0; i < o.repeat && !watch.failed(); ++i) {
            if (i > 0) std::this_thread::sleep_for(std::chrono::duration<double>(o.repeat_delay));
            publish(o.payload);
        }
    }
    c.loop_stop();  // joins the loop thread, if any; what is in progress resumes below

    // After every queued and in-flight message is done; 5.0: with the -D disconnect properties.
    c.disconnect(mqtt::reason_code::normal_disconnection, o.conn.properties.disconnect);
    c.loop_forever();  // returns once the DISCONNECT is out or the connection is gone

    if (watch.failed() || not_utf8 > 0) return tools::exit_failure;
    if (acknowledged < sent) {
        return tools::report(program, tools::exit_failure,
                             "error: " + std::to_string(sent - acknowledged) + " of " +
                                 std::to_string(sent) + " messages not acknowledged by the broker");
    }
    return tools::exit_ok;
}

}  // namespace

int main(int argc, char** argv) {
    return tools::guarded_main(program, [&] {
        const std::optional<pub_options> o = parse(argc, argv);
        return o ? run(*o) : tools::exit_ok;
    });
}
