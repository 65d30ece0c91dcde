#include "cli_options.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <iostream>
#include <optional>

#include "broker_url.hpp"
#include "piogate/mqtt/topic.hpp"

namespace piogate::tools {

po::options_description connection_option_descriptions() {
    po::options_description d("Connection options", help_width);
    // clang-format off
    d.add_options()
        ("help", "print this help and exit")
        ("host,h", po::value<std::vector<std::string>>()->value_name("HOST[:PORT]")
            ->default_value({"localhost"}, "localhost"),
            "broker host name or address, with an optional port (host:port, [v6]:port); "
            "repeat -h for a list of brokers tried in order, each failing over to the next")
        ("port,p", po::value<int>()->value_name("PORT"),
            "broker port for hosts given without one (default 1883, or 8883 with TLS)")
        ("url,L", po::value<std::string>()->value_name("URL"),
            "the broker as a URL: mqtt[s]://[USER[:PASS]@]HOST[:PORT]/TOPIC, or "
            "ws[s]://[USER[:PASS]@]HOST[:PORT][/PATH] with the WebSocket path (the topic from -t); "
            "instead of -h, -p, -u, -P")
        ("ws-path", po::value<std::string>()->value_name("PATH"),
            "connect over WebSocket, upgrading at this path (ws:// URLs default to /mqtt)")
        ("unix", po::value<std::string>()->value_name("PATH"),
            "connect to the broker's Unix-domain socket at PATH instead of -h")
        ("proxy", po::value<std::string>()->value_name("URL"),
            "connect through this proxy: http://[USER[:PASS]@]HOST[:PORT] (HTTP CONNECT, port "
            "8080) or socks5h://[USER[:PASS]@]HOST[:PORT] (SOCKS5, port 1080)")
        ("bind-address,A", po::value<std::string>()->value_name("ADDR"), "bind the socket to this local address")
        ("id,i", po::value<std::string>()->value_name("ID"), "client id (default: a random piogate-XXXXXXXX)")
        ("disable-clean-session,c", po::bool_switch(), "keep the session on the broker (needs -i)")
        ("keepalive,k", po::value<int>()->value_name("SECONDS")->default_value(60), "keepalive in seconds (0 = off)")
        ("qos,q", po::value<int>()->value_name("QOS")->default_value(0), "quality of service: 0, 1 or 2")
        ("protocol-version,V", po::value<std::string>()->value_name("VERSION")->default_value("311"),
            "MQTT version: 31 or mqttv31 (3.1), 311 or mqttv311 (3.1.1), 5 or mqttv5 (5.0)")
        ("property,D", po::value<std::vector<std::string>>()->value_name("CMD PROP [NAME] VALUE"),
            "an MQTT 5 property (needs -V 5): -D COMMAND PROPERTY VALUE, or "
            "-D COMMAND user-property NAME VALUE; repeatable. COMMAND connect: "
            "authentication-data, authentication-method, maximum-packet-size, receive-maximum, "
            "request-problem-information, request-response-information, session-expiry-interval, "
            "topic-alias-maximum, user-property. disconnect: session-expiry-interval, "
            "user-property. will: content-type, correlation-data, message-expiry-interval, "
            "payload-format-indicator, response-topic, user-property, will-delay-interval. "
            "publish (piogate-pub): the will's but will-delay-interval. subscribe (piogate-sub): "
            "subscription-identifier, user-property")
        ("username,u", po::value<std::string>()->value_name("USER"), "user name")
        ("pw,P", po::value<std::string>()->value_name("PASS"), "password (needs -u)")
        ("debug,d", po::bool_switch(), "print the client's log, a line per packet, on stderr")
        ("will-topic", po::value<std::string>()->value_name("TOPIC"), "topic of the will the broker sends if we vanish")
        ("will-payload", po::value<std::string>()->value_name("PAYLOAD"), "payload of the will (default empty)")
        ("will-qos", po::value<int>()->value_name("QOS"), "QoS of the will (default 0)")
        ("will-retain", po::bool_switch(), "retain the will")
        ("tls", po::bool_switch(), "use TLS, trusting the system CA store unless --cafile/--capath")
        ("cafile", po::value<std::string>()->value_name("FILE"), "use TLS, trusting the CAs in this PEM file")
        ("capath", po::value<std::string>()->value_name("DIR"), "use TLS, trusting the hashed CAs in this directory")
        ("cert", po::value<std::string>()->value_name("FILE"), "client certificate (PEM) for TLS; needs --key")
        ("key", po::value<std::string>()->value_name("FILE"), "private key (PEM) of --cert")
        ("alpn", po::value<std::vector<std::string>>()->value_name("PROTOCOL"),
            "use TLS, offering this ALPN protocol (repeatable, in order of preference; "
            "AWS IoT on port 443: x-amzn-mqtt-ca)")
        ("insecure", po::bool_switch(),
            "use TLS without checking the host name in the broker's certificate "
            "(the certificate must still be signed by a trusted CA)");
    // clang-format on
    return d;
}

po::variables_map parse_command_line(int argc, const char* const argv[],
                                     const po::options_description& desc) {
    // Abbreviations would make "--will" mean whichever --will-* comes first.
    const int style =
        po::command_line_style::default_style & ~po::command_line_style::allow_guessing;
    const po::positional_options_description none;  // so a stray word is an error
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(argc, argv)
                      .options(desc)
                      .positional(none)
                      .style(style)
                      .extra_style_parser(property_style_parser)
                      .run(),
                  vm);
        po::notify(vm);
    } catch (const po::error& e) {
        throw usage_error(e.what());
    }
    return vm;
}

namespace {

template <class T>
std::optional<T> get(const po::variables_map& vm, const char* name) {
    if (!vm.count(name)) return std::nullopt;
    return vm[name].as<T>();
}

mqtt::protocol_version protocol_from(const std::string& v) {
    if (v == "31" || v == "mqttv31") return mqtt::protocol_version::v31;
    if (v == "311" || v == "mqttv311") return mqtt::protocol_version::v311;
    if (v == "5" || v == "mqttv5") return mqtt::protocol_version::v5;
    throw usage_error("invalid protocol version '" + v +
                      "' (use 31, mqttv31, 311, mqttv311, 5 or mqttv5)");
}

std::optional<mqtt::tls_options> tls_from(const po::variables_map& vm) {
    const auto cafile = get<std::string>(vm, "cafile"), capath = get<std::string>(vm, "capath");
    const auto cert = get<std::string>(vm, "cert"), key = get<std::string>(vm, "key");
    const bool insecure = vm["insecure"].as<bool>();
    if (!vm["tls"].as<bool>() && !cafile && !capath && !cert && !key && !insecure)
        return std::nullopt;
    if (cert.has_value() != key.has_value())
        throw usage_error("--cert and --key must be given together");
    mqtt::tls_options t;
    t.ca_file = cafile.value_or("");
    t.ca_path = capath.value_or("");
    t.cert_file = cert.value_or("");
    t.key_file = key.value_or("");
    t.insecure = insecure;  // host name check only, as mosquitto's --insecure
    return t;
}

std::optional<mqtt::will_message> will_from(const po::variables_map& vm) {
    const auto topic = get<std::string>(vm, "will-topic");
    if (!topic) {
        if (vm.count("will-payload") || vm.count("will-qos") || vm["will-retain"].as<bool>()) {
            throw usage_error("--will-payload, --will-qos and --will-retain need --will-topic");
        }
        return std::nullopt;
    }
    check_topic_name(*topic, "--will-topic");
    return mqtt::will_message{*topic, get<std::string>(vm, "will-payload").value_or(""),
                              checked_qos(get<int>(vm, "will-qos").value_or(0), "--will-qos"),
                              vm["will-retain"].as<bool>()};
}

// -D into the 5.0 options of the client (the PUBLISH, SUBSCRIBE and DISCONNECT ones stay in
// o.properties for the tool).
void apply_properties(const po::variables_map& vm, tool_kind tool, connection_options& o) {
    std::vector<std::vector<std::string>> args;
    if (const auto values = get<std::vector<std::string>>(vm, "property")) {
        for (const auto& v : *values) args.push_back(split_property_value(v));
    }
    o.properties = parse_property_args(args, tool);
    auto& c = o.client;
    if (c.protocol != mqtt::protocol_version::v5) {
        if (o.properties.any) throw usage_error("-D (MQTT 5 properties) needs -V 5");
        return;
    }
    if (o.properties.any_will && !c.will) throw usage_error("-D will ... needs --will-topic");
    // As mosquitto's: -c alone keeps the session for good (-1), else it ends with the connection.
    auto& expiry = o.properties.connect.session_expiry_interval;
    if (!expiry && !c.clean_session) expiry = 0xFFFFFFFF;
    if (o.properties.disconnect.session_expiry_interval.value_or(0) != 0 &&
        expiry.value_or(0) == 0) {
        throw usage_error(
            "-D disconnect session-expiry-interval must be 0 when the session expires with the "
            "connection (no -c, no -D connect session-expiry-interval)");
    }
    if (const auto size = o.properties.maximum_packet_size) c.max_packet_size = *size;
    c.mqtt5 = o.properties.connect;
}

}  // namespace

connection_options connection_options_from(const po::variables_map& vm, tool_kind tool) {
    connection_options o;
    auto& c = o.client;
    o.keepalive =
        static_cast<std::uint16_t>(check_range(vm["keepalive"].as<int>(), 0, 65535, "-k"));
    o.qos = checked_qos(vm["qos"].as<int>(), "-q");
    o.bind_address = get<std::string>(vm, "bind-address").value_or("");
    o.debug = vm["debug"].as<bool>();
    c.log_packets = o.debug;
    c.client_id = get<std::string>(vm, "id").value_or("");
    c.clean_session = !vm["disable-clean-session"].as<bool>();
    if (!c.clean_session && c.client_id.empty()) throw usage_error("-c needs a client id (-i)");
    c.protocol = protocol_from(vm["protocol-version"].as<std::string>());
    c.username = get<std::string>(vm, "username");
    c.password = get<std::string>(vm, "pw");
    if (c.password && !c.username) throw usage_error("a password (-P) needs a user name (-u)");
    c.will = will_from(vm);
    apply_properties(vm, tool, o);
    c.tls = tls_from(vm);
    if (const auto alpn = get<std::vector<std::string>>(vm, "alpn")) {
        for (const auto& p : *alpn) {
            if (p.empty() || p.size() > 255) {
                throw usage_error("invalid ALPN protocol '" + p + "' for --alpn (1 to 255 bytes)");
            }
        }
        if (!c.tls) c.tls.emplace();
        c.tls->alpn_protocols = *alpn;
    }
    if (const auto path = get<std::string>(vm, "ws-path")) {
        if (!path->starts_with('/')) {
            throw usage_error("invalid WebSocket path '" + *path + "' for --ws-path (must start with '/')");
        }
        c.transport = mqtt::transport_kind::websockets;
        c.websocket.path = *path;
    }
    if (const auto proxy = get<std::string>(vm, "proxy")) {
        if (vm.count("unix")) throw usage_error("--proxy does not apply to --unix");
        c.proxy = parse_proxy_url(*proxy);
    }
    const bool hosts = !vm["host"].defaulted();
    if (int(hosts) + int(vm.count("url") > 0) + int(vm.count("unix") > 0) > 1) {
        throw usage_error("-h, -L and --unix are exclusive");
    }
    o.brokers.clear();
    if (const auto url = get<std::string>(vm, "url")) {
        if (vm.count("port")) throw usage_error("-p with -L: give the port in the URL");
        broker_url u = parse_broker_url(*url);
        o.brokers.push_back(u.broker);
        if (u.tls && !c.tls) c.tls.emplace();
        if (u.ws_path) c.websocket.path = *u.ws_path;
        if (u.username) c.username = u.username;
        if (u.password) c.password = u.password;
        o.url_topic = u.topic;
        return o;
    }
    if (const auto path = get<std::string>(vm, "unix")) {
        if (path->empty()) throw usage_error("an empty path for --unix");
        o.brokers.push_back({*path, 0, mqtt::transport_kind::unix_socket});
        return o;
    }
    const int port = get<int>(vm, "port").value_or(c.tls ? 8883 : 1883);
    const auto default_port = static_cast<std::uint16_t>(check_range(port, 1, 65535, "-p"));
    for (const auto& text : vm["host"].as<std::vector<std::string>>()) {
        try {
            o.brokers.push_back(mqtt::parse_broker_address(text, default_port));
        } catch (const std::invalid_argument& e) {
            throw usage_error(std::string(e.what()) + " for -h");
        }
    }
    return o;
}

int check_range(int value, int min, int max, std::string_view option) {
    if (value < min || value > max) {
        throw usage_error("invalid value " + std::to_string(value) + " for " + std::string(option) +
                          " (must be " + std::to_string(min) + ".." + std::to_string(max) + ")");
    }
    return value;
}

int checked_qos(int qos, std::string_view option) {
    if (qos < 0 || qos > 2) {
        throw usage_error("invalid QoS " + std::to_string(qos) + " for " + std::string(option) +
                          " (must be 0, 1 or 2)");
    }
    return qos;
}

void check_topic_name(const std::string& topic, std::string_view option) {
    if (!mqtt::is_valid_topic_name(topic)) {
        throw usage_error("invalid topic '" + topic + "' for " + std::string(option) +
                          " (empty, not UTF-8, or contains '+' or '#')");
    }
}

void check_topic_filter(const std::string& filter, std::string_view option) {
    if (!mqtt::is_valid_topic_filter(filter)) {
        throw usage_error("invalid topic filter '" + filter + "' for " + std::string(option));
    }
}

void print_help(std::string_view usage, const po::options_description& desc,
                std::string_view exit_codes) {
    std::cout << usage << "\n" << desc << "\n" << exit_codes;
}

}  // namespace piogate::tools
