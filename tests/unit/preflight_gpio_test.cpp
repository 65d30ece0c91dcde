// GPIO claims resolved to (chip, offset) before they are compared: one line under two
// spellings is refused at the JSON path, on the simulated board from its config and on a real
// board from the chips listed (app::check_gpio_lines).
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include "app/preflight.hpp"
#include "app/preflight_gpio.hpp"

using namespace piogate;

namespace {

config::piogate_config parse(const std::string& text) {
    return config::parse_config(config::json::parse(text));
}

std::string sim_error(const std::string& text) {
    try {
        app::preflight(parse(text));
    } catch (const config::config_error& e) {
        return e.what();
    }
    return "";
}

// Two chips as a Raspberry Pi 5 lists them (abridged).
std::vector<hw::chip_info> pi5_chips() {
    std::vector<hw::chip_info> chips{{"/dev/gpiochip0", "gpiochip0", "gpio-brcmstb@107d508500", {}},
                                     {"/dev/gpiochip4", "gpiochip4", "pinctrl-rp1", {}}};
    for (unsigned i = 0; i < 4; ++i) chips[0].lines.push_back({i, "", {}, false, false});
    for (unsigned i = 0; i < 54; ++i)
        chips[1].lines.push_back({i, i < 28 ? "GPIO" + std::to_string(i) : "", {}, false, false});
    return chips;
}

std::string real_error(const std::string& text, const std::vector<hw::chip_info>& chips) {
    try {
        app::check_gpio_lines(parse(text), chips, false);
    } catch (const config::config_error& e) {
        return e.what();
    }
    return "";
}

const std::string sim =
    R"("board": {"kind": "sim", "gpio": [{"chip": "gpiochip0", "label": "pinctrl-bcm2835", "lines": 28},
                                                          {"chip": "gpiochip1", "label": "aux", "lines": 8}]})";

}  // namespace

TEST(preflight_gpio, sim_chips_mirror_the_board_section) {
    const auto chips = app::sim_chip_infos(parse("{" + sim + "}").board);
    ASSERT_EQ(chips.size(), 2u);
    EXPECT_EQ(chips[0].path, "/dev/gpiochip0");
    EXPECT_EQ(chips[0].label, "pinctrl-bcm2835");
    ASSERT_EQ(chips[1].lines.size(), 8u);
    EXPECT_EQ(chips[1].lines[7].name, "GPIO7");
}

TEST(preflight_gpio, name_and_chip_offset_are_one_line) {
    EXPECT_EQ(sim_error("{" + sim + R"(, "inputs": [{"id": "door", "line": "GPIO22"}],
                                        "actuators": [{"id": "relay", "chip": "gpiochip0", "line": "22"}]})"),
              "/actuators/0/line: line gpiochip0:GPIO22 is already claimed by /inputs/0 (as "
              "\"GPIO22\"; here as "
              "chip \"gpiochip0\" line \"22\")");
}

TEST(preflight_gpio, a_chip_by_label_name_path_or_number_is_one_chip) {
    for (const char* other : {"pinctrl-bcm2835", "/dev/gpiochip0", "0"}) {
        EXPECT_NE(
            sim_error("{" + sim + R"(, "actuators": [{"id": "a", "chip": "gpiochip0", "line": "5"},
                                            {"id": "b", "chip": ")" +
                      std::string(other) + R"(", "line": "5"}]})")
                .find("/actuators/1/line: line gpiochip0:GPIO5 is already claimed by /actuators/0"),
            std::string::npos)
            << other;
    }
    // The same offset on two chips is two lines.
    EXPECT_EQ(
        sim_error("{" + sim + R"(, "actuators": [{"id": "a", "chip": "gpiochip0", "line": "5"},
                                        {"id": "b", "chip": "aux", "line": "5"}]})"),
        "");
}

TEST(preflight_gpio, lines_not_on_the_simulated_board) {
    EXPECT_EQ(
        sim_error("{" + sim + R"(, "inputs": [{"id": "d", "chip": "aux", "line": "8"}]})"),
        "/inputs/0/line: not on the simulated board: gpiochip1 [aux] has 8 lines (offsets 0..7)");
    EXPECT_EQ(
        sim_error("{" + sim +
                  R"(, "inputs": [{"id": "d", "chip": "aux", "line": "99999999999"}]})"),
        "/inputs/0/line: not on the simulated board: gpiochip1 [aux] has 8 lines (offsets 0..7)");
    EXPECT_NE(
        sim_error("{" + sim + R"(, "inputs": [{"id": "d", "line": "GPIO71"}]})")
            .find(
                "/inputs/0/line: not on the simulated board: no line named \"GPIO71\" on any chip"),
        std::string::npos);
    EXPECT_NE(sim_error("{" + sim +
                        R"(, "actuators": [{"id": "r", "chip": "pinctrl-rp1", "line": "GPIO5"}]})")
                  .find("/actuators/0/chip: not on the simulated board: no chip with path, name or "
                        "label \"pinctrl-rp1\""),
              std::string::npos);
    EXPECT_NE(
        sim_error(
            R"({"board": {"kind": "sim", "patterns": [{"line": "GPIO99", "toggle_every_ms": 100}]}})")
            .find("/board/patterns/0/line: not on the simulated board: no line named \"GPIO99\""),
        std::string::npos);
    EXPECT_EQ(
        sim_error(
            R"({"board": {"kind": "sim", "patterns": [{"line": "gpiochip0:17", "toggle_every_ms": 100}]},
                           "inputs": [{"id": "d", "line": "GPIO17"}]})"),
        "");
}

TEST(preflight_gpio, real_board_resolves_against_the_chips_present) {
    const auto chips = pi5_chips();
    EXPECT_NE(real_error(R"({"inputs": [{"id": "d", "line": "GPIO17"}],
                             "actuators": [{"id": "r", "chip": "pinctrl-rp1", "line": "17"}]})",
                         chips)
                  .find("/actuators/0/line: line gpiochip4:GPIO17 is already claimed by /inputs/0"),
              std::string::npos);
    EXPECT_EQ(real_error(R"({"inputs": [{"id": "d", "chip": "gpiochip4", "line": "54"}]})", chips),
              "/inputs/0/line: not on this machine: gpiochip4 [pinctrl-rp1] has 54 lines (offsets "
              "0..53)");
    // A chip that is absent may appear later (USB, overlays): left to start-up.
    EXPECT_EQ(real_error(R"({"inputs": [{"id": "d", "chip": "mcp23017", "line": "3"}]})", chips),
              "");
    // No chips at all (checking a config on another machine): only the spelling check applies.
    EXPECT_EQ(real_error(R"({"inputs": [{"id": "d", "line": "GPIO17"}],
                             "actuators": [{"id": "r", "chip": "pinctrl-rp1", "line": "17"}]})",
                         {}),
              "");
}

TEST(preflight, sensors_on_a_bus_the_simulated_board_lacks) {
    EXPECT_EQ(sim_error(R"({"board": {"kind": "sim", "i2c": [{"bus": 1}]},
                           "sensors": [{"id": "s", "type": "bme280", "bus": 3}]})"),
              "/sensors/0/bus: I2C bus 3 is not on the simulated board (it has: 1)");
    EXPECT_EQ(
        sim_error(
            R"({"board": {"kind": "sim"}, "sensors": [{"id": "s", "type": "bme280", "bus": 1}]})"),
        "/sensors/0/bus: I2C bus 1 is not on the simulated board (it has: none)");
    EXPECT_EQ(sim_error(R"({"board": {"kind": "sim", "i2c": [{"bus": 1}]},
                           "sensors": [{"id": "s", "type": "bme280", "bus": 1}]})"),
              "");
}

// Every kind's claimed line takes part (config::entry_facts), the counters' too: before the
// kinds were generic, a counter on an input's line spelt another way passed --check-config and
// start-up failed to request it.
TEST(preflight_gpio, a_counter_line_is_resolved_like_the_others) {
    EXPECT_EQ(sim_error("{" + sim + R"(, "inputs": [{"id": "door", "line": "GPIO22"}],
                                        "counters": [{"id": "power", "chip": "gpiochip0", "line": "22",
                                                      "state_file": "/tmp/piogate-preflight-c.json"}]})"),
              "/counters/0/line: line gpiochip0:GPIO22 is already claimed by /inputs/0 (as "
              "\"GPIO22\"; here as chip \"gpiochip0\" line \"22\")");
    EXPECT_EQ(sim_error("{" + sim + R"(, "counters": [{"id": "power", "line": "GPIO40",
                                                      "state_file": "/tmp/piogate-preflight-c.json"}]})")
                  .rfind("/counters/0/line: not on the simulated board: ", 0),
              0u);
}
