#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include "app/command.hpp"
#include "config/config.hpp"
#include "config/gpio_config.hpp"

using piogate::app::command;
using piogate::app::parse_command;

TEST(command, words_numbers_booleans_any_case) {
    std::string why;
    for (const char* on : {"ON", "on", " On\n", "1", "true", "TRUE"}) {
        auto c = parse_command(on, why);
        ASSERT_TRUE(c) << on;
        EXPECT_EQ(c->what, command::action::on) << on;
        EXPECT_FALSE(c->pulse);
    }
    for (const char* off : {"OFF", "off", "0", "false"})
        EXPECT_EQ(parse_command(off, why)->what, command::action::off);
    EXPECT_EQ(parse_command("toggle", why)->what, command::action::toggle);
}

TEST(command, json_with_pulse) {
    std::string why;
    auto c = parse_command(R"({"state":"ON","duration_ms":500})", why);
    ASSERT_TRUE(c) << why;
    EXPECT_EQ(c->what, command::action::on);
    EXPECT_EQ(c->pulse, std::chrono::milliseconds(500));
    EXPECT_EQ(parse_command(R"({"state":"off"})", why)->what, command::action::off);
}

TEST(command, bad_payloads_say_why) {
    const std::pair<const char*, const char*> bad[] = {
        {"", "empty payload"},
        {"   ", "empty payload"},
        {"ONN", "not ON, OFF, TOGGLE"},
        {"2", "not ON, OFF, TOGGLE"},
        {"{", "not valid JSON"},
        {"[1]", "not ON, OFF, TOGGLE"},
        {"{\"state\": \"ON\"", "not valid JSON"},
        {R"({"state": 1})", "\"state\" must be"},
        {R"({"duration_ms": 5})", "\"state\" must be"},
        {R"({"state":"ON","duration_ms":0})", "\"duration_ms\" must be"},
        {R"({"state":"ON","duration_ms":"5"})", "\"duration_ms\" must be"},
        {R"({"state":"ON","extra":1})", "unknown key \"extra\""},
    };
    for (const auto& [payload, reason] : bad) {
        std::string why;
        EXPECT_FALSE(parse_command(payload, why)) << payload;
        EXPECT_NE(why.find(reason), std::string::npos) << payload << " -> " << why;
    }
    std::string binary("\x01\xFFON", 4);
    std::string why;
    EXPECT_FALSE(parse_command(binary, why));
    EXPECT_EQ(piogate::app::truncate_payload(binary), "\\x01\\xFFON");
    EXPECT_EQ(piogate::app::truncate_payload(std::string(100, 'a'), 4), "aaaa... (100 bytes)");
}

TEST(gpio_config, a_line_claimed_twice_is_refused) {
    using namespace piogate::config;
    try {
        parse_config(json::parse(R"({"inputs": [{"id": "door", "line": "GPIO17"}],
                                     "actuators": [{"id": "relay", "line": "GPIO17"}]})"));
        FAIL() << "no error";
    } catch (const config_error& e) {
        EXPECT_STREQ(e.what(), "/actuators/0/line: line GPIO17 is already claimed by /inputs/0");
    }
    auto c = parse_config(json::parse(R"({"actuators": [{"id": "relay", "line": "GPIO22",
                                          "initial": "ON", "drive": "open_drain"}]})"));
    EXPECT_TRUE(c.entries<actuator_config>()[0].initial);
    EXPECT_TRUE(c.entries<actuator_config>()[0].failsafe);  // defaults to the initial state
    EXPECT_EQ(c.entries<actuator_config>()[0].drive, "open_drain");
}
