// Component tier: a GPIO actuator on the simulated GPIO chip and on virtual time: a pulse
// returns exactly at its duration (and a command in between cancels the return);
// failsafe_after switches after exactly its delay, a reconnect before then cancels it, and a
// failsafe ON the interlock refuses is tried again each second (or when the dead time ends);
// "restore" writes the state file at most once a second under a flood of commands. No sleeps,
// no broker.
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include <memory>
#include <string>
#include <vector>

#include "app/actuator_state_file.hpp"
#include "app/gpio_channels.hpp"
#include "component/recording_host.hpp"
#include "component/state_dir.hpp"
#include "component/virtual_loop.hpp"
#include "hw/sim/sim_gpio.hpp"

using namespace piogate;
using namespace std::chrono_literals;

namespace {

using component::message;

config::actuator_config actuator(std::string id, std::string line) {
    config::actuator_config c;
    c.id = std::move(id);
    c.line = std::move(line);
    return c;
}

struct actuator_fixture {
    explicit actuator_fixture(std::vector<config::interlock_config> groups = {})
        : interlock(std::move(groups)) {
        gpio.add_raspberry_pi_chip();
        loop.watch([this] { return states.pending(); });
    }
    app::actuator_channel& add(const config::actuator_config& c) {
        channels.push_back(std::make_unique<app::actuator_channel>(loop.time, host, c,
                                                                   gpio, interlock, states));
        return *channels.back();
    }
    // The state messages of actuator `id`, in order.
    std::vector<message> states_of(const std::string& id) const {
        std::vector<message> out;
        for (const auto& m : host.published) {
            if (m.topic == "gw/actuators/" + id + "/state") out.push_back(m);
        }
        return out;
    }
    bool line(const char* name) const { return gpio.output_level(name).value_or(false); }

    component::state_dir dir;  // first: STATE_DIRECTORY is set before anything reads it
    component::virtual_loop loop;
    component::recording_host host{loop, "gw"};
    hw::sim_gpio gpio{loop.io, loop.time};
    app::rules::interlock interlock;
    app::state_file_writer states{loop.io};
    std::vector<std::unique_ptr<app::actuator_channel>> channels;  // last: destroyed first
};

}  // namespace

TEST(actuator_channel_component, a_pulse_returns_exactly_at_its_duration) {
    actuator_fixture f;
    auto& valve = f.add(actuator("valve", "GPIO22"));
    f.loop.advance(1s);
    valve.command("gw/actuators/valve/set", R"({"state":"ON","duration_ms":1500})", false);
    EXPECT_TRUE(f.line("GPIO22"));
    f.loop.advance(1499ms);
    EXPECT_TRUE(f.line("GPIO22"));
    EXPECT_EQ(f.states_of("valve").size(), 1u);
    f.loop.advance(1ms);
    EXPECT_FALSE(f.line("GPIO22"));
    auto s = f.states_of("valve");
    ASSERT_EQ(s.size(), 2u);
    EXPECT_EQ(s[0].payload, "ON");
    EXPECT_EQ(s[0].at, 1s);
    EXPECT_EQ(s[1].payload, "OFF");
    EXPECT_EQ(s[1].at, 2500ms);
    EXPECT_EQ(f.loop.time.pending(), 0u);
    // A command during a pulse cancels its return: ON stays ON.
    valve.command("gw/actuators/valve/set", R"({"state":"ON","duration_ms":1000})", false);
    f.loop.advance(400ms);
    valve.command("gw/actuators/valve/set", "ON", false);
    f.loop.advance(1h);
    EXPECT_TRUE(f.line("GPIO22"));
    EXPECT_EQ(f.states_of("valve").size(), 4u);
}

TEST(actuator_channel_component, failsafe_after_switches_after_exactly_its_delay) {
    actuator_fixture f;
    auto c = actuator("pump", "GPIO23");
    c.failsafe_after = 30s;  // failsafe: OFF
    auto& pump = f.add(c);
    pump.command("gw/actuators/pump/set", "ON", false);
    f.loop.advance(1h);
    pump.broker_lost();
    f.loop.advance(20s);
    pump.broker_lost();  // already armed: does not restart the delay
    f.loop.advance(9999ms);
    EXPECT_TRUE(f.line("GPIO23"));
    f.loop.advance(1ms);
    EXPECT_FALSE(f.line("GPIO23"));
    auto s = f.states_of("pump");
    ASSERT_EQ(s.size(), 2u);
    EXPECT_EQ(s[1].payload, "OFF");
    EXPECT_EQ(s[1].at, 1h + 30s);
    // The broker back before the delay ran out: nothing happens.
    pump.broker_back();
    pump.command("gw/actuators/pump/set", "ON", false);
    pump.broker_lost();
    f.loop.advance(29s);
    pump.broker_back();
    f.loop.advance(1h);
    EXPECT_TRUE(f.line("GPIO23"));
    EXPECT_EQ(f.states_of("pump").size(), 3u);
    EXPECT_EQ(f.loop.time.pending(), 0u);
}

TEST(actuator_channel_component, a_refused_failsafe_on_is_tried_each_second_and_after_dead_time) {
    config::interlock_config group;
    group.actuators = {"heat", "cool"};
    group.dead_time = 2s;
    actuator_fixture f({group});
    auto& heat = f.add(actuator("heat", "GPIO5"));
    auto c = actuator("cool", "GPIO6");
    c.failsafe = true;
    c.failsafe_after = 10s;
    auto& cool = f.add(c);
    EXPECT_EQ(heat.switch_to(true), "");
    cool.broker_lost();
    // At 10 s the failsafe ON is refused (heat is ON), then tried at 11, 12, 13 s, ...
    f.loop.advance(12500ms);
    EXPECT_FALSE(f.line("GPIO6"));
    EXPECT_EQ(heat.switch_to(false), "");  // at 12.5 s: the dead time holds cool until 14.5 s
    f.loop.advance(1999ms);
    EXPECT_FALSE(f.line("GPIO6"));
    f.loop.advance(1ms);
    EXPECT_TRUE(f.line("GPIO6"));
    auto s = f.states_of("cool");
    ASSERT_EQ(s.size(), 1u);
    EXPECT_EQ(s[0].payload, "ON");
    EXPECT_EQ(s[0].at, 14500ms);
    EXPECT_EQ(f.loop.time.pending(), 0u);  // no retry left once it is ON
}

TEST(actuator_channel_component, restore_writes_at_most_once_a_second_under_a_flood) {
    actuator_fixture f;
    auto c = actuator("light", "GPIO24");
    c.restore = true;
    auto& light = f.add(c);
    const auto path = app::default_actuator_state_path("light");
    struct write {
        std::chrono::steady_clock::duration at;
        std::string text;
    };
    std::vector<write> writes;
    // 300 toggles, one every 10 ms: after toggle k (at 10k ms) the light is ON for even k.
    for (int k = 0; k < 300; ++k) {
        light.command("gw/actuators/light/set", "TOGGLE", false);
        f.loop.advance(10ms);
        if (auto text = f.dir.take(path)) writes.push_back({f.loop.elapsed(), *text});
    }
    f.loop.advance(1h);
    if (auto text = f.dir.take(path)) writes.push_back({f.loop.elapsed(), *text});
    // The first at once; then each second, the newest state (toggles 99, 199, 299: OFF).
    ASSERT_EQ(writes.size(), 4u);
    EXPECT_EQ(writes[0].at, 10ms);
    EXPECT_EQ(writes[0].text, app::encode_actuator_state("light", true));
    for (int i = 1; i < 4; ++i) {
        EXPECT_EQ(writes[i].at, 1000ms * i) << i;
        EXPECT_EQ(writes[i].text, app::encode_actuator_state("light", false)) << i;
    }
    EXPECT_EQ(f.loop.time.pending(), 0u);
}
