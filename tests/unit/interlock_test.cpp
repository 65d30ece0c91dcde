#include "app/rules/interlock.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "config/config.hpp"

using namespace piogate;
using namespace std::chrono_literals;
using app::rules::interlock;
using app::rules::time_point;

namespace {

config::interlock_config group(std::vector<std::string> ids, std::chrono::milliseconds dead = 0ms) {
    return {std::move(ids), dead, "/interlocks/0"};
}

const time_point t0{};

}  // namespace

// One step of a scenario on virtual time: at `at`, actuator `id` asks to go `on`; when allowed
// the step applies it. `wait` is the dead time left when refused for it.
struct step {
    std::chrono::milliseconds at;
    const char* id;
    bool on;
    bool allowed;
    std::chrono::milliseconds wait = 0ms;
    const char* reason_has = "";
};

void run(interlock& il, const std::vector<step>& steps) {
    for (const auto& s : steps) {
        SCOPED_TRACE(std::string(s.id) + (s.on ? " ON" : " OFF") + " at " +
                     std::to_string(s.at.count()) + " ms");
        auto d = il.check(s.id, s.on, t0 + s.at);
        EXPECT_EQ(d.allowed, s.allowed) << d.reason;
        EXPECT_EQ(d.wait, s.wait);
        EXPECT_NE(d.reason.find(s.reason_has), std::string::npos) << d.reason;
        EXPECT_EQ(d.reason.empty(), d.allowed);
        if (d.allowed) il.changed(s.id, s.on, t0 + s.at);
    }
}

TEST(interlock, at_most_one_member_on_without_dead_time) {
    interlock il({group({"up", "down"})});
    run(il, {
                {0ms, "up", true, true},
                {10ms, "down", true, false, 0ms, "\"up\" is ON"},
                {20ms, "up", true, true},     // ON again: nothing changes
                {30ms, "down", false, true},  // OFF is always allowed
                {40ms, "up", false, true},
                {40ms, "down", true, true},  // no dead time: at once
                {50ms, "up", true, false, 0ms, "\"down\" is ON"},
                {60ms, "fan", true, true},  // in no group
            });
}

TEST(interlock, dead_time_holds_back_the_other_members_only) {
    interlock il({group({"up", "down"}, 500ms)});
    run(il, {
                {0ms, "up", true, true},
                {1000ms, "up", false, true},
                {1120ms, "down", true, false, 380ms,
                 "\"up\" went OFF 120 ms ago; \"down\" may switch ON in 380 ms"},
                {1200ms, "up", true, true},  // the one that went OFF may come back at once
                {1300ms, "up", false, true},
                {1799ms, "down", true, false, 1ms, "dead time"},
                {1800ms, "down", true, true},  // exactly the dead time later
                {1900ms, "up", true, false, 0ms, "\"down\" is ON"},
            });
}

TEST(interlock, dead_time_counts_from_the_last_member_that_went_off) {
    interlock il({group({"a", "b", "c"}, 300ms)});
    run(il, {
                {0ms, "a", true, true},
                {100ms, "a", false, true},
                {350ms, "b", true, false, 50ms, "\"a\" went OFF"},
                {400ms, "b", true, true},
                {500ms, "b", false, true},
                {700ms, "c", true, false, 100ms, "\"b\" went OFF 200 ms ago"},
                {700ms, "a", true, false, 100ms, "\"b\""},
                {800ms, "c", true, true},
            });
}

TEST(interlock, an_actuator_in_two_groups_answers_to_both) {
    interlock il({group({"a", "b"}), group({"b", "c"}, 100ms)});
    run(il, {
                {0ms, "c", true, true},
                {0ms, "a", true, true},  // a and c share no group
                {10ms, "b", true, false, 0ms, "\"a\" is ON"},
                {20ms, "a", false, true},
                {30ms, "b", true, false, 0ms, "\"c\" is ON"},
                {40ms, "c", false, true},
                {50ms, "b", true, false, 90ms, "\"c\" went OFF"},
                {140ms, "b", true, true},
            });
}

TEST(interlock, a_state_reported_off_without_having_been_on_starts_no_dead_time) {
    interlock il({group({"up", "down"}, 500ms)});
    il.changed("up", false, t0);  // the initial state
    run(il, {{1ms, "down", true, true}});
}

TEST(interlock, excess_on_names_the_later_members_a_new_group_finds_on) {
    interlock il;
    il.changed("a", true, t0);
    il.changed("b", true, t0);
    il.changed("c", true, t0);
    EXPECT_TRUE(il.excess_on().empty());
    il.regroup({group({"a", "b", "c"})});
    EXPECT_EQ(il.excess_on(), (std::vector<std::string>{"b", "c"}));
    EXPECT_TRUE(il.guards("b"));
    EXPECT_FALSE(il.guards("d"));
}

// The config: ids checked against the actuators, two initial or failsafe ON in a group refused.
TEST(interlock_config, validation) {
    const std::string actuators =
        R"("actuators": [{"id": "up", "line": "GPIO5"}, {"id": "down", "line": "GPIO6"},
                                     {"id": "lamp", "line": "GPIO7", "initial": "ON"},
                                     {"id": "horn", "line": "GPIO8", "initial": "ON", "failsafe": "OFF"},
                                     {"id": "siren", "line": "GPIO9", "failsafe": "ON"}])";
    struct row {
        const char* interlocks;
        const char* path;  // "" = valid
        const char* message;
    };
    const std::vector<row> rows{
        {R"([{"actuators": ["up", "down"], "dead_time_ms": 500}])", "", ""},
        {R"([{"actuators": ["up", "down", "lamp"]}])", "", ""},
        {R"([{"actuators": ["up", "dwn"]}])", "/interlocks/0/actuators/1",
         "unknown actuator \"dwn\""},
        {R"([{"actuators": ["up", "up"]}])", "/interlocks/0/actuators/1", "listed twice"},
        {R"([{"actuators": ["up"]}])", "/interlocks/0/actuators", "at least two"},
        {R"([{"actuators": "up"}])", "/interlocks/0/actuators", "must be an array"},
        {R"([{"actuators": ["up", 3]}])", "/interlocks/0/actuators/1", "must be an actuator id"},
        {R"([{}])", "/interlocks/0/actuators", "missing"},
        {R"([{"actuators": ["up", "down"], "dead_time_ms": -1}])", "/interlocks/0/dead_time_ms",
         ""},
        {R"([{"actuators": ["up", "down"], "dead": 1}])", "/interlocks/0/dead", ""},
        {R"([{"actuators": ["lamp", "up", "horn"]}])", "/interlocks/0/actuators",
         "\"lamp\" and \"horn\" both have \"initial\": \"ON\""},
        {R"([{"actuators": ["lamp", "siren"]}])", "/interlocks/0/actuators",
         "\"lamp\" and \"siren\" both have \"failsafe\": \"ON\""},
    };
    for (const auto& r : rows) {
        SCOPED_TRACE(r.interlocks);
        const auto text = "{" + actuators + ", \"interlocks\": " + r.interlocks + "}";
        if (!*r.path) {
            EXPECT_NO_THROW(config::parse_config(config::json::parse(text)));
            continue;
        }
        try {
            config::parse_config(config::json::parse(text));
            ADD_FAILURE() << "accepted";
        } catch (const config::config_error& e) {
            EXPECT_EQ(e.path(), r.path) << e.what();
            EXPECT_NE(std::string(e.what()).find(r.message), std::string::npos) << e.what();
        }
    }
}
