// The PWM channel against the simulated controller, with a recording host (no broker): start-up
// state, commands and their state messages, ON after OFF restores the last duty, TOGGLE, a
// failed write goes to the error topic and leaves the state, retained commands, failsafe.
#include "app/pwm_channel.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <cerrno>

#include "hw/sim/sim_pwm.hpp"
#include "util/asio_scheduler.hpp"

namespace piogate::app {
namespace {

struct recording_host final : channel_host {
    const std::string& prefix() const override { return prefix_; }
    void publish(const std::string& topic, const std::string& payload, int, bool retain) override {
        sent.push_back({topic, payload, 1, retain});
    }
    void publish_reading(buffered_message m) override { sent.push_back(std::move(m)); }
    void health_changed() override {}
    std::string last(const std::string& topic) const {
        for (auto it = sent.rbegin(); it != sent.rend(); ++it) {
            if (it->topic == topic) return it->payload;
        }
        return "(none)";
    }
    std::string prefix_ = "gw";
    std::vector<buffered_message> sent;
};

class PwmChannel : public ::testing::Test {
protected:
    PwmChannel() { sim.add_chip(0, 2); }
    std::unique_ptr<pwm_channel> make(config::pwm_config c) {
        return std::make_unique<pwm_channel>(time, host, std::move(c), sim);
    }
    hw::pwm_state hw_state() { return *sim.state({0, 1}); }

    boost::asio::io_context io;
    util::asio_scheduler time{io};
    recording_host host;
    hw::sim_pwm sim;
};

config::pwm_config fan() {
    config::pwm_config c;
    c.id = "fan";
    c.channel = 1;
    c.frequency_hz = 25000;
    c.initial = 20;
    c.failsafe = 100;
    return c;
}

TEST_F(PwmChannel, StartsAtTheInitialDutyAndFollowsCommands) {
    auto ch = make(fan());
    EXPECT_EQ(hw_state(), (hw::pwm_state{40000, 8000, hw::pwm_polarity::normal, true}));
    ch->publish_state();
    EXPECT_EQ(host.last("gw/pwm/fan/state"), R"({"duty":20.0,"state":"ON"})");
    const std::vector<std::tuple<const char*, double, std::uint64_t>> rows{
        {"55", 55, 22000},
        {"OFF", 0, 0},
        {"ON", 55, 22000},
        {"TOGGLE", 0, 0},
        {"TOGGLE", 55, 22000},
        {"0", 0, 0},
        {R"({"duty": 12.34})", 12.34, 4936},
        {"on", 12.34, 4936},
    };
    for (const auto& [payload, duty, ns] : rows) {
        ch->command("gw/pwm/fan/set", payload, false);
        EXPECT_DOUBLE_EQ(ch->duty(), duty) << payload;
        EXPECT_EQ(hw_state().duty_ns, ns) << payload;
        EXPECT_TRUE(hw_state().enabled) << "OFF keeps the output enabled at duty 0";
    }
    EXPECT_EQ(host.last("gw/pwm/fan/state"), R"({"duty":12.3,"state":"ON"})");
}

TEST_F(PwmChannel, OnWithoutAnEarlierDutyIs100) {
    auto c = fan();
    c.initial = 0;
    auto ch = make(c);
    ch->command("gw/pwm/fan/set", "ON", false);
    EXPECT_DOUBLE_EQ(ch->duty(), 100);
    EXPECT_EQ(hw_state().duty_ns, 40000u);
}

TEST_F(PwmChannel, BadAndRetainedCommandsChangeNothing) {
    auto ch = make(fan());
    const auto before = host.sent.size();
    for (const char* bad : {"", "101", "fast", R"({"duty": -1})"})
        ch->command("gw/pwm/fan/set", bad, false);
    ch->command("gw/pwm/fan/set", "80", true);  // retained, accept_retained off
    EXPECT_DOUBLE_EQ(ch->duty(), 20);
    EXPECT_EQ(hw_state().duty_ns, 8000u);
    EXPECT_EQ(host.sent.size(), before);
}

TEST_F(PwmChannel, AFailedWriteIsPublishedOnTheErrorTopicAndTheStateStays) {
    auto ch = make(fan());
    sim.fail_writes({0, 1}, EIO);
    ch->command("gw/pwm/fan/set", "70", false);
    EXPECT_DOUBLE_EQ(ch->duty(), 20);
    EXPECT_EQ(host.last("gw/pwm/fan/error"),
              "pwmchip0/pwm1: write duty_cycle 28000: Input/output error");
    EXPECT_EQ(host.last("gw/pwm/fan/state"), "(none)");
    sim.fail_writes({0, 1}, 0);
    ch->command("gw/pwm/fan/set", "70", false);
    EXPECT_EQ(host.last("gw/pwm/fan/state"), R"({"duty":70.0,"state":"ON"})");
}

TEST_F(PwmChannel, ADutyChangeWritesOnlyTheDutyAndReadsNothing) {
    // What each ramp step does (set_duty): from the state last written, not read back.
    auto ch = make(fan());
    EXPECT_EQ(sim.reads({0, 1}), 1u) << "the start reads the channel once";
    EXPECT_EQ(sim.writes({0, 1}), 3u) << "period, duty, enable";
    for (const char* payload : {"55", "OFF", "ON", "12.34", "12.34"}) {
        ch->command("gw/pwm/fan/set", payload, false);
    }
    EXPECT_EQ(hw_state().duty_ns, 4936u);
    EXPECT_EQ(sim.reads({0, 1}), 1u);
    EXPECT_EQ(sim.writes({0, 1}), 3u + 4u) << "one duty_cycle write per change, none for no change";
    // After a failed write the state is unknown: the next change reads it first.
    sim.fail_writes({0, 1}, EIO);
    ch->command("gw/pwm/fan/set", "30", false);
    sim.fail_writes({0, 1}, 0);
    ch->command("gw/pwm/fan/set", "40", false);
    EXPECT_EQ(hw_state().duty_ns, 16000u);
    EXPECT_EQ(sim.reads({0, 1}), 2u);
    EXPECT_EQ(sim.writes({0, 1}), 7u + 2u);
}

TEST_F(PwmChannel, FailsafeAndStartUpErrors) {
    auto ch = make(fan());
    ch->apply_failsafe("test");
    EXPECT_DOUBLE_EQ(ch->duty(), 100);
    EXPECT_EQ(hw_state().duty_ns, 40000u);
    auto busy = fan();
    busy.id = "other";
    try {
        make(busy);
        FAIL() << "the channel is exported already";
    } catch (const std::runtime_error& e) {
        EXPECT_STREQ(
            e.what(),
            "pwmchip0/pwm1: export: Device or resource busy (exported by another program)");
    }
    auto missing = fan();
    missing.chip = 7;
    EXPECT_THROW(make(missing), std::runtime_error);
}

}  // namespace
}  // namespace piogate::app
