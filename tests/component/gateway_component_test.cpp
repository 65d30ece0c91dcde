// Component tier: the gateway itself on the simulated board, on virtual time and with a fake
// MQTT link (component/gateway_fixture.hpp): its announcements on connect, the outage buffer
// drained in order after a reconnect, commands routed to an actuator's line, failsafe_after on a
// lost link (counted from its making for an actuator a reload makes during the outage), a reload
// that adds a sensor, the board's input pattern and sysfs values. No sleeps, no broker.
//
// The board: a simulated MCP9808 (whose model has no clock of its own), the simulated GPIO
// chip, its input pattern (GPIO17 toggles every 500 ms) on the virtual clock too, and the
// simulated sysfs tree (where a test asks for it) with a SoC thermal zone whose temperature
// follows a wave of virtual time.
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <string>
#include <vector>

#include "component/gateway_fixture.hpp"
#include "config/config.hpp"
#include "hw/sim/sim_gpio.hpp"
#include "hw/sim/sim_mcp9808.hpp"

using namespace piogate;
using namespace std::chrono_literals;

namespace {

const char* const board_json = R"("board": {"kind": "sim", "i2c": [{"bus": 1, "devices": [
    {"model": "mcp9808", "address": "0x18", "temperature": 20.0},
    {"model": "mcp9808", "address": "0x19", "temperature": 18.0}]}],
    "patterns": [{"line": "GPIO17", "toggle_every_ms": 500}])";
// The board's sysfs tree, for the tests that read it (its ticks write files every second).
const char* const sysfs_json = R"(, "sysfs": {"thermal": [{"type": "cpu-thermal",
    "temperature": {"value": 48, "amplitude": 4, "period_s": 120}}]})";

const char* const desk = R"({"id": "desk", "type": "mcp9808", "bus": 1, "address": "0x18",
    "interval_s": 60})";

// The gateway's config: the board above (with its sysfs tree if asked), two actuators (and
// `more_actuators`, each after a comma), `sensors`, discovery on.
config::piogate_config config_with(const std::string& sensors,
                                   const std::string& client_id = "piogate-test",
                                   const std::string& more_actuators = "",
                                   bool with_sysfs = false) {
    const std::string mqtt =
        R"("mqtt": {"topic_prefix": "gw", "client_id": ")" + client_id + R"("})";
    const std::string rest = R"("homeassistant": {"enabled": true},
        "inputs": [{"id": "door", "line": "GPIO17", "debounce_ms": 5}],
        "actuators": [{"id": "pump", "line": "GPIO22"},
                      {"id": "heater", "line": "GPIO23", "initial": "ON", "failsafe": "OFF",
                       "failsafe_after_s": 30})" +
                             more_actuators + "]";
    return config::parse_config(
        config::json::parse("{" + std::string(board_json) + (with_sysfs ? sysfs_json : "") + "}, " +
                            mqtt + ", " + rest + R"(, "sensors": [)" + sensors + "]}"));
}

// The board above with the GPIO channels in `channels` (JSON members: "inputs", "counters", ...).
config::piogate_config gpio_config(const std::string& channels) {
    return config::parse_config(config::json::parse(
        "{" + std::string(board_json) + R"(}, "mqtt": {"topic_prefix": "gw"}, )" + channels + "}"));
}

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// The gateway on the board above (component/gateway_fixture.hpp), with the MCP9808 at 0x18.
struct gateway_fixture : component::gateway_fixture {
    explicit gateway_fixture(const std::string& sensors = desk, bool with_sysfs = false)
        : gateway_fixture(config_with(sensors, "piogate-test", "", with_sysfs)) {}
    explicit gateway_fixture(config::piogate_config config)
        : component::gateway_fixture(std::move(config)) {}

    // Retained device discovery messages (homeassistant/device/...) with sensor `id`'s state
    // topic, since message `from`.
    std::size_t discovery_mentioning(const std::string& id, std::size_t from = 0) const {
        std::size_t n = 0;
        for (std::size_t i = from; i < broker.sent.size(); ++i) {
            const auto& s = broker.sent[i];
            if (s.m.topic.starts_with("homeassistant/device/") && s.retain &&
                has(s.m.payload, "\"gw/sensors/" + id + "\""))
                ++n;
        }
        return n;
    }
    bool line(const char* name) { return board.sim_gpio()->output_level(name).value_or(false); }

    std::shared_ptr<hw::sim_mcp9808> chip = sim_chip<hw::sim_mcp9808>("1", 0x18);
};

}  // namespace

TEST(gateway_component, on_connect_it_announces_online_and_the_retained_states) {
    gateway_fixture f;
    f.gw.start();
    f.loop.settle();
    ASSERT_NE(f.broker.current, nullptr);
    EXPECT_EQ(f.link().connects, 1);
    EXPECT_TRUE(f.broker.sent.empty());  // nothing goes out before the link is up
    f.loop.advance(1s);
    f.link().up();
    f.loop.settle();
    // The link's queue first (states made while it was down), then the announcement: online,
    // then the actuators' states, all retained.
    const auto online = f.on("gw/status");
    ASSERT_EQ(online.size(), 1u);
    EXPECT_EQ(online[0].m.payload, "online");
    EXPECT_TRUE(online[0].retain);
    EXPECT_EQ(online[0].qos, 1);
    const auto pump = f.on("gw/actuators/pump/state");
    const auto heater = f.on("gw/actuators/heater/state");
    ASSERT_FALSE(pump.empty());
    ASSERT_FALSE(heater.empty());
    EXPECT_EQ(pump.back().m.payload, "OFF");
    EXPECT_EQ(heater.back().m.payload, "ON");
    EXPECT_TRUE(pump.back().retain);
    EXPECT_TRUE(heater.back().retain);
    EXPECT_EQ(pump.back().m.at, 1s);  // announced on connect, not only queued at start
    EXPECT_EQ(heater.back().m.at, 1s);
    // Home Assistant discovery: the device's message with the sensor, retained, after the
    // hand-over's 2 s pause (the per-entity form is cleared first).
    EXPECT_EQ(f.discovery_mentioning("desk"), 0u);
    f.loop.advance(2s);
    EXPECT_EQ(f.discovery_mentioning("desk"), 1u);
}

TEST(gateway_component, readings_made_while_the_link_is_down_are_sent_in_order_after_connect) {
    gateway_fixture f;
    f.gw.start();  // readings at 0, 60, 120 s; the link stays down
    f.loop.settle();
    f.loop.advance(30s);
    f.chip->set_temperature(21.0);
    f.loop.advance(60s);
    f.chip->set_temperature(22.0);
    f.loop.advance(60s);  // 150 s
    EXPECT_TRUE(f.on("gw/sensors/desk").empty());
    EXPECT_EQ(f.gw.buffer->waiting(), 3u);
    const std::size_t before = f.broker.sent.size();
    f.link().up();
    // Handed over in the CONNACK's own turn, not once the first acknowledgement comes back
    // (the link's acks are still queued on the io_context here).
    EXPECT_EQ(f.on("gw/sensors/desk", before).size(), 3u) << "the readings waited for an ack";
    f.loop.settle();
    const auto readings = f.on("gw/sensors/desk", before);
    ASSERT_EQ(readings.size(), 3u);
    EXPECT_TRUE(has(readings[0].m.payload, "\"temperature\":20")) << readings[0].m.payload;
    EXPECT_TRUE(has(readings[1].m.payload, "\"temperature\":21")) << readings[1].m.payload;
    EXPECT_TRUE(has(readings[2].m.payload, "\"temperature\":22")) << readings[2].m.payload;
    for (const auto& r : readings) EXPECT_EQ(r.m.at, 150s);
    // After "online": the buffer drains once the gateway has announced itself.
    const auto online = std::find_if(f.broker.sent.begin() + before, f.broker.sent.end(),
                                     [](auto& s) { return s.m.topic == "gw/status"; });
    const auto first = std::find_if(f.broker.sent.begin() + before, f.broker.sent.end(),
                                    [](auto& s) { return s.m.topic == "gw/sensors/desk"; });
    EXPECT_LT(online - f.broker.sent.begin(), first - f.broker.sent.begin());
    EXPECT_EQ(f.gw.buffer->waiting(), 0u);  // acknowledged: out of the buffer
    // Connected: the next reading goes out at once, on its interval.
    f.loop.advance(30s);
    EXPECT_EQ(f.on("gw/sensors/desk", before).size(), 4u);
    EXPECT_EQ(f.on("gw/sensors/desk", before).back().m.at, 180s);
}

TEST(gateway_component, a_command_through_the_link_switches_the_line_and_publishes_the_state) {
    gateway_fixture f;
    f.gw.start();
    f.link().up();
    f.loop.settle();
    EXPECT_FALSE(f.line("GPIO22"));
    const std::size_t before = f.broker.sent.size();
    f.loop.advance(5s);
    f.link().deliver("gw/actuators/pump/set", "ON");
    f.loop.settle();
    EXPECT_TRUE(f.line("GPIO22"));
    const auto states = f.on("gw/actuators/pump/state", before);
    ASSERT_EQ(states.size(), 1u);
    EXPECT_EQ(states[0].m.payload, "ON");
    EXPECT_EQ(states[0].m.at, 5s);
    EXPECT_TRUE(states[0].retain);
    f.link().deliver("gw/actuators/pump/set", "OFF");
    f.loop.settle();
    EXPECT_FALSE(f.line("GPIO22"));
    EXPECT_EQ(f.payloads("gw/actuators/pump/state", before),
              (std::vector<std::string>{"ON", "OFF"}));
}

TEST(gateway_component, failsafe_after_switches_once_the_link_has_been_lost_for_its_delay) {
    gateway_fixture f;
    f.gw.start();
    f.link().up();
    f.loop.settle();
    EXPECT_TRUE(f.line("GPIO23"));  // heater: initial ON
    f.loop.advance(10s);
    f.link().down();  // at 10 s; failsafe_after_s 30
    f.loop.settle();
    f.loop.advance(29999ms);
    EXPECT_TRUE(f.line("GPIO23"));
    f.loop.advance(1ms);
    EXPECT_FALSE(f.line("GPIO23"));
    EXPECT_FALSE(f.line("GPIO22"));  // the pump has no failsafe_after: untouched (OFF)
    // Its state goes out when the link is back.
    const std::size_t before = f.broker.sent.size();
    f.link().up();
    f.loop.settle();
    const auto heater = f.payloads("gw/actuators/heater/state", before);
    ASSERT_FALSE(heater.empty());
    EXPECT_EQ(heater.front(), "OFF");
}

TEST(gateway_component, a_link_back_before_failsafe_after_keeps_the_outputs) {
    gateway_fixture f;
    f.gw.start();
    f.link().up();
    f.loop.settle();
    f.link().down();
    f.loop.settle();
    f.loop.advance(29s);
    f.link().up();
    f.loop.settle();
    f.loop.advance(1h);
    EXPECT_TRUE(f.line("GPIO23"));
}

TEST(gateway_component, an_actuator_a_reload_makes_in_an_outage_counts_failsafe_after_from_then) {
    gateway_fixture f;
    f.gw.start();
    f.link().up();
    f.loop.settle();
    f.loop.advance(10s);
    f.link().down();  // at 10 s: the heater's 30 s run from here
    f.loop.settle();
    f.loop.advance(10s);
    const auto fan = R"(, {"id": "fan", "line": "GPIO24", "initial": "ON", "failsafe": "OFF",
                           "failsafe_after_s": 30})";
    const auto summary = f.gw.reload(config_with(desk, "piogate-test", fan));  // at 20 s
    f.loop.time.run_due();
    f.loop.settle();
    EXPECT_TRUE(has(summary, "fan")) << summary;
    EXPECT_TRUE(f.line("GPIO24"));
    f.loop.advance(5s);
    f.link().fail_round();  // at 25 s: still unreachable; no countdown starts again
    f.loop.settle();
    f.loop.advance(14999ms);
    EXPECT_TRUE(f.line("GPIO23"));
    f.loop.advance(1ms);  // 40 s
    EXPECT_FALSE(f.line("GPIO23"));
    EXPECT_TRUE(f.line("GPIO24"));
    f.loop.advance(9999ms);
    EXPECT_TRUE(f.line("GPIO24"));
    f.loop.advance(1ms);  // 50 s: 30 s after the reload made it, not after the round at 25 s
    EXPECT_FALSE(f.line("GPIO24"));
}

TEST(gateway_component, a_reload_that_adds_a_sensor_announces_it_and_publishes_its_readings) {
    gateway_fixture f;
    f.gw.start();
    f.link().up();
    f.loop.settle();
    f.loop.advance(10s);
    const std::size_t before = f.broker.sent.size();
    const auto room = R"({"id": "room", "type": "mcp9808", "bus": 1, "address": "0x19",
                          "interval_s": 60})";
    const auto summary = f.gw.reload(config_with(std::string(desk) + ", " + room));
    f.loop.time.run_due();  // what the new sensor armed for now
    f.loop.settle();
    EXPECT_TRUE(has(summary, "room")) << summary;
    EXPECT_EQ(f.broker.links_made, 1);  // MQTT settings unchanged: the same link
    // Home Assistant: the new sensor's per-entity topic is handed over (cleared) at once, its
    // entity comes with the device's discovery message after the hand-over's 2 s pause.
    EXPECT_EQ(f.discovery_mentioning("room", before), 0u);
    f.loop.advance(2s);
    EXPECT_EQ(f.discovery_mentioning("room", before), 1u);
    const auto readings = f.on("gw/sensors/room", before);
    ASSERT_EQ(readings.size(), 1u);  // its first reading, at once
    EXPECT_TRUE(has(readings[0].m.payload, "\"temperature\":18")) << readings[0].m.payload;
    EXPECT_EQ(readings[0].m.at, 10s);
    EXPECT_TRUE(f.on("gw/sensors/desk", before).empty());  // kept running: not restarted
    f.loop.advance(60s);
    EXPECT_EQ(f.on("gw/sensors/room", before).size(), 2u);
    EXPECT_EQ(f.on("gw/sensors/desk", before).size(), 1u);  // its own interval: 60 s
}

TEST(gateway_component, a_new_client_on_the_same_broker_waits_at_most_3_s_for_the_old_one) {
    gateway_fixture f;
    f.gw.start();
    f.link().up();
    f.loop.settle();
    f.loop.advance(10s);
    f.link().hang_on_disconnect = true;  // the old connection never finishes its flush
    f.gw.reload(config_with(desk, "piogate-other"));
    f.loop.settle();
    ASSERT_EQ(f.broker.links_made, 2);
    auto& fresh = f.link();
    EXPECT_EQ(fresh.connects, 0);  // not while the old one may still hold the session
    f.loop.advance(2999ms);
    EXPECT_EQ(fresh.connects, 0);
    f.loop.advance(1ms);
    EXPECT_EQ(fresh.connects, 1);
    EXPECT_EQ(f.broker.current, &fresh);
}

TEST(gateway_component, the_housekeeping_tick_updates_the_status_line_every_second) {
    gateway_fixture f;
    std::vector<std::string> lines;
    f.gw.status_callback = [&](const std::string& s) { lines.push_back(s); };
    f.gw.start();  // the first reading, at 0 s, waits in the buffer: the link is down
    f.loop.time.run_due();
    f.loop.settle();
    ASSERT_FALSE(lines.empty());
    EXPECT_TRUE(has(lines.back(), "broker connecting to fake:1883")) << lines.back();
    EXPECT_TRUE(has(lines.back(), "1 sensor, 1 input, 2 actuators")) << lines.back();
    EXPECT_EQ(f.gw.buffer->waiting(), 1u);
    // No event says so; the housekeeping tick, each second, does.
    f.loop.advance(999ms);
    EXPECT_FALSE(has(lines.back(), "buffered")) << lines.back();
    f.loop.advance(1ms);
    EXPECT_TRUE(has(lines.back(), "1 readings buffered")) << lines.back();
    f.link().up();
    f.loop.settle();
    EXPECT_TRUE(has(lines.back(), "broker connected to fake:1883")) << lines.back();
    EXPECT_FALSE(has(lines.back(), "buffered")) << lines.back();
}

TEST(gateway_component, an_input_pattern_on_the_simulated_board_is_published_on_virtual_time) {
    gateway_fixture f;
    f.gw.start();
    f.link().up();
    f.loop.settle();
    const std::size_t before = f.broker.sent.size();
    f.loop.advance(2100ms);  // toggles at 0.5, 1, 1.5 and 2 s
    const auto door = f.on("gw/inputs/door", before);
    ASSERT_EQ(door.size(), 4u);
    for (std::size_t i = 0; i < door.size(); ++i) {
        EXPECT_EQ(door[i].m.at, 500ms * static_cast<int>(i + 1) + 5ms);  // + the debounce
        EXPECT_NE(door[i].m.payload, i ? door[i - 1].m.payload : f.payloads("gw/inputs/door")[0]);
        EXPECT_TRUE(door[i].retain);
    }
}

TEST(gateway_component, the_simulated_sysfs_tree_follows_its_wave_on_virtual_time) {
    gateway_fixture f(R"({"id": "soc", "type": "soc_temperature", "interval_s": 30})", true);
    f.loop.advance(500ms);  // readings at 0.5, 30.5, 60.5 and 90.5 s: between the tree's ticks
    f.gw.start();
    f.link().up();
    f.loop.settle();
    f.loop.advance(90s);
    // 48 + 4 sin(2π t / 120 s) for t the last whole second: 48, 52, 48, 44 °C.
    const auto soc = f.on("gw/sensors/soc");
    ASSERT_EQ(soc.size(), 4u);
    const char* const expected[] = {"\"temperature\":48", "\"temperature\":52",
                                    "\"temperature\":48", "\"temperature\":44"};
    for (std::size_t i = 0; i < soc.size(); ++i) {
        EXPECT_EQ(soc[i].m.at, 500ms + 30s * static_cast<int>(i));
        EXPECT_TRUE(has(soc[i].m.payload, expected[i])) << i << ": " << soc[i].m.payload;
    }
}

// One reload moves GPIO24 from a pulse counter to an input, and GPIO25 from an input to an
// actuator: every kind releases its lines before any kind requests one, so both new channels
// come up (the counter's line used to be still busy when the input was made).
TEST(gateway_component, a_line_moves_from_a_counter_to_an_input_in_one_reload) {
    gateway_fixture f(gpio_config(R"("inputs": [{"id": "button", "line": "GPIO25"}],
        "counters": [{"id": "power", "line": "GPIO24"}])"));
    f.gw.start();
    f.link().up();
    f.loop.settle();
    const std::size_t before = f.broker.sent.size();
    const auto summary = f.gw.reload(gpio_config(R"("inputs": [{"id": "meter", "line": "GPIO24"}],
        "actuators": [{"id": "lamp", "line": "GPIO25", "initial": "ON"}])"));
    f.loop.settle();
    EXPECT_TRUE(has(summary, "counter power removed")) << summary;
    EXPECT_TRUE(has(summary, "input button removed")) << summary;
    EXPECT_TRUE(has(summary, "input meter added")) << summary;
    EXPECT_TRUE(has(summary, "actuator lamp added")) << summary;
    EXPECT_FALSE(has(summary, "stopped")) << summary;
    EXPECT_EQ(f.payloads("gw/inputs/meter", before), std::vector<std::string>{"OFF"});
    EXPECT_EQ(f.payloads("gw/actuators/lamp/state", before), std::vector<std::string>{"ON"});
    EXPECT_TRUE(f.line("GPIO25"));
    // And back in one reload: the input's line to the counter, the actuator's to the input.
    const auto back = f.gw.reload(gpio_config(R"("inputs": [{"id": "button", "line": "GPIO25"}],
        "counters": [{"id": "power", "line": "GPIO24"}])"));
    EXPECT_TRUE(has(back, "counter power added")) << back;
    EXPECT_TRUE(has(back, "input button added")) << back;
    EXPECT_FALSE(has(back, "stopped")) << back;
}
