// app::log_limited and the command router on virtual time: a burst writes the limit's worth,
// then exactly one "suppressed" line once the window has passed on the injected clock; the
// count still comes when the caller is gone before it, and a scheduler destroyed with the
// flush still pending drops it cleanly.
#include "app/limited_log.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "app/command_router.hpp"
#include "app/pwm_channel.hpp"
#include "hw/sim/sim_pwm.hpp"
#include "unit/quiet_host.hpp"
#include "util/virtual_scheduler.hpp"

namespace piogate::app {
namespace {

using namespace std::chrono_literals;

struct line {
    log::level lvl;
    std::string domain;
    std::string message;
    log::fields extra;
};

class recording_sink final : public log::sink {
public:
    void write(log::level lvl, std::string_view domain, std::string_view message,
               const log::fields& extra) override {
        lines.push_back({lvl, std::string(domain), std::string(message), extra});
    }
    std::vector<line> lines;
};

// Only what the router uses: subscriptions and their callbacks.
class callback_link final : public mqtt_link {
public:
    void deliver(const std::string& filter, const std::string& topic) {
        mqtt::message m;
        m.topic = topic;
        m.payload = "ON";
        callbacks_.at(filter)(m);
    }
    void connect(std::vector<mqtt::broker_address>, std::uint16_t, std::string) override {}
    void disconnect() override {}
    void set_auto_reconnect(bool) override {}
    mqtt::publish_result publish(std::string_view, std::string_view, int, bool) override {
        return {};
    }
    mqtt::publish_result publish(std::string_view, std::string_view, int, bool,
                                 const mqtt::properties&) override {
        return {};
    }
    int subscribe(std::string_view, int) override { return 1; }
    int unsubscribe(std::string_view) override { return 1; }
    void message_callback_add(std::string filter,
                              std::function<void(const mqtt::message&)> cb) override {
        callbacks_[std::move(filter)] = std::move(cb);
    }
    void message_callback_remove(std::string_view filter) override {
        callbacks_.erase(std::string(filter));
    }
    mqtt::connection_state state() const override { return mqtt::connection_state::connected; }
    const mqtt::broker_address& current_broker() const override { return broker_; }
    std::size_t queued_messages() const override { return 0; }

private:
    std::map<std::string, std::function<void(const mqtt::message&)>> callbacks_;
    mqtt::broker_address broker_;
};

class LimitedLog : public ::testing::Test {
protected:
    void SetUp() override {
        log::set_sink(sink_);
        log::reset_limits(5, 10s);
    }
    void TearDown() override {
        log::set_sink(nullptr);
        log::reset_limits(5, 10s);
    }
    std::vector<std::string> messages() const {
        std::vector<std::string> m;
        for (const auto& l : sink_->lines) m.push_back(l.message);
        return m;
    }

    const log::logger log_{"test"};
    std::shared_ptr<recording_sink> sink_ = std::make_shared<recording_sink>();
    util::virtual_scheduler time_;
};

TEST_F(LimitedLog, ABurstWritesTheLimitThenOneCountAfterTheWindow) {
    const log::fields channel{{"PIOGATE_CHANNEL", "pump"}};
    for (int i = 0; i < 20; ++i) {
        log_limited(log_, time_, log::level::warning, "pump: bad command",
                    "bad command " + std::to_string(i), channel);
        time_.advance(10ms);  // 200 ms in all: one window
    }
    ASSERT_EQ(sink_->lines.size(), 5u);
    EXPECT_EQ(sink_->lines[4].message, "bad command 4");
    EXPECT_EQ(time_.pending(), 1u) << "one flush timer per window, not one per event";

    time_.advance_to(time_.now() + 10s - 200ms - 1ms);  // the window began at the first event
    EXPECT_EQ(sink_->lines.size(), 5u) << "the count came before the window had passed";
    time_.advance(1ms);
    ASSERT_EQ(sink_->lines.size(), 6u);
    const line& s = sink_->lines[5];
    EXPECT_EQ(s.message, "pump: bad command: 15 similar messages suppressed in 10 s");
    EXPECT_EQ(s.lvl, log::level::warning);
    EXPECT_EQ(s.domain, "test");
    ASSERT_EQ(s.extra.size(), 1u);
    EXPECT_EQ(s.extra[0].value, "pump");
    EXPECT_EQ(time_.pending(), 0u);

    time_.advance(1h);
    EXPECT_EQ(sink_->lines.size(), 6u) << "the count is written once";
}

TEST_F(LimitedLog, TheWindowFollowsTheInjectedClock) {
    for (int i = 0; i < 5; ++i) log_limited(log_, time_, log::level::warning, "k", "first");
    time_.advance(10s);  // no real time passes: only the virtual clock says the window is over
    for (int i = 0; i < 5; ++i) log_limited(log_, time_, log::level::warning, "k", "second");
    EXPECT_EQ(sink_->lines.size(), 10u);
    EXPECT_EQ(time_.pending(), 0u) << "nothing suppressed, no timer";
}

TEST_F(LimitedLog, TheCountComesAfterTheRouterIsGone) {
    callback_link link;
    int routed = 0;
    auto router = std::make_unique<command_router>(
        time_, "actuator", [&](const std::string& id, const mqtt::message&) {
            ++routed;
            return id == "pump";
        });
    router->subscribe(link, "gw/actuators/+/set");
    link.deliver("gw/actuators/+/set", "gw/actuators/pump/set");
    for (int i = 0; i < 8; ++i)
        link.deliver("gw/actuators/+/set", "gw/actuators/nosuch" + std::to_string(i) + "/set");
    EXPECT_EQ(routed, 9);
    ASSERT_EQ(sink_->lines.size(), 5u);
    EXPECT_EQ(sink_->lines[0].message,
              "command for unknown actuator on gw/actuators/nosuch0/set ignored");

    router.reset();  // a reload removed the kind: its router goes before the window has passed
    time_.advance(10s);
    ASSERT_EQ(sink_->lines.size(), 6u);
    EXPECT_EQ(sink_->lines[5].message,
              "commands for unknown actuators: 3 similar messages suppressed in 10 s");
}

TEST_F(LimitedLog, TheCountComesAfterTheChannelIsGone) {
    hw::sim_pwm sim;
    sim.add_chip(0, 2);
    boost::asio::io_context io;
    quiet_host host;
    config::pwm_config c;
    c.id = "fan";
    c.channel = 1;
    auto fan = std::make_unique<pwm_channel>(time_, host, c, sim);
    for (int i = 0; i < 9; ++i) fan->command("gw/pwm/fan/set", "fast", false);
    ASSERT_EQ(sink_->lines.size(), 5u);
    fan.reset();  // a reload removed it
    time_.advance(10s);
    ASSERT_EQ(sink_->lines.size(), 6u);
    EXPECT_EQ(sink_->lines[5].message,
              "pwm fan: bad command: 4 similar messages suppressed in 10 s");
    ASSERT_EQ(sink_->lines[5].extra.size(), 1u);
    EXPECT_EQ(sink_->lines[5].extra[0].value, "fan");
}

TEST_F(LimitedLog, ASchedulerDestroyedWithAFlushPendingDropsIt) {
    {
        util::virtual_scheduler short_lived;
        for (int i = 0; i < 7; ++i) log_limited(log_, short_lived, log::level::warning, "k", "m");
        EXPECT_EQ(short_lived.pending(), 1u);
    }  // the self-owned timer is destroyed with the queue, unrun (ASan: no leak, no use after)
    EXPECT_EQ(sink_->lines.size(), 5u);
}

}  // namespace
}  // namespace piogate::app
