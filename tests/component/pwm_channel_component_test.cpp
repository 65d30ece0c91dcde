// Component tier: a PWM output on the simulated controller and on virtual time: a ramp's
// steps land at their due times (and nowhere between), its state is published once, at its
// end; a command during a ramp starts from where the ramp is; the broker-lost failsafe comes
// after exactly its delay. No sleeps, no broker.
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include <cmath>

#include "app/pwm_channel.hpp"
#include "component/recording_host.hpp"
#include "component/virtual_loop.hpp"
#include "hw/sim/sim_pwm.hpp"

using namespace piogate;
using namespace std::chrono_literals;

namespace {

using component::recording_host;

struct pwm_fixture {
    pwm_fixture() {
        sim.add_chip(0, 2);
        config::pwm_config c;
        c.id = "fan";
        c.channel = 1;
        c.frequency_hz = 25000;  // 40 µs period
        c.initial = 20;
        c.failsafe = 100;
        c.failsafe_after = 10s;
        c.ramp = 30s;  // 60 % in 30 s: 600 steps of 0.1 %, one every 50 ms
        ch = std::make_unique<app::pwm_channel>(loop.time, host, c, sim);
    }
    std::uint64_t duty_ns() { return sim.state({0, 1})->duty_ns; }

    component::virtual_loop loop;
    recording_host host{loop, "gw"};
    hw::sim_pwm sim;
    std::unique_ptr<app::pwm_channel> ch;
};

}  // namespace

TEST(pwm_channel_component, a_ramp_steps_every_50_ms_and_publishes_once_at_its_end) {
    pwm_fixture f;
    f.ch->command("gw/pwm/fan/set", "80", false);
    EXPECT_DOUBLE_EQ(f.ch->duty(), 20);  // the first step is the start
    int changes = 0;
    double last = f.ch->duty();
    for (int ms = 10; ms <= 31000; ms += 10) {
        f.loop.advance(10ms);
        // Where the ramp was at the last 50 ms step before now (the end: 80 %).
        const double step_ms = std::min(30000, ms / 50 * 50);
        const double want = 20 + 60 * step_ms / 30000;
        ASSERT_NEAR(f.ch->duty(), want, 1e-9) << "at " << ms << " ms";
        if (f.ch->duty() != last) ++changes;
        last = f.ch->duty();
    }
    EXPECT_EQ(changes, 600);
    EXPECT_EQ(f.duty_ns(), 32000u);  // 80 % of 40 µs
    ASSERT_EQ(f.host.published.size(), 1u);
    EXPECT_EQ(f.host.published[0].topic, "gw/pwm/fan/state");
    EXPECT_EQ(f.host.published[0].payload, R"({"duty":80.0,"state":"ON"})");
    EXPECT_DOUBLE_EQ(f.host.published[0].seconds(), 30);
    EXPECT_EQ(f.loop.time.pending(), 0u);  // nothing left armed after the ramp
}

TEST(pwm_channel_component, a_command_during_a_ramp_starts_from_where_it_is) {
    pwm_fixture f;
    f.ch->command("gw/pwm/fan/set", "80", false);
    f.loop.advance(15s);
    EXPECT_DOUBLE_EQ(f.ch->duty(), 50);
    f.ch->command("gw/pwm/fan/set", "OFF", false);  // 50 -> 0 over 30 s: a step every 60 ms
    f.loop.advance(15s);
    EXPECT_NEAR(f.ch->duty(), 25, 1e-9);
    f.loop.advance(15s);
    EXPECT_DOUBLE_EQ(f.ch->duty(), 0);
    ASSERT_EQ(f.host.published.size(), 1u);  // only the second ramp ended
    EXPECT_EQ(f.host.published[0].payload, R"({"duty":0.0,"state":"OFF"})");
    EXPECT_DOUBLE_EQ(f.host.published[0].seconds(), 45);
}

TEST(pwm_channel_component, the_failsafe_comes_after_exactly_its_delay) {
    pwm_fixture f;
    f.loop.advance(1h);
    f.ch->broker_lost();
    f.loop.advance(9999ms);
    EXPECT_DOUBLE_EQ(f.ch->duty(), 20);
    f.loop.advance(1ms);
    EXPECT_DOUBLE_EQ(f.ch->duty(), 100);  // at once, no ramp
    ASSERT_EQ(f.host.published.size(), 1u);
    EXPECT_DOUBLE_EQ(f.host.published[0].seconds(), 3610);
    // Back in time: a second loss restarts the delay.
    f.ch->broker_back();
    f.ch->command("gw/pwm/fan/set", "20", false);
    f.loop.advance(30s);
    f.ch->broker_lost();
    f.ch->broker_back();
    f.loop.advance(1h);
    EXPECT_DOUBLE_EQ(f.ch->duty(), 20);
}
