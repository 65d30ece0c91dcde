// The rest of Paho's surface on the Paho-style client: setters (ws_set_options, proxy_set,
// tls_set with ALPN, will_clear), userdata, enable_logger, against a real mosquitto.
#include <gtest/gtest.h>

#include <any>
#include <atomic>
#include <stdexcept>
#include <string>
#include <vector>

#include "piogate/mqtt/client.hpp"
#include "support/mosquitto_broker.hpp"

namespace mqtt = piogate::mqtt;
using namespace std::chrono_literals;

TEST(client_paho_surface, setters_fill_the_options) {
    mqtt::client c("surface-setters");
    c.ws_set_options("/ws", {{"Authorization", "Bearer x"}});
    c.proxy_set(mqtt::proxy_kind::socks5, "proxy.local", 1081, "u", "p");
    c.tls_set("", "", "", {"x-amzn-mqtt-ca"});  // "": the system store
    c.will_set("w/t", "gone", 1, true);
    c.will_clear();
    const mqtt::client_options o = c.options();
    EXPECT_EQ(o.websocket.path, "/ws");
    ASSERT_EQ(o.websocket.headers.size(), 1u);
    EXPECT_EQ(o.websocket.headers[0].first, "Authorization");
    ASSERT_TRUE(o.proxy.has_value());
    EXPECT_EQ(o.proxy->kind, mqtt::proxy_kind::socks5);
    EXPECT_EQ(o.proxy->host, "proxy.local");
    EXPECT_EQ(o.proxy->port, 1081);
    EXPECT_EQ(o.proxy->username, "u");
    EXPECT_EQ(o.proxy->password, "p");
    ASSERT_TRUE(o.tls.has_value());
    EXPECT_TRUE(o.tls->ca_file.empty());
    EXPECT_EQ(o.tls->alpn_protocols, std::vector<std::string>{"x-amzn-mqtt-ca"});
    EXPECT_FALSE(o.will.has_value());

    EXPECT_THROW(c.ws_set_options("mqtt"), std::invalid_argument);
    EXPECT_THROW(c.proxy_set(mqtt::proxy_kind::http, ""), std::invalid_argument);
    EXPECT_EQ(c.options().websocket.path, "/ws");  // a refused value changes nothing
}

TEST(client_paho_surface, settings_after_connect_are_refused_but_userdata_is_not) {
    piogate::test::mosquitto_broker broker;
    mqtt::client c("surface-late", true, std::any(7));
    EXPECT_EQ(std::any_cast<int>(c.user_data_get()), 7);
    c.connect("127.0.0.1", broker.port());
    EXPECT_THROW(c.will_clear(), std::logic_error);
    EXPECT_THROW(c.ws_set_options("/x"), std::logic_error);
    EXPECT_THROW(c.proxy_set(mqtt::proxy_kind::http, "p"), std::logic_error);
    c.user_data_set(std::string("later"));
    EXPECT_EQ(std::any_cast<std::string>(c.user_data_get()), "later");
    c.disconnect();
    c.loop_forever();
}

TEST(client_paho_surface, enable_logger_sends_every_line_to_the_sink_besides_on_log) {
    piogate::test::mosquitto_broker broker;
    mqtt::client_options opts;
    opts.client_id = "surface-logger";
    opts.log_packets = true;  // a line per packet, so disconnect() logs too
    mqtt::client c(opts);
    std::vector<std::string> sink_lines;
    int on_log_lines = 0;
    c.on_log = [&](mqtt::log_level, std::string_view) { ++on_log_lines; };
    c.enable_logger([&](mqtt::log_level, std::string_view text) { sink_lines.emplace_back(text); });
    c.connect("127.0.0.1", broker.port());
    ASSERT_FALSE(sink_lines.empty());
    EXPECT_EQ(static_cast<int>(sink_lines.size()), on_log_lines);
    c.disable_logger();
    const auto before = sink_lines.size();
    c.disconnect();
    c.loop_forever();
    EXPECT_EQ(sink_lines.size(), before);
    EXPECT_GT(on_log_lines, static_cast<int>(before));
}

TEST(client_paho_surface, enable_logger_without_a_sink_writes_stderr) {
    piogate::test::mosquitto_broker broker;
    mqtt::client c("surface-stderr");
    c.enable_logger();
    testing::internal::CaptureStderr();
    c.connect("127.0.0.1", broker.port());
    c.disconnect();
    c.loop_forever();
    const std::string err = testing::internal::GetCapturedStderr();
    EXPECT_NE(err.find("mqtt surface-stderr: "), std::string::npos) << err;
}
