// piogate-sub: print the messages of one or more topic filters, like mosquitto_sub.
//
// The worked example of the subscriber procedure: construct the client, connect (blocking),
// subscribe, set the on_message handler, and wait in loop_forever(). Whatever ends the run
// (-C reached, -W elapsed, SIGINT/SIGTERM, all subscriptions refused) calls disconnect(), and
// loop_forever() returns once the DISCONNECT is out. The -W timer and the signal set live on
// the client's own io_context, so one thread does everything.
//
// Exit status (see tools::exit_code): 0 success (-C reached, or stopped by SIGINT/SIGTERM);
// 1 connection failure, connection lost, every subscription refused; 2 bad command line;
// 27 -W elapsed before -C messages arrived (mosquitto_sub's code).
#include <algorithm>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <climits>
#include <csignal>
#include <cstdio>
#include <optional>
#include <utility>
#include <vector>
// SPDX-License-Identifier: Apache-2.0
#include "cli_options.hpp"
#include "connection_watch.hpp"
#include "output_format.hpp"
#include "piogate/mqtt/client.hpp"
#include "piogate/mqtt/topic.hpp"
#include "tool_main.hpp"

namespace {

namespace asio = boost::asio;
namespace mqtt = piogate::mqtt;
namespace tools = piogate::tools;
namespace po = tools::po;

constexpr std::string_view program = "piogate-sub";

struct sub_options {
    tools::connection_options conn;
    std::vector<std::string> filters;      // -t
    std::vector<std::string> filter_outs;  // -T: matching messages are neither printed nor counted
    bool verbose = false;                  // -v: "topic payload"
    bool no_eol = false;                   // -N
    bool skip_retained = false;            // -R
    int count = 0;                         // -C; 0 = no limit
    int timeout = 0;                       // -W seconds from the CONNACK; 0 = none
    std::optional<tools::output_format> format;  // -F: replaces -v
};

std::optional<sub_options> parse(int argc, char** argv) {
    sub_options o;
    po::options_description mine("Subscribe options", tools::help_width);
    // clang-format off
    mine.add_options()
        ("topic,t", po::value(&o.filters)->value_name("FILTER"), "topic filter to subscribe to (repeatable)")
        ("filter-out,T", po::value(&o.filter_outs)->value_name("FILTER"), "do not print topics matching this filter")
        ("verbose,v", po::bool_switch(&o.verbose), "print \"topic payload\" instead of the payload")
        ("no-eol,N", po::bool_switch(&o.no_eol), "no newline after the payload")
        ("skip-retained,R", po::bool_switch(&o.skip_retained), "do not print retained (stale) messages")
        ("count,C", po::value(&o.count)->value_name("COUNT"), "exit after COUNT printed messages")
        ("timeout,W", po::value(&o.timeout)->value_name("SECONDS"), "exit with status 27 after SECONDS without reaching -C")
        ("format,F", po::value<std::string>()->value_name("FORMAT"),
            "print each message through FORMAT instead of -v's (not -N's newline): %t topic, "
            "%p payload, %q QoS, %r retained, %m packet id, %l length, %x/%X hex payload, "
            "%I ISO-8601 time, %U Unix time, %j/%J JSON, %% a %; MQTT 5 properties %A topic "
            "alias, %C content type, %D correlation data, %E message expiry, %F payload format, "
            "%P user properties (name:value ...), %R response topic, %S subscription ids; "
            "%[-][0][WIDTH][.MAX] as printf; @X strftime's %X, @N nanoseconds; \\n \\t "
            "\\0 ... escapes");
    // clang-format on
    po::options_description all = tools::connection_option_descriptions();
    all.add(mine);
    const po::variables_map vm = tools::parse_command_line(argc, argv, all);
    if (vm.count("help")) {
        tools::print_help("Usage: piogate-sub [options] -t FILTER [-t FILTER ...]", all,
                          std::string(tools::exit_code_help) + "  27  -W timeout\n");
        return std::nullopt;
    }
    o.conn = tools::connection_options_from(vm, tools::tool_kind::sub);
    if (vm.count("format")) o.format.emplace(vm["format"].as<std::string>());
    if (o.filters.empty() && o.conn.url_topic) o.filters.push_back(*o.conn.url_topic);
    if (o.filters.empty()) {
        throw tools::usage_error(
            "at least one topic filter (-t, or the path of an mqtt:// -L URL) is required");
    }
    for (const auto& f : o.filters) tools::check_topic_filter(f, "-t");
    for (const auto& f : o.filter_outs) tools::check_topic_filter(f, "-T");
    if (vm.count("count")) tools::check_range(o.count, 1, INT_MAX, "-C");
    if (vm.count("timeout")) tools::check_range(o.timeout, 1, INT_MAX, "-W");
    return o;
}

bool wanted(const sub_options& o, const mqtt::message& m) {
    if (o.skip_retained && m.retain) return false;
    for (const auto& f : o.filter_outs) {
        if (mqtt::topic_matches_sub(f, m.topic)) return false;
    }
    return true;
}

void print(const sub_options& o, const mqtt::message& m) {
    if (o.format) {
        std::string text;
        try {
            text = o.format->render({m.topic, m.payload, m.qos, m.retain, m.mid, m.props,
                                     std::chrono::system_clock::now()});
        } catch (const std::invalid_argument& e) {
            tools::report(program, tools::exit_failure, std::string("error: ") + e.what());
            return;
        }
        std::fwrite(text.data(), 1, text.size(), stdout);
        if (!o.no_eol) std::fputc('\n', stdout);
        std::fflush(stdout);
        return;
    }
    if (o.verbose) {
        std::fwrite(m.topic.data(), 1, m.topic.size(), stdout);
        std::fputc(' ', stdout);
    }
    std::fwrite(m.payload.data(), 1, m.payload.size(), stdout);
    if (!o.no_eol) std::fputc('\n', stdout);
    std::fflush(stdout);  // scripts read the pipe message by message
}

int run(const sub_options& o) {
    mqtt::client c(o.conn.client);
    tools::connection_watch watch(program, c, o.conn.debug);
    int status = tools::exit_ok;
    bool finishing = false;
    auto finish = [&](int code) {  // the first reason to stop wins
        if (std::exchange(finishing, true)) return;
        status = code;
        c.disconnect(mqtt::reason_code::normal_disconnection, o.conn.properties.disconnect);
    };
    int printed = 0;
    c.on_message = [&](mqtt::client&, std::any&, const mqtt::message& m) {
        if ((o.count && printed >= o.count) || !wanted(o, m)) return;
        print(o, m);
        if (++printed == o.count) finish(tools::exit_ok);
    };
    c.on_subscribe = [&](mqtt::client&, std::any&, int, std::span<const mqtt::reason_code> rcs,
                         const mqtt::properties&) {
        if (std::ranges::all_of(rcs, [](mqtt::reason_code rc) { return mqtt::is_error(rc); })) {
            tools::report(program, tools::exit_failure,
                          "error: the broker refused the subscription");
            finish(tools::exit_failure);
        }
    };

    // SIGINT/SIGTERM are caught from before the connection: the broker may send its SUBACK
    // (and a script its SIGTERM) before loop_forever() starts.
    asio::signal_set signals(c.native().io_context(), SIGINT, SIGTERM);
    c.connect(o.conn.brokers, o.conn.keepalive, o.conn.bind_address);
    if (o.conn.client.protocol == mqtt::protocol_version::v5) {
        // One SUBSCRIBE for all, with the -D subscribe properties.
        std::vector<std::pair<std::string, mqtt::subscribe_options>> subscriptions;
        for (const auto& filter : o.filters) {
            mqtt::subscribe_options so;
            so.qos = static_cast<std::uint8_t>(o.conn.qos);
            subscriptions.emplace_back(filter, so);
        }
        c.subscribe(subscriptions, o.conn.properties.subscribe);
    } else {
        std::vector<std::pair<std::string, int>> subscriptions;  // one SUBSCRIBE for all
        for (const auto& filter : o.filters) subscriptions.emplace_back(filter, o.conn.qos);
        c.subscribe(subscriptions);
    }

    // Stop conditions on the client's io_context; on_end cancels them so the loop can end.
    asio::steady_timer timer(c.native().io_context());
    watch.on_end = [&] {
        timer.cancel();
        signals.cancel();
    };
    if (o.timeout) {
        timer.expires_after(std::chrono::seconds(o.timeout));
        timer.async_wait([&](const boost::system::error_code& ec) {
            if (ec) return;
            tools::report(program, tools::exit_timeout,
                          "timed out after " + std::to_string(o.timeout) + " s");
            finish(tools::exit_timeout);
        });
    }
    signals.async_wait([&](const boost::system::error_code& ec, int) {
        if (!ec) finish(tools::exit_ok);
    });
    c.loop_forever();
    return watch.failed() ? tools::exit_failure : status;
}

}  // namespace

int main(int argc, char** argv) {
    return tools::guarded_main(program, [&] {
        const std::optional<sub_options> o = parse(argc, argv);
        return o ? run(*o) : tools::exit_ok;
    });
}
