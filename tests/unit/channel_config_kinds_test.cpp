// The channel kinds' config sections (config/channel_kind.hpp): read through the installed
// table, checked across kinds over their entries' facts (a GPIO line claimed once, the ids
// rules and interlocks name), compared by value. The proof that a kind is one file plus one
// line: `tiny_kind` below is a whole kind's config side, defined in this file only; installed
// in a table next to the app's kinds, the unchanged config loader reads its section, checks its
// lines against the inputs' and counters', and lets rules and interlocks name its entries.
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include <string>
#include <vector>

#include "app/channel_kinds/registry.hpp"
#include "config/config.hpp"
#include "config/counter_config.hpp"
#include "config/gpio_config.hpp"
#include "config/pwm_config.hpp"

using namespace piogate;

namespace {

// A made-up kind: "tinies" entries {"id", "line" (optional), "output" (bool), "initial"}. An
// output is switchable (rules' "actuator", interlocks), anything else a binary source (rules'
// "input").
struct tiny_config {
    std::string id;
    std::string line;
    bool output = false;
    bool initial = false;
    std::string path;

    bool operator==(const tiny_config&) const = default;
};

class tiny_kind final : public config::entries_kind<tiny_config> {
public:
    const char* section() const override { return "tinies"; }

protected:
    tiny_config read_entry(config::object_reader& r,
                           const std::vector<tiny_config>& before) const override {
        tiny_config c;
        c.id = read_unique_id(r, before, "tiny");
        c.line = r.get_string("line", std::string());
        c.output = r.get_bool("output", false);
        c.initial = r.get_bool("initial", false);
        return c;
    }
    void facts_of(const tiny_config& c, config::entry_facts& f) const override {
        if (!c.line.empty()) f.line = config::line_claim{"", c.line};
        if (c.output) {
            f.switchable = config::switch_states{c.initial, false};
        } else {
            f.binary_source = true;
        }
    }
};

const tiny_kind tiny;

// Installs the app's kinds plus `tiny` (the test table, after the app's) while it lives, then
// the app's table again.
class with_tiny_kind {
public:
    with_tiny_kind() {
        for (const auto* k : app::channel_group_kinds()) {
            if (const auto* c = k->config_kind()) table_.push_back(c);
        }
        table_.push_back(&tiny);
        config::install_channel_kinds(table_);
    }
    ~with_tiny_kind() { app::install_channel_kinds(); }

private:
    config::channel_kind_table table_;
};

config::piogate_config parse(const std::string& text) {
    return config::parse_config(config::json::parse(text));
}

// The error's "path: message", or "" when the config is accepted.
std::string error_of(const std::string& text) {
    try {
        parse(text);
        return "";
    } catch (const config::config_error& e) {
        return e.what();
    }
}

}  // namespace

TEST(channel_config_kinds, a_kind_defined_outside_the_config_layer_is_read_from_its_section) {
    with_tiny_kind installed;
    const auto cfg = parse(R"({"tinies": [{"id": "a", "line": "GPIO5"},
                                          {"id": "b", "output": true, "initial": true}]})");
    const auto& t = cfg.entries<tiny_config>();
    ASSERT_EQ(t.size(), 2u);
    EXPECT_EQ(t[0], (tiny_config{"a", "GPIO5", false, false, "/tinies/0"}));
    EXPECT_EQ(t[1], (tiny_config{"b", "", true, true, "/tinies/1"}));
    // Its keys are its own: anything else is refused at the entry's path, like any kind's.
    EXPECT_EQ(
        error_of(R"({"tinies": [{"id": "a", "colour": "red"}]})").rfind("/tinies/0/colour: ", 0),
        0u);
    EXPECT_EQ(error_of(R"({"tinies": [{"id": "a"}, {"id": "a"}]})"),
              "/tinies/1/id: duplicate tiny id \"a\"");
}

TEST(channel_config_kinds, without_its_kind_in_the_table_a_section_is_an_unknown_key) {
    EXPECT_EQ(error_of(R"({"tinies": []})").rfind("/tinies: unknown key", 0), 0u);
    EXPECT_TRUE(parse("{}").entries<tiny_config>().empty());
}

TEST(channel_config_kinds, one_line_check_covers_every_kind_that_claims_a_line) {
    with_tiny_kind installed;
    // A line claimed by an input and then a new kind's entry, or the other way round across
    // more kinds: the later entry (in table order) is refused, naming the earlier.
    EXPECT_EQ(error_of(R"({"inputs": [{"id": "door", "line": "GPIO17"}],
                           "tinies": [{"id": "t", "line": "GPIO17"}]})"),
              "/tinies/0/line: line GPIO17 is already claimed by /inputs/0");
    EXPECT_EQ(error_of(R"({"counters": [{"id": "power", "line": "GPIO18"}],
                           "tinies": [{"id": "t", "line": "GPIO18"}]})"),
              "/tinies/0/line: line GPIO18 is already claimed by /counters/0");
    EXPECT_EQ(error_of(R"({"inputs": [{"id": "door", "line": "GPIO17"}],
                           "counters": [{"id": "power", "line": "GPIO17"}]})"),
              "/counters/0/line: line GPIO17 is already claimed by /inputs/0");
    EXPECT_EQ(error_of(R"({"actuators": [{"id": "pump", "chip": "gpiochip0", "line": "4"}],
                           "counters": [{"id": "power", "chip": "gpiochip0", "line": "4"}]})"),
              "/counters/0/line: line gpiochip0:4 is already claimed by /actuators/0");
    // A kind that claims no GPIO line (PWM, a tiny without "line") conflicts with none.
    EXPECT_EQ(error_of(R"({"actuators": [{"id": "pump", "line": "0"}],
                           "pwm": [{"id": "fan", "chip": 0, "channel": 0}],
                           "tinies": [{"id": "t"}, {"id": "u"}]})"),
              "");
}

TEST(channel_config_kinds, rules_and_interlocks_name_entries_by_their_roles_whatever_the_kind) {
    with_tiny_kind installed;
    const std::string channels = R"("inputs": [{"id": "button", "line": "GPIO5"}],
        "actuators": [{"id": "lamp", "line": "GPIO6"}],
        "tinies": [{"id": "reed"}, {"id": "valve", "output": true},
                   {"id": "horn", "output": true, "initial": true}])";
    // A new kind's binary source drives an actuator; a new kind's output is driven, and
    // interlocked with a GPIO actuator.
    const auto cfg = parse("{" + channels + R"(,
        "rules": [{"input": "reed", "actuator": "lamp"}, {"input": "button", "actuator": "valve"}],
        "interlocks": [{"actuators": ["lamp", "valve"]}]})");
    ASSERT_EQ(cfg.rules.size(), 2u);
    EXPECT_EQ(cfg.rules[0].input, "reed");
    EXPECT_EQ(cfg.rules[1].actuator, "valve");
    ASSERT_EQ(cfg.interlocks.size(), 1u);
    // The same messages as ever, whichever kind the id would have been.
    EXPECT_EQ(error_of("{" + channels + R"(, "rules": [{"input": "valve", "actuator": "lamp"}]})"),
              "/rules/0/input: unknown input \"valve\"");
    EXPECT_EQ(error_of("{" + channels + R"(, "rules": [{"input": "reed", "actuator": "button"}]})"),
              "/rules/0/actuator: unknown actuator \"button\"");
    EXPECT_EQ(error_of("{" + channels + R"(, "interlocks": [{"actuators": ["lamp", "reed"]}]})"),
              "/interlocks/0/actuators/1: unknown actuator \"reed\"");
    // An interlock sees a new kind's states: two members ON at start are refused.
    const std::string lamp_on = R"("inputs": [], "actuators": [{"id": "lamp", "line": "GPIO6",
                                   "initial": "ON"}], "tinies": [{"id": "horn", "output": true,
                                   "initial": true}])";
    EXPECT_EQ(error_of("{" + lamp_on + R"(, "interlocks": [{"actuators": ["lamp", "horn"]}]})"),
              "/interlocks/0/actuators: actuators \"lamp\" and \"horn\" both have \"initial\": "
              "\"ON\"; at most one actuator of an interlock group may be ON");
    // Two kinds' entries in one role with one id would make a rule ambiguous: refused.
    EXPECT_EQ(error_of(R"({"actuators": [{"id": "pump", "line": "GPIO6"}],
                           "tinies": [{"id": "pump", "output": true}]})"),
              "/tinies/0/id: actuator id \"pump\" is already used by /actuators/0");
    // In different roles (an input and an actuator both called "x"), ids may repeat, as before.
    EXPECT_EQ(error_of(R"({"inputs": [{"id": "x", "line": "GPIO5"}],
                           "tinies": [{"id": "x", "output": true}]})"),
              "");
}

TEST(channel_config_kinds, an_absent_section_has_no_entries_and_sections_compare_by_value) {
    const auto empty = parse("{}");
    // One section per installed kind, in the table's order, each empty.
    ASSERT_EQ(empty.channels.size(), config::installed_channel_kinds().size());
    for (std::size_t i = 0; i < empty.channels.size(); ++i) {
        EXPECT_EQ(empty.channels[i].kind(), config::installed_channel_kinds()[i]);
    }
    EXPECT_TRUE(empty.entries<config::input_config>().empty());
    EXPECT_TRUE(empty.entries<config::pwm_config>().empty());
    EXPECT_TRUE(empty.channel_facts().empty());

    const std::string text = R"({"pwm": [{"id": "fan", "chip": 0, "channel": 1}],
                                 "counters": [{"id": "water", "line": "GPIO9", "unit": "L"}]})";
    const auto a = parse(text);
    const auto b = parse(text);
    EXPECT_EQ(a.channels, b.channels);  // parsed twice: equal, as a reload that changed nothing
    EXPECT_NE(&a.entries<config::pwm_config>(), &b.entries<config::pwm_config>());
    auto c = parse(R"({"pwm": [{"id": "fan", "chip": 0, "channel": 1, "ramp_ms": 10}],
                       "counters": [{"id": "water", "line": "GPIO9", "unit": "L"}]})");
    EXPECT_NE(a.channels, c.channels);
    EXPECT_EQ(a.channels[3], c.channels[3]);  // the counters did not change
    EXPECT_NE(a.channels[2], c.channels[2]);
    EXPECT_NE(a.channels[2], a.channels[3]);  // different kinds, whatever the entries

    // A test may set a kind's entries by hand.
    auto pwm = c.entries<config::pwm_config>();
    pwm[0].ramp = std::chrono::milliseconds(0);
    c.set_entries(*app::kinds::pwm_output_kind().config_kind(), pwm);
    EXPECT_EQ(a.channels, c.channels);
}

TEST(channel_config_kinds, check_config_counts_every_kind_in_the_status_line_order) {
    EXPECT_EQ(app::channel_counts(parse("{}")), "0 sensors, 0 inputs, 0 actuators");
    EXPECT_EQ(app::channel_counts(parse(R"({"inputs": [{"id": "door", "line": "GPIO17"}],
        "pwm": [{"id": "fan", "channel": 0}, {"id": "led", "channel": 1}],
        "counters": [{"id": "power", "line": "GPIO18"}]})")),
              "0 sensors, 1 input, 0 actuators, 2 PWM outputs, 1 counter");
}

TEST(channel_config_kinds, the_state_files_a_kind_writes_are_facts_preflight_checks) {
    const auto cfg = parse(R"({"actuators": [{"id": "a", "line": "GPIO5"},
                                             {"id": "b", "line": "GPIO6", "initial": "restore"}],
                               "counters": [{"id": "c", "line": "GPIO7", "state_file": "/x/c.json"}]})");
    std::vector<std::string> files;
    for (const auto& e : cfg.channel_facts()) {
        for (const auto& f : e.files) files.push_back(e.path + "/" + f.key + " " + f.file);
    }
    ASSERT_EQ(files.size(), 2u);
    EXPECT_EQ(files[0].rfind("/actuators/1/initial /", 0), 0u) << files[0];
    EXPECT_NE(files[0].find("actuator-b.json"), std::string::npos) << files[0];
    EXPECT_EQ(files[1], "/counters/0/state_file /x/c.json");
}
