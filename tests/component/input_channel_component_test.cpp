// Component tier: a GPIO input channel on the simulated GPIO chip and on virtual time: a
// bounce burst publishes one change, the debounce period after the level settled; a glitch
// shorter than the period publishes nothing; a scripted door contact toggling every 10 s is
// followed for an hour, each change at exactly its time plus the debounce. No sleeps, no broker.
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include "app/gpio_channels.hpp"
#include "component/recording_host.hpp"
#include "component/virtual_loop.hpp"
#include "hw/sim/sim_gpio.hpp"

using namespace piogate;
using namespace std::chrono_literals;

namespace {

using component::recording_host;

struct input_fixture {
    explicit input_fixture(std::string line) {
        gpio.add_raspberry_pi_chip();
        config::input_config c;
        c.id = "door";
        c.line = std::move(line);
        c.bias = "pull_down";
        c.debounce = 50ms;
        ch = std::make_unique<app::input_channel>(host, c, gpio);
    }
    component::virtual_loop loop;
    recording_host host{loop, "gw"};
    hw::sim_gpio gpio{loop.io, loop.time};
    std::unique_ptr<app::input_channel> ch;
};

}  // namespace

TEST(input_channel_component, a_bounce_burst_publishes_one_change_after_the_debounce) {
    input_fixture f("GPIO17");
    f.loop.advance(1s);
    // Contact closing: 5 ms of bounce, then high for good at 1.020 s.
    for (bool level : {true, false, true, false, true}) {
        f.gpio.set_input("GPIO17", level);
        f.loop.advance(5ms);
    }
    f.loop.advance(44ms);  // 1.069 s: 49 ms of the 50 held
    EXPECT_TRUE(f.host.published.empty());
    f.loop.advance(1ms);
    ASSERT_EQ(f.host.published.size(), 1u);
    EXPECT_EQ(f.host.published[0].topic, "gw/inputs/door");
    EXPECT_EQ(f.host.published[0].payload, "ON");
    EXPECT_EQ(f.host.published[0].at, 1070ms);
    EXPECT_TRUE(f.ch->level());
    // A 30 ms glitch to low: shorter than the period, nothing.
    f.gpio.set_input("GPIO17", false);
    f.loop.advance(30ms);
    f.gpio.set_input("GPIO17", true);
    f.loop.advance(1min);
    EXPECT_EQ(f.host.published.size(), 1u);
    // Opening for good: OFF exactly 50 ms later.
    f.gpio.set_input("GPIO17", false);
    f.loop.advance(1min);
    ASSERT_EQ(f.host.published.size(), 2u);
    EXPECT_EQ(f.host.published[1].payload, "OFF");
    EXPECT_EQ(f.host.published[1].at, 1070ms + 30ms + 1min + 50ms);
    EXPECT_EQ(f.loop.time.pending(), 0u);  // no debounce timer left armed
}

TEST(input_channel_component, a_door_toggling_every_10_s_for_an_hour) {
    input_fixture f("GPIO18");
    f.gpio.toggle_every("GPIO18", 10s);
    f.loop.advance(1h);
    ASSERT_EQ(f.host.published.size(), 359u);  // toggles at 10, 20, ..., 3600 s; the last is pending
    for (std::size_t i = 0; i < f.host.published.size(); ++i) {
        EXPECT_EQ(f.host.published[i].at, 10s * static_cast<int>(i + 1) + 50ms) << i;
        EXPECT_EQ(f.host.published[i].payload, i % 2 == 0 ? "ON" : "OFF") << i;
    }
    f.gpio.stop("GPIO18");
    f.loop.advance(1min);
    EXPECT_EQ(f.host.published.size(), 360u);  // the last change's debounce ran out
    EXPECT_EQ(f.loop.time.pending(), 0u);
}
