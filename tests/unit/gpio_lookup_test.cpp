// Finding configured GPIO lines among listed chips, and the shared start-up error texts.
#include "hw/gpio_lookup.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <stdexcept>

namespace piogate::hw {
namespace {

chip_info chip(std::string name, std::string label, std::vector<std::string> names) {
    chip_info c{"/dev/" + name, name, std::move(label), {}};
    for (unsigned i = 0; i < names.size(); ++i) c.lines.push_back({i, names[i], "", false, false});
    return c;
}

std::vector<chip_info> pi_board() {
    std::vector<std::string> names;
    for (int i = 0; i < 28; ++i) names.push_back("GPIO" + std::to_string(i));
    return {chip("gpiochip0", "pinctrl-bcm2835", names),
            chip("gpiochip1", "raspberrypi-exp-gpio", {"BT_ON", "WL_ON", "", "CAM_GPIO"})};
}

std::string error_of(const std::vector<chip_info>& chips, line_address a) {
    try {
        locate_line(chips, a, "request input");
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return "(found)";
}

TEST(GpioLookup, AddressText) {
    EXPECT_EQ((line_address{"", "GPIO17"}).to_string(), "GPIO17");
    EXPECT_EQ((line_address{"gpiochip0", "17"}).to_string(), "gpiochip0:17");
}

TEST(GpioLookup, FindsByNameOnAnyChip) {
    const auto chips = pi_board();
    auto loc = locate_line(chips, {"", "WL_ON"}, "x");
    EXPECT_EQ(loc.chip, 1u);
    EXPECT_EQ(loc.offset, 1u);
    EXPECT_EQ(line_display_name(chips[1], 1), "gpiochip1:WL_ON");
    EXPECT_EQ(line_display_name(chips[1], 2), "gpiochip1:2");
}

TEST(GpioLookup, FindsTheChipByPathNameLabelOrNumber) {
    const auto chips = pi_board();
    for (const char* c : {"/dev/gpiochip1", "gpiochip1", "raspberrypi-exp-gpio", "1"}) {
        auto loc = locate_line(chips, {c, "3"}, "x");
        EXPECT_EQ(loc.chip, 1u) << c;
        EXPECT_EQ(loc.offset, 3u) << c;
        EXPECT_EQ(locate_line(chips, {c, "CAM_GPIO"}, "x").offset, 3u) << c;
    }
}

TEST(GpioLookup, ANameIsLookedUpOnlyOnTheGivenChip) {
    EXPECT_EQ(error_of(pi_board(), {"gpiochip1", "GPIO17"}),
              "gpio gpiochip1:GPIO17: request input failed: no line named \"GPIO17\" on "
              "gpiochip1 [raspberrypi-exp-gpio] (lines: BT_ON, WL_ON, CAM_GPIO)");
}

TEST(GpioLookup, NotFoundListsSimilarNames) {
    const auto chips = pi_board();
    EXPECT_EQ(error_of(chips, {"", "GPIO71"}),
              "gpio GPIO71: request input failed: no line named \"GPIO71\" on any chip "
              "(did you mean GPIO1, GPIO7, GPIO11, GPIO17, GPIO21?)");
    EXPECT_EQ(error_of(chips, {"", "WL_OM"}),
              "gpio WL_OM: request input failed: no line named \"WL_OM\" on any chip "
              "(did you mean WL_ON?)");
    EXPECT_EQ(error_of(chips, {"", "17"}),
              "gpio 17: request input failed: no line named \"17\" on any chip; a line offset "
              "needs its chip (did you mean GPIO17?)");
}

TEST(GpioLookup, NotFoundWithNothingSimilarListsSomeLines) {
    EXPECT_EQ(error_of(pi_board(), {"pinctrl-bcm2835", "DOOR"}),
              "gpio pinctrl-bcm2835:DOOR: request input failed: no line named \"DOOR\" on "
              "gpiochip0 [pinctrl-bcm2835] (lines: GPIO0, GPIO1, GPIO2, GPIO3, GPIO4, GPIO5, "
              "GPIO6, GPIO7, ... 28 in all; piogate --list-gpio shows them)");
    EXPECT_EQ(error_of({chip("gpiochip2", "", {"", ""})}, {"", "GPIO4"}),
              "gpio GPIO4: request input failed: no line named \"GPIO4\" on any chip (its lines "
              "have no names: give the chip and an offset)");
}

TEST(GpioLookup, ChipNotFoundListsTheChips) {
    EXPECT_EQ(error_of(pi_board(), {"gpiochip7", "GPIO4"}),
              "gpio gpiochip7:GPIO4: request input failed: no chip with path, name or label "
              "\"gpiochip7\" (chips: gpiochip0 [pinctrl-bcm2835], gpiochip1 "
              "[raspberrypi-exp-gpio]); did you mean gpiochip0, gpiochip1?");
    EXPECT_EQ(error_of({}, {"", "GPIO4"}), "gpio GPIO4: request input failed: no gpio chips found");
    EXPECT_EQ(error_of(pi_board(), {"", ""}), "gpio : request input failed: no line given");
}

TEST(GpioLookup, OffsetOutOfRange) {
    EXPECT_EQ(error_of(pi_board(), {"gpiochip1", "4"}),
              "gpio gpiochip1:4: request input failed: gpiochip1 [raspberrypi-exp-gpio] has 4 "
              "lines (offsets 0..3)");
    EXPECT_EQ(error_of(pi_board(), {"gpiochip1", "99999999999999999999"}),
              "gpio gpiochip1:99999999999999999999: request input failed: gpiochip1 "
              "[raspberrypi-exp-gpio] has 4 lines (offsets 0..3)");
}

TEST(GpioLookup, BusyNamesTheConsumer) {
    EXPECT_EQ(line_busy_message("gpiochip0:GPIO4", "request output", "w1-gpio"),
              "gpio gpiochip0:GPIO4: request output failed: line busy, held by \"w1-gpio\"");
    EXPECT_THROW(throw_line_busy("a", "b", "c"), std::runtime_error);
}

TEST(GpioLookup, SimilarNames) {
    const std::vector<std::string> names{"door", "Door2", "window", "doors", "", "led"};
    EXPECT_EQ(similar_names("DOOR", names), (std::vector<std::string>{"door"}));
    EXPECT_EQ(similar_names("dor", names),
              (std::vector<std::string>{"door"}));  // limit 1 for 3 letters
    EXPECT_EQ(similar_names("Door3", names), (std::vector<std::string>{"door", "Door2", "doors"}));
    EXPECT_EQ(similar_names("windwo", names), (std::vector<std::string>{"window"}));
    EXPECT_EQ(similar_names("xyz", names), (std::vector<std::string>{}));
    EXPECT_EQ(similar_names("le", names), (std::vector<std::string>{"led"}));
    EXPECT_EQ(similar_names("door", names, 1), (std::vector<std::string>{"door"}));
    EXPECT_EQ(similar_names("2", names), (std::vector<std::string>{"Door2"}));
}

}  // namespace
}  // namespace piogate::hw
