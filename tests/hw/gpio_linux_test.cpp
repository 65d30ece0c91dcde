// The libgpiod backend (v1 or v2, whichever this build uses) against a real kernel GPIO chip:
// gpio-sim, which tests/hw/run_in_vm.sh sets up in a VM (tests/hw/vm/fixture.sh): 28 lines
// GPIO0..GPIO27, label pinctrl-bcm2835, chip name in GPIO_CHIP. The tests drive inputs through
// $GPIOSIM_SYSFS/sim_gpioN/pull and read outputs from .../sim_gpioN/value. The chip lives as
// long as the VM, so each test uses lines of its own.
#include <grp.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>
// SPDX-License-Identifier: Apache-2.0
#include <boost/asio/io_context.hpp>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "hw/linux/linux_gpio.hpp"

namespace piogate::hw {
namespace {

using namespace std::chrono_literals;

std::string env(const char* name) {
    const char* v = std::getenv(name);
    return v != nullptr ? v : "";
}

class gpio_linux : public ::testing::Test {
protected:
    void SetUp() override {
        sysfs_ = env("GPIOSIM_SYSFS");
        chip_ = env("GPIO_CHIP");
        if (sysfs_.empty() || chip_.empty()) {
            GTEST_SKIP() << "GPIOSIM_SYSFS / GPIO_CHIP are not set, so there is no gpio-sim chip "
                            "here; tests/hw/run_in_vm.sh runs these tests in a VM that has one";
        }
        gpio_ = make_linux_gpio(io_);
    }

    std::string sim_file(int line, const char* file) const {
        return sysfs_ + "/sim_gpio" + std::to_string(line) + "/" + file;
    }
    void pull(int line, bool up) {
        std::ofstream f(sim_file(line, "pull"));
        f << (up ? "pull-up" : "pull-down");
        f.close();
        ASSERT_TRUE(f) << "writing " << sim_file(line, "pull");
    }
    std::string read(int line, const char* file) const {
        std::ifstream f(sim_file(line, file));
        std::string s;
        f >> s;
        return s;
    }

    std::unique_ptr<gpio_input> input(line_address where, edge edges = edge::both,
                                      bias pull_mode = bias::as_is, bool active_low = false,
                                      std::chrono::milliseconds debounce = 0ms) {
        auto in = gpio_->request_input({std::move(where), edges, pull_mode, active_low, debounce});
        in->on_edge([this](const edge_event& ev) { events_.push_back(ev); });
        return in;
    }

    // TCG is slow: generous deadlines, and never an upper bound on how fast things happen.
    bool wait_events(std::size_t n, std::chrono::milliseconds limit = 10s) {
        const auto deadline = std::chrono::steady_clock::now() + limit;
        while (events_.size() < n) {
            if (std::chrono::steady_clock::now() > deadline) return false;
            io_.restart();
            io_.run_for(10ms);
        }
        return true;
    }
    void run_for(std::chrono::milliseconds d) {
        io_.restart();
        io_.run_for(d);
    }

    std::string error_of(const std::function<void()>& f) {
        try {
            f();
        } catch (const std::runtime_error& e) {
            return e.what();
        }
        return "(no error)";
    }

    std::string sysfs_, chip_;
    boost::asio::io_context io_;
    std::unique_ptr<gpio_provider> gpio_;
    std::vector<edge_event> events_;
};

TEST_F(gpio_linux, FindsALineByName) {
    auto in = input({"", "GPIO2"}, edge::none);
    EXPECT_EQ(in->name(), chip_ + ":GPIO2");
}

TEST_F(gpio_linux, FindsALineByChipAndOffset) {
    EXPECT_EQ(input({chip_, "3"}, edge::none)->name(), chip_ + ":GPIO3");
    EXPECT_EQ(input({"/dev/" + chip_, "3"}, edge::none)->name(), chip_ + ":GPIO3");
}

TEST_F(gpio_linux, FindsAChipByLabel) {
    EXPECT_EQ(input({"pinctrl-bcm2835", "GPIO4"}, edge::none)->name(), chip_ + ":GPIO4");
    EXPECT_EQ(input({"pinctrl-bcm2835", "4"}, edge::none)->name(), chip_ + ":GPIO4");
}

TEST_F(gpio_linux, ListsTheChipWithItsLinesAndConsumers) {
    auto in = input({"", "GPIO2"}, edge::both, bias::as_is, true);
    auto out = gpio_->request_output({{"", "GPIO27"}, false, false, drive::push_pull});
    const chip_info* sim = nullptr;
    const auto chips = gpio_->list_chips();
    for (const auto& c : chips)
        if (c.name == chip_) sim = &c;
    ASSERT_NE(sim, nullptr);
    EXPECT_EQ(sim->path, "/dev/" + chip_);
    EXPECT_EQ(sim->label, "pinctrl-bcm2835");
    ASSERT_EQ(sim->lines.size(), 28u);
    EXPECT_EQ(sim->lines[17].name, "GPIO17");
    EXPECT_EQ(sim->lines[17].offset, 17u);
    EXPECT_EQ(sim->lines[2].consumer, "piogate");
    EXPECT_TRUE(sim->lines[2].active_low);
    EXPECT_FALSE(sim->lines[2].output);
    EXPECT_EQ(sim->lines[27].consumer, "piogate");
    EXPECT_TRUE(sim->lines[27].output);
    EXPECT_TRUE(sim->lines[26].consumer.empty());
}

TEST_F(gpio_linux, ValueFollowsTheSimulatedPull) {
    pull(5, false);
    auto in = input({"", "GPIO5"}, edge::none);
    EXPECT_FALSE(in->value().value());
    pull(5, true);
    EXPECT_TRUE(in->value().value());
    pull(5, false);
    EXPECT_FALSE(in->value().value());
}

TEST_F(gpio_linux, EdgesBothWaysThroughTheLoop) {
    pull(6, false);
    auto in = input({"", "GPIO6"});
    const auto before = std::chrono::steady_clock::now().time_since_epoch();
    pull(6, true);
    ASSERT_TRUE(wait_events(1));
    pull(6, false);
    ASSERT_TRUE(wait_events(2));
    run_for(50ms);
    ASSERT_EQ(events_.size(), 2u);
    EXPECT_TRUE(events_[0].level);
    EXPECT_FALSE(events_[1].level);
    // Kernel timestamps on the monotonic clock, the one steady_clock reads.
    EXPECT_GE(events_[0].timestamp, before);
    EXPECT_LE(events_[1].timestamp, std::chrono::steady_clock::now().time_since_epoch());
    EXPECT_LT(events_[0].timestamp, events_[1].timestamp);
    EXPECT_EQ(events_[0].missed, 0u);
    EXPECT_EQ(events_[1].missed, 0u);
}

TEST_F(gpio_linux, RisingOnlyDeliversRisingEdges) {
    pull(7, false);
    auto in = input({"", "GPIO7"}, edge::rising);
    for (bool up : {true, false, true, false}) {
        pull(7, up);
        run_for(20ms);
    }
    ASSERT_TRUE(wait_events(2));
    run_for(50ms);
    ASSERT_EQ(events_.size(), 2u);
    EXPECT_TRUE(events_[0].level);
    EXPECT_TRUE(events_[1].level);
}

TEST_F(gpio_linux, FallingOnlyDeliversFallingEdges) {
    pull(8, true);
    auto in = input({"", "GPIO8"}, edge::falling);
    for (bool up : {false, true, false}) {
        pull(8, up);
        run_for(20ms);
    }
    ASSERT_TRUE(wait_events(2));
    run_for(50ms);
    ASSERT_EQ(events_.size(), 2u);
    EXPECT_FALSE(events_[0].level);
    EXPECT_FALSE(events_[1].level);
}

TEST_F(gpio_linux, RequestedBiasPullsTheLine) {
    pull(9, false);
    {
        auto in = input({"", "GPIO9"}, edge::none, bias::pull_up);
        EXPECT_TRUE(in->value().value());
        EXPECT_EQ(read(9, "pull"), "pull-up");
    }
    auto in = input({"", "GPIO9"}, edge::both, bias::pull_down);
    EXPECT_FALSE(in->value().value());
    EXPECT_EQ(read(9, "pull"), "pull-down");
}

TEST_F(gpio_linux, ActiveLowInvertsInputs) {
    pull(10, true);
    auto in = input({"", "GPIO10"}, edge::both, bias::as_is, true);
    EXPECT_FALSE(in->value().value());
    pull(10, false);
    ASSERT_TRUE(wait_events(1));
    EXPECT_TRUE(events_[0].level);
    EXPECT_TRUE(in->value().value());
}

TEST_F(gpio_linux, DebounceIgnoresAGlitchAndDeliversTheLevelThatHeld) {
    pull(11, false);
    auto in = input({"", "GPIO11"}, edge::both, bias::as_is, false, 150ms);
    pull(11, true);  // a glitch: back within microseconds
    pull(11, false);
    run_for(500ms);
    EXPECT_TRUE(events_.empty());
    const auto start = std::chrono::steady_clock::now();
    pull(11, true);
    ASSERT_TRUE(wait_events(1));
    EXPECT_GE(std::chrono::steady_clock::now() - start, 150ms);
    run_for(300ms);
    ASSERT_EQ(events_.size(), 1u);
    EXPECT_TRUE(events_[0].level);
}

TEST_F(gpio_linux, OutputsSetAndReadBack) {
    auto out = gpio_->request_output({{"", "GPIO20"}, false, false, drive::push_pull});
    EXPECT_EQ(out->name(), chip_ + ":GPIO20");
    EXPECT_EQ(read(20, "value"), "0");
    ASSERT_TRUE(out->set(true));
    EXPECT_EQ(read(20, "value"), "1");
    EXPECT_TRUE(out->get().value());
    ASSERT_TRUE(out->set(false));
    EXPECT_EQ(read(20, "value"), "0");
    EXPECT_FALSE(out->get().value());
}

TEST_F(gpio_linux, InitialOutputLevel) {
    auto out = gpio_->request_output({{chip_, "21"}, true, false, drive::push_pull});
    EXPECT_EQ(read(21, "value"), "1");
}

TEST_F(gpio_linux, ActiveLowInvertsOutputs) {
    auto out = gpio_->request_output({{"", "GPIO22"}, false, true, drive::push_pull});
    EXPECT_EQ(read(22, "value"), "1");
    ASSERT_TRUE(out->set(true));
    EXPECT_EQ(read(22, "value"), "0");
    EXPECT_TRUE(out->get().value());
}

TEST_F(gpio_linux, OpenDrainOutputDrivesLow) {
    auto out = gpio_->request_output({{"", "GPIO23"}, false, false, drive::open_drain});
    EXPECT_EQ(read(23, "value"), "0");
    ASSERT_TRUE(out->set(true));  // released: the line floats to its pull
    ASSERT_TRUE(out->set(false));
    EXPECT_EQ(read(23, "value"), "0");
}

TEST_F(gpio_linux, ALineClaimedTwiceIsBusyNamingTheConsumer) {
    auto first = input({"", "GPIO12"});
    EXPECT_EQ(error_of([&] {
                  input({"", "GPIO12"});
              }),
              "gpio " + chip_ +
                  ":GPIO12: request input failed: line busy, held by \"piogate\" "
                  "(claimed twice in the configuration, or another piogate is running)");
    EXPECT_EQ(error_of([&] {
                  gpio_->request_output({{chip_, "12"}, false, false, drive::push_pull});
              }),
              "gpio " + chip_ +
                  ":GPIO12: request output failed: line busy, held by \"piogate\" "
                  "(claimed twice in the configuration, or another piogate is running)");
    first.reset();
    EXPECT_NO_THROW(input({"", "GPIO12"}));
}

TEST_F(gpio_linux, AnUnknownLineListsSimilarNames) {
    EXPECT_EQ(error_of([&] {
                  input({"", "GPIO71"});
              }),
              "gpio GPIO71: request input failed: no line named \"GPIO71\" on any chip "
              "(did you mean GPIO1, GPIO7, GPIO11, GPIO17, GPIO21?)");
    EXPECT_EQ(error_of([&] {
                  input({chip_, "28"});
              }),
              "gpio " + chip_ + ":28: request input failed: " + chip_ +
                  " [pinctrl-bcm2835] has 28 lines (offsets 0..27)");
    const auto no_chip = error_of([&] { input({"pinctrl-rp1", "GPIO4"}); });
    EXPECT_NE(no_chip.find("no chip with path, name or label \"pinctrl-rp1\""), std::string::npos)
        << no_chip;
    EXPECT_NE(no_chip.find(chip_ + " [pinctrl-bcm2835]"), std::string::npos) << no_chip;
}

TEST_F(gpio_linux, PermissionDeniedSaysToJoinGroupGpio) {
    if (geteuid() != 0) GTEST_SKIP() << "needs root to drop to an unprivileged user";
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        close(fds[0]);
        std::string text = "(no error)";
        if (setgroups(0, nullptr) != 0 || setgid(65534) != 0 || setuid(65534) != 0) {
            text = "cannot drop privileges";
        } else {
            try {
                boost::asio::io_context io;
                make_linux_gpio(io)->request_input(
                    {{"", "GPIO13"}, edge::both, bias::as_is, false, 0ms});
            } catch (const std::exception& e) {
                text = e.what();
            }
        }
        (void)!write(fds[1], text.data(), text.size());
        _exit(0);
    }
    close(fds[1]);
    std::string text;
    char buf[512];
    for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) text.append(buf, n);
    close(fds[0]);
    int status = 0;
    waitpid(child, &status, 0);
    EXPECT_NE(text.find("open failed: Permission denied"), std::string::npos) << text;
    EXPECT_NE(text.find("group \"gpio\""), std::string::npos) << text;
}

TEST_F(gpio_linux, AFloodOfEdgesEndsAtTheRealLevelAndCountsTheLoss) {
    pull(16, false);
    auto in = input({"", "GPIO16"});
    // The loop does not run meanwhile: the kernel's queue (16 events in v1, 64 as we request
    // them in v2) overflows.
    constexpr std::uint64_t toggles = 1001;  // odd: the line ends high
    for (std::uint64_t i = 0; i < toggles; ++i) pull(16, i % 2 == 0);
    std::size_t seen = 0;
    do {
        seen = events_.size();
        run_for(300ms);
    } while (events_.size() != seen);
    ASSERT_FALSE(events_.empty());
    EXPECT_TRUE(events_.back().level);
    EXPECT_TRUE(in->value().value());
    std::uint64_t missed = 0;
    for (const auto& ev : events_) missed += ev.missed;
    EXPECT_GT(missed, 0u);
#if PIOGATE_GPIOD_API >= 2
    // Sequence numbers count exactly what the kernel dropped; repeated levels are not delivered.
    EXPECT_LE(events_.size() + missed, toggles);
    EXPECT_GE(missed, toggles - 64 - 1);
#endif
    // And the line goes on working.
    const auto n = events_.size();
    pull(16, false);
    ASSERT_TRUE(wait_events(n + 1));
    EXPECT_FALSE(events_.back().level);
}

TEST_F(gpio_linux, DestroyingAnInputWithEventsPendingIsSafe) {
    pull(14, false);
    auto in = input({"", "GPIO14"}, edge::both, bias::as_is, false, 50ms);
    pull(14, true);
    pull(14, false);
    pull(14, true);
    run_for(1ms);
    in.reset();
    run_for(200ms);
    EXPECT_TRUE(events_.empty());
    auto again = input({"", "GPIO14"});  // released: free again
    EXPECT_TRUE(again->value().value());
}

TEST_F(gpio_linux, AHandlerMayDestroyItsOwnInput) {
    pull(15, false);
    std::unique_ptr<gpio_input> in =
        gpio_->request_input({{"", "GPIO15"}, edge::both, bias::as_is, false, 0ms});
    int calls = 0;
    in->on_edge([&](const edge_event&) {
        ++calls;
        in.reset();
    });
    pull(15, true);
    pull(15, false);
    pull(15, true);
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (calls == 0 && std::chrono::steady_clock::now() < deadline) run_for(10ms);
    run_for(100ms);
    EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace piogate::hw
