// The simulated board: addressing, levels, events through the io_context with debounce, outputs,
// the start-up errors shared with the libgpiod backends, scripted patterns, lifetimes.
#include "hw/sim/sim_gpio.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <stdexcept>
#include <thread>

namespace piogate::hw {
namespace {

using namespace std::chrono_literals;

std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return "(no error)";
}

class SimGpio : public ::testing::Test {
protected:
    SimGpio() { sim.add_raspberry_pi_chip(); }

    // Runs the loop until `done` or the deadline (generous: the machine is shared).
    bool run_until(const std::function<bool()>& done, std::chrono::milliseconds limit = 5s) {
        const auto deadline = std::chrono::steady_clock::now() + limit;
        while (!done()) {
            if (std::chrono::steady_clock::now() > deadline) return false;
            io.restart();
            io.run_for(2ms);
        }
        return true;
    }
    void run_for(std::chrono::milliseconds d) {
        io.restart();
        io.run_for(d);
    }

    std::unique_ptr<gpio_input> input(const std::string& line, edge e = edge::both,
                                      std::chrono::milliseconds debounce = 0ms,
                                      bool active_low = false, bias pull = bias::as_is) {
        input_config c;
        c.line = {"", line};
        c.edges = e;
        c.debounce = debounce;
        c.active_low = active_low;
        c.pull = pull;
        auto in = sim.request_input(c);
        in->on_edge([this](const edge_event& ev) { events.push_back(ev); });
        return in;
    }

    boost::asio::io_context io;
    sim_gpio sim{io};
    std::vector<edge_event> events;
};

TEST_F(SimGpio, ListsTheRaspberryPiChip) {
    const auto chips = sim.list_chips();
    ASSERT_EQ(chips.size(), 1u);
    EXPECT_EQ(chips[0].path, "/dev/gpiochip0");
    EXPECT_EQ(chips[0].name, "gpiochip0");
    EXPECT_EQ(chips[0].label, "pinctrl-bcm2835");
    ASSERT_EQ(chips[0].lines.size(), 28u);
    EXPECT_EQ(chips[0].lines[0].name, "GPIO0");
    EXPECT_EQ(chips[0].lines[27].name, "GPIO27");
    EXPECT_EQ(chips[0].lines[27].offset, 27u);
    for (const auto& l : chips[0].lines) EXPECT_TRUE(l.consumer.empty()) << l.name;
}

TEST_F(SimGpio, FindsALineByNameByChipAndOffsetByLabelAndByPath) {
    for (const line_address& a :
         {line_address{"", "GPIO17"}, line_address{"gpiochip0", "17"},
          line_address{"pinctrl-bcm2835", "GPIO17"}, line_address{"/dev/gpiochip0", "17"},
          line_address{"0", "GPIO17"}}) {
        input_config c;
        c.line = a;
        auto in = sim.request_input(c);
        EXPECT_EQ(in->name(), "gpiochip0:GPIO17") << a.to_string();
    }
}

TEST_F(SimGpio, ChipsAddedLaterAreSearchedInOrder) {
    sim.add_chip("gpiochip1", "raspberrypi-exp-gpio", {"BT_ON", "WL_ON", "", "GPIO17"});
    input_config c;
    c.line = {"", "WL_ON"};
    EXPECT_EQ(sim.request_input(c)->name(), "gpiochip1:WL_ON");
    c.line = {"gpiochip1", "2"};
    EXPECT_EQ(sim.request_input(c)->name(), "gpiochip1:2");  // an unnamed line
    c.line = {"", "GPIO17"};
    EXPECT_EQ(sim.request_input(c)->name(), "gpiochip0:GPIO17");  // the first chip wins
    c.line = {"raspberrypi-exp-gpio", "GPIO17"};
    EXPECT_EQ(sim.request_input(c)->name(), "gpiochip1:GPIO17");
}

TEST_F(SimGpio, InputValueFollowsTheDrivenLevel) {
    auto in = input("GPIO5");
    EXPECT_FALSE(in->value().value());
    sim.set_input("GPIO5", true);
    EXPECT_TRUE(in->value().value());
    EXPECT_TRUE(sim.level("GPIO5"));
    EXPECT_TRUE(sim.level("gpiochip0:5"));
    sim.set_input("gpiochip0:5", false);
    EXPECT_FALSE(in->value().value());
}

TEST_F(SimGpio, ActiveLowInvertsValueAndEvents) {
    sim.set_input("GPIO6", true);
    auto in = input("GPIO6", edge::both, 0ms, true);
    EXPECT_FALSE(in->value().value());
    sim.set_input("GPIO6", false);
    EXPECT_TRUE(in->value().value());
    ASSERT_TRUE(run_until([&] { return events.size() == 1; }));
    EXPECT_TRUE(events[0].level);
}

TEST_F(SimGpio, BiasSetsTheLevelOfAnUndrivenLine) {
    {
        auto in = input("GPIO7", edge::none, 0ms, false, bias::pull_up);
        EXPECT_TRUE(in->value().value());
    }
    {
        auto in = input("GPIO7", edge::none, 0ms, false, bias::pull_down);
        EXPECT_FALSE(in->value().value());
    }
    sim.set_input("GPIO7", true);  // a driven line ignores the pull
    auto in = input("GPIO7", edge::none, 0ms, false, bias::pull_down);
    EXPECT_TRUE(in->value().value());
}

TEST_F(SimGpio, EdgesFromAnotherThreadArriveOnTheLoopThread) {
    auto in = sim.request_input({{"", "GPIO17"}, edge::both, bias::as_is, false, 0ms});
    std::vector<std::thread::id> threads;
    in->on_edge([&](const edge_event& ev) {
        events.push_back(ev);
        threads.push_back(std::this_thread::get_id());
    });
    const auto before = std::chrono::steady_clock::now().time_since_epoch();
    std::thread driver([&] {
        sim.set_input("GPIO17", true);
        sim.set_input("GPIO17", false);
        sim.set_input("GPIO17", true);
    });
    driver.join();
    EXPECT_TRUE(events.empty());  // nothing runs outside the loop
    ASSERT_TRUE(run_until([&] { return events.size() == 3; }));
    EXPECT_TRUE(events[0].level);
    EXPECT_FALSE(events[1].level);
    EXPECT_TRUE(events[2].level);
    for (const auto& id : threads) EXPECT_EQ(id, std::this_thread::get_id());
    for (const auto& ev : events) {
        EXPECT_GE(ev.timestamp, before);
        EXPECT_EQ(ev.missed, 0u);
    }
    EXPECT_LE(events[0].timestamp, events[1].timestamp);
}

TEST_F(SimGpio, SettingTheSameLevelIsNoEdge) {
    auto in = input("GPIO8");
    sim.set_input("GPIO8", false);
    sim.set_input("GPIO8", true);
    sim.set_input("GPIO8", true);
    ASSERT_TRUE(run_until([&] { return events.size() == 1; }));
    run_for(20ms);
    EXPECT_EQ(events.size(), 1u);
}

TEST_F(SimGpio, EdgeSubscriptionsFilter) {
    auto rising = sim.request_input({{"", "GPIO9"}, edge::rising, bias::as_is, false, 0ms});
    auto falling = sim.request_input({{"", "GPIO10"}, edge::falling, bias::as_is, false, 0ms});
    auto none = sim.request_input({{"", "GPIO11"}, edge::none, bias::as_is, false, 0ms});
    std::vector<std::string> seen;
    for (auto* in : {rising.get(), falling.get(), none.get()}) {
        in->on_edge([&seen, in](const edge_event& ev) {
            seen.push_back(in->name() + (ev.level ? "=1" : "=0"));
        });
    }
    for (const char* line : {"GPIO9", "GPIO10", "GPIO11"}) {
        sim.set_input(line, true);
        sim.set_input(line, false);
    }
    run_until([&] { return seen.size() >= 2; });
    run_for(20ms);
    EXPECT_EQ(seen, (std::vector<std::string>{"gpiochip0:GPIO9=1", "gpiochip0:GPIO10=0"}));
}

TEST_F(SimGpio, DebounceSwallowsABounceBurstAndPublishesTheLevelThatHeld) {
    auto in = input("GPIO12", edge::both, 40ms);
    for (int i = 0; i < 7; ++i) sim.set_input("GPIO12", i % 2 == 0);  // ends high
    const auto last_change = std::chrono::steady_clock::now().time_since_epoch();
    ASSERT_TRUE(run_until([&] { return !events.empty(); }));
    run_for(80ms);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_TRUE(events[0].level);
    EXPECT_LE(events[0].timestamp, last_change);  // when the held level began
    EXPECT_GE(std::chrono::steady_clock::now().time_since_epoch() - events[0].timestamp, 40ms);
}

TEST_F(SimGpio, DebounceIgnoresAGlitchThatComesBack) {
    auto in = input("GPIO13", edge::both, 40ms);
    sim.set_input("GPIO13", true);
    sim.set_input("GPIO13", false);
    run_for(120ms);
    EXPECT_TRUE(events.empty());
    EXPECT_FALSE(in->value().value());
}

TEST_F(SimGpio, OutputsRecordTheirLevelAndReadBack) {
    EXPECT_FALSE(sim.output_level("GPIO20"));  // not an output
    auto out = sim.request_output({{"", "GPIO20"}, true, false, drive::push_pull});
    EXPECT_EQ(out->name(), "gpiochip0:GPIO20");
    EXPECT_EQ(sim.output_level("GPIO20"), std::optional<bool>(true));
    ASSERT_TRUE(out->set(false));
    EXPECT_EQ(sim.output_level("GPIO20"), std::optional<bool>(false));
    EXPECT_FALSE(out->get().value());
    sim.set_input("GPIO20", true);  // cannot move a line we drive
    EXPECT_FALSE(sim.level("GPIO20"));
    out.reset();
    EXPECT_FALSE(sim.output_level("GPIO20"));
    EXPECT_TRUE(sim.level("GPIO20"));  // released: the outside level shows again
}

TEST_F(SimGpio, ActiveLowOutputsDriveTheInverse) {
    auto out = sim.request_output({{"", "GPIO21"}, false, true, drive::open_drain});
    EXPECT_EQ(sim.output_level("GPIO21"), std::optional<bool>(true));
    ASSERT_TRUE(out->set(true));
    EXPECT_EQ(sim.output_level("GPIO21"), std::optional<bool>(false));
    EXPECT_TRUE(out->get().value());
}

TEST_F(SimGpio, ListShowsWhoHoldsWhat) {
    auto in = input("GPIO3", edge::both, 0ms, true);
    auto out = sim.request_output({{"", "GPIO4"}, false, false, drive::push_pull});
    sim.hold_line("GPIO2", "i2c-1");
    const auto lines = sim.list_chips()[0].lines;
    EXPECT_EQ(lines[2].consumer, "i2c-1");
    EXPECT_EQ(lines[3].consumer, "piogate");
    EXPECT_TRUE(lines[3].active_low);
    EXPECT_FALSE(lines[3].output);
    EXPECT_EQ(lines[4].consumer, "piogate");
    EXPECT_TRUE(lines[4].output);
    EXPECT_TRUE(lines[5].consumer.empty());
}

TEST_F(SimGpio, ALineClaimedTwiceIsBusyNamingPiogate) {
    auto first = input("GPIO22");
    const auto text = error_of([&] { input("GPIO22"); });
    EXPECT_EQ(text,
              "gpio gpiochip0:GPIO22: request input failed: line busy, held by \"piogate\" "
              "(claimed twice in the configuration, or another piogate is running)");
    first.reset();
    EXPECT_NO_THROW(input("GPIO22"));
}

TEST_F(SimGpio, ALineHeldElsewhereIsBusyNamingTheConsumer) {
    sim.hold_line("GPIO23", "gpio-keys");
    EXPECT_EQ(error_of([&] {
                  sim.request_output({{"", "GPIO23"}, false, false, drive::push_pull});
              }),
              "gpio gpiochip0:GPIO23: request output failed: line busy, held by \"gpio-keys\"");
    sim.hold_line("GPIO23", "");
    auto in = input("GPIO23");
    EXPECT_THROW(sim.hold_line("GPIO23", "x"), std::invalid_argument);
}

TEST_F(SimGpio, AnUnknownLineListsSimilarNames) {
    EXPECT_EQ(error_of([&] { input("GPIO71"); }),
              "gpio GPIO71: request input failed: no line named \"GPIO71\" on any chip "
              "(did you mean GPIO1, GPIO7, GPIO11, GPIO17, GPIO21?)");
    EXPECT_EQ(error_of([&] { input("gpio17"); }),
              "gpio gpio17: request input failed: no line named \"gpio17\" on any chip "
              "(did you mean GPIO17?)");
    EXPECT_EQ(error_of([&] {
                  sim.request_input({{"gpiochip0", "28"}, edge::both, bias::as_is, false, 0ms});
              }),
              "gpio gpiochip0:28: request input failed: gpiochip0 [pinctrl-bcm2835] has 28 lines "
              "(offsets 0..27)");
    EXPECT_EQ(
        error_of([&] {
            sim.request_input({{"pinctrl-rp1", "GPIO4"}, edge::both, bias::as_is, false, 0ms});
        }),
        "gpio pinctrl-rp1:GPIO4: request input failed: no chip with path, name or label "
        "\"pinctrl-rp1\" (chips: gpiochip0 [pinctrl-bcm2835])");
    EXPECT_THROW(sim.set_input("GPIO99", true), std::invalid_argument);
}

TEST_F(SimGpio, ToggleEveryFlipsTheLineEachPeriod) {
    auto in = input("GPIO24");
    sim.toggle_every("GPIO24", 15ms);
    ASSERT_TRUE(run_until([&] { return events.size() >= 4; }));
    for (std::size_t i = 0; i < events.size(); ++i) EXPECT_EQ(events[i].level, i % 2 == 0) << i;
    sim.stop("GPIO24");
    const auto n = events.size();
    run_for(60ms);
    EXPECT_EQ(events.size(), n);
}

TEST_F(SimGpio, PlayDrivesTheStepsInOrder) {
    auto in = input("GPIO25", edge::both, 20ms);
    // A bouncing contact: closes with bounces, holds, opens cleanly.
    sim.play("GPIO25",
             {{5ms, true}, {1ms, false}, {1ms, true}, {1ms, false}, {1ms, true}, {80ms, false}});
    ASSERT_TRUE(run_until([&] { return events.size() == 2; }));
    EXPECT_TRUE(events[0].level);
    EXPECT_FALSE(events[1].level);
    run_for(60ms);
    EXPECT_EQ(events.size(), 2u);  // no repeat
}

TEST_F(SimGpio, PlayRepeats) {
    auto in = input("GPIO26", edge::rising);
    sim.play("GPIO26", {{5ms, true}, {5ms, false}}, true);
    ASSERT_TRUE(run_until([&] { return events.size() >= 3; }));
    for (const auto& ev : events) EXPECT_TRUE(ev.level);
}

TEST_F(SimGpio, ANewPatternReplacesTheOld) {
    auto in = input("GPIO27");
    sim.toggle_every("GPIO27", 5ms);
    sim.play("GPIO27", {{30ms, true}});
    ASSERT_TRUE(run_until([&] { return !events.empty(); }));
    run_for(60ms);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_TRUE(events[0].level);
}

TEST_F(SimGpio, ADestroyedInputGetsNoMoreEvents) {
    auto in = input("GPIO14", edge::both, 30ms);
    sim.set_input("GPIO14", true);  // posted, and later a debounce timer
    run_for(5ms);
    sim.set_input("GPIO14", false);
    sim.set_input("GPIO14", true);
    in.reset();
    run_for(80ms);
    EXPECT_TRUE(events.empty());
}

TEST_F(SimGpio, AHandlerMayDestroyItsOwnInput) {
    std::unique_ptr<gpio_input> in =
        sim.request_input({{"", "GPIO15"}, edge::both, bias::as_is, false, 0ms});
    int calls = 0;
    in->on_edge([&](const edge_event&) {
        ++calls;
        in.reset();
    });
    sim.set_input("GPIO15", true);
    sim.set_input("GPIO15", false);
    run_until([&] { return calls > 0; });
    run_for(20ms);
    EXPECT_EQ(calls, 1);
    EXPECT_TRUE(sim.list_chips()[0].lines[15].consumer.empty());
}

TEST_F(SimGpio, RequestedLinesMayOutliveTheBoard) {
    auto other = std::make_unique<sim_gpio>(io);
    other->add_raspberry_pi_chip();
    auto in = other->request_input({{"", "GPIO16"}, edge::both, bias::pull_up, false, 10ms});
    auto out = other->request_output({{"", "GPIO19"}, false, false, drive::push_pull});
    other->set_input("GPIO16", false);
    other->toggle_every("GPIO16", 5ms);
    other.reset();
    run_for(30ms);
    EXPECT_FALSE(in->value().value());
    EXPECT_TRUE(out->set(true));
}

}  // namespace
}  // namespace piogate::hw
