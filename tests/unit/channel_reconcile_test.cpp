// app::reconcile, the reload algorithm every kind of channel shares, on made-up channels that
// write what happens to them into one event list.
#include "app/channel_reconcile.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace piogate::app {
namespace {

struct fake_config {
    std::string id;
    int line = 0;         // can_keep: the same line
    std::string setting;  // taken over by update
    std::string path;     // the JSON path: not a change
    bool operator==(const fake_config&) const = default;
};

struct fake_channel {
    fake_channel(fake_config c, std::vector<std::string>& events)
        : c_(std::move(c)), events_(events) {
        events_.push_back("make " + c_.id);
    }
    ~fake_channel() { events_.push_back("destroy " + c_.id); }
    const fake_config& config() const { return c_; }
    fake_config c_;
    std::vector<std::string>& events_;
};

using fake_ptr = std::unique_ptr<fake_channel>;
const log::logger test_log("test");

class reconcile_test : public ::testing::Test {
protected:
    reconcile_rules<fake_ptr, fake_config> rules(const std::string& kind = "input") {
        return {
            kind,
            "line settings changed",
            [](const fake_ptr& ch, const fake_config& c) { return ch->config().line == c.line; },
            [this](const fake_ptr& ch, const fake_config& c) {
                events.push_back("update " + c.id);
                ch->c_ = c;
            },
            [this](const fake_ptr& ch, bool still_listed) {
                events.push_back("release " + ch->config().id +
                                 (still_listed ? " (listed)" : " (gone)"));
            },
            [this](const fake_config& c) {
                if (c.setting == "broken") throw std::runtime_error("line busy");
                return std::make_unique<fake_channel>(c, events);
            }};
    }
    std::vector<fake_ptr> start(const std::vector<fake_config>& cfg) {
        std::vector<fake_ptr> running;
        for (const auto& c : cfg) running.push_back(std::make_unique<fake_channel>(c, events));
        events.clear();
        return running;
    }
    std::vector<std::string> ids(const std::vector<fake_ptr>& v) {
        std::vector<std::string> out;
        for (const auto& ch : v) out.push_back(ch->config().id);
        return out;
    }

    std::vector<std::string> events;
    std::vector<std::string> changes;
};

TEST_F(reconcile_test, unchanged_entries_keep_their_channels_and_report_nothing) {
    auto running = start({{"a", 1, "x", "/inputs/0"}, {"b", 2, "y", "/inputs/1"}});
    const fake_channel* a = running[0].get();
    // Reordered, and a's JSON path moved with it: the same channels, nothing changed.
    auto out = reconcile(
        running, std::vector<fake_config>{{"b", 2, "y", "/inputs/0"}, {"a", 1, "x", "/inputs/1"}},
        rules(), changes, test_log);
    EXPECT_EQ(ids(out), (std::vector<std::string>{"b", "a"}));
    EXPECT_EQ(out[1].get(), a);
    EXPECT_TRUE(changes.empty());
    EXPECT_EQ(events, (std::vector<std::string>{"update b", "update a"}));
    EXPECT_TRUE(running.empty());
}

TEST_F(reconcile_test, a_kept_channel_takes_over_its_other_settings) {
    auto running = start({{"a", 1, "x", "/inputs/0"}});
    const fake_channel* a = running[0].get();
    auto out = reconcile(running, std::vector<fake_config>{{"a", 1, "new", "/inputs/0"}}, rules(),
                         changes, test_log);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].get(), a);
    EXPECT_EQ(out[0]->config().setting, "new");
    EXPECT_EQ(changes, (std::vector<std::string>{"input a updated"}));
}

TEST_F(reconcile_test, every_release_comes_before_any_make) {
    // a and b swap lines: each new channel needs the line the other one held.
    auto running = start({{"a", 1, "", ""}, {"b", 2, "", ""}});
    auto out = reconcile(running, std::vector<fake_config>{{"a", 2, "", ""}, {"b", 1, "", ""}},
                         rules(), changes, test_log);
    EXPECT_EQ(ids(out), (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(events,
              (std::vector<std::string>{"release a (listed)", "destroy a", "release b (listed)",
                                        "destroy b", "make a", "make b"}));
    EXPECT_EQ(changes, (std::vector<std::string>{"input a line settings changed",
                                                 "input b line settings changed"}));
}

TEST_F(reconcile_test, removed_and_added_entries) {
    auto running = start({{"a", 1, "", ""}, {"gone", 2, "", ""}});
    auto out = reconcile(running, std::vector<fake_config>{{"new", 2, "", ""}, {"a", 1, "", ""}},
                         rules("actuator"), changes, test_log);
    EXPECT_EQ(ids(out), (std::vector<std::string>{"new", "a"}));
    EXPECT_EQ(events, (std::vector<std::string>{"update a", "release gone (gone)", "destroy gone",
                                                "make new"}));
    EXPECT_EQ(changes, (std::vector<std::string>{"actuator gone removed", "actuator new added"}));
}

TEST_F(reconcile_test, an_entry_that_cannot_be_made_is_left_out_and_the_rest_runs) {
    auto running = start({{"a", 1, "", ""}});
    auto out = reconcile(
        running,
        std::vector<fake_config>{{"bad", 3, "broken", ""}, {"a", 1, "", ""}, {"c", 4, "", ""}},
        rules(), changes, test_log);
    EXPECT_EQ(ids(out), (std::vector<std::string>{"a", "c"}));
    EXPECT_EQ(changes, (std::vector<std::string>{"input c added"}));
    // Made on the next reload that can: it had no channel before, so it is "added".
    changes.clear();
    auto again = reconcile(
        out, std::vector<fake_config>{{"bad", 3, "", ""}, {"a", 1, "", ""}, {"c", 4, "", ""}},
        rules(), changes, test_log);
    EXPECT_EQ(ids(again), (std::vector<std::string>{"bad", "a", "c"}));
    EXPECT_EQ(changes, (std::vector<std::string>{"input bad added"}));
}

TEST_F(reconcile_test, a_running_channel_that_cannot_be_made_again_is_reported_stopped) {
    // Not "line settings changed": that would say it runs with the new settings.
    auto running = start({{"a", 1, "", ""}});
    auto out = reconcile(running, std::vector<fake_config>{{"a", 2, "broken", ""}}, rules(),
                         changes, test_log);
    EXPECT_TRUE(out.empty());
    EXPECT_EQ(changes, (std::vector<std::string>{"input a stopped: line busy"}));
}

TEST_F(reconcile_test, two_kinds_sharing_hardware_release_both_before_making_either) {
    // Line 1 moves from input "a" to actuator "r", line 2 from actuator "s" to input "b".
    auto inputs = start({{"a", 1, "", ""}});
    std::vector<fake_ptr> actuators;
    actuators.push_back(std::make_unique<fake_channel>(fake_config{"s", 2, "", ""}, events));
    events.clear();
    const std::vector<fake_config> next_in{{"b", 2, "", ""}};
    const std::vector<fake_config> next_out{{"r", 1, "", ""}};
    auto in_rules = rules("input");
    auto out_rules = rules("actuator");
    auto in_plan = release_unkept(inputs, next_in, in_rules, changes);
    auto out_plan = release_unkept(actuators, next_out, out_rules, changes);
    inputs = make_missing(std::move(in_plan), next_in, in_rules, changes, test_log);
    actuators = make_missing(std::move(out_plan), next_out, out_rules, changes, test_log);
    EXPECT_EQ(events, (std::vector<std::string>{"release a (gone)", "destroy a", "release s (gone)",
                                                "destroy s", "make b", "make r"}));
    EXPECT_EQ(ids(inputs), (std::vector<std::string>{"b"}));
    EXPECT_EQ(ids(actuators), (std::vector<std::string>{"r"}));
}

}  // namespace
}  // namespace piogate::app
