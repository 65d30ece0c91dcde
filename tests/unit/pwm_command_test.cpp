// PWM command payloads: what is a duty, what is ON/OFF/TOGGLE, and the reasons for the rest.
#include "app/pwm_command.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

namespace piogate::app {
namespace {

using act = pwm_command::action;

TEST(PwmCommand, GoodPayloads) {
    struct row {
        const char* payload;
        act what;
        double duty;
    };
    const std::vector<row> rows{
        {"0", act::duty, 0},
        {"100", act::duty, 100},
        {" 42.5\n", act::duty, 42.5},
        {"1e1", act::duty, 10},
        {"ON", act::on, 0},
        {"off", act::off, 0},
        {"Toggle", act::toggle, 0},
        {"true", act::on, 0},
        {R"({"duty": 12.5})", act::duty, 12.5},
        {R"({"state": "ON"})", act::on, 0},
        {R"({"state": "OFF"})", act::off, 0},
        {R"({"state": "ON", "brightness": 80})", act::duty, 80},
        {R"({"brightness": 0})", act::duty, 0},
    };
    for (const auto& r : rows) {
        std::string why;
        auto c = parse_pwm_command(r.payload, why);
        ASSERT_TRUE(c) << r.payload << ": " << why;
        EXPECT_EQ(c->what, r.what) << r.payload;
        EXPECT_DOUBLE_EQ(c->duty, r.duty) << r.payload;
    }
}

TEST(PwmCommand, BadPayloadsSayWhy) {
    const std::vector<std::pair<const char*, const char*>> rows{
        {"", "empty payload"},
        {"  ", "empty payload"},
        {"101", "a duty must be a number 0..100 (percent)"},
        {"-0.5", "a duty must be a number 0..100 (percent)"},
        {"nan", "a duty must be a number 0..100 (percent)"},
        {"inf", "a duty must be a number 0..100 (percent)"},
        {"50%", "not a duty 0..100, ON, OFF, TOGGLE or a JSON object"},
        {"fast", "not a duty 0..100, ON, OFF, TOGGLE or a JSON object"},
        {"{", "not valid JSON"},
        {R"({"duty": "50"})", "\"duty\" must be a number 0..100"},
        {R"({"duty": 150})", "\"duty\" must be a number 0..100"},
        {R"({"duty": 1, "duty": 2})", "duplicate key \"duty\""},
        {R"({"speed": 5})", "unknown key \"speed\""},
        {R"({"duty": 5, "brightness": 5})",
         "\"duty\" and \"brightness\" are the same thing: give one"},
        {R"({"state": "OFF", "duty": 5})", "\"state\": \"OFF\" with a duty"},
        {R"({"state": 1})", "\"state\" must be \"ON\", \"OFF\" or \"TOGGLE\""},
        {R"({})", "needs \"duty\", \"brightness\" or \"state\""},
    };
    for (const auto& [payload, reason] : rows) {
        std::string why;
        EXPECT_FALSE(parse_pwm_command(payload, why)) << payload;
        EXPECT_EQ(why, reason) << payload;
    }
}

}  // namespace
}  // namespace piogate::app
