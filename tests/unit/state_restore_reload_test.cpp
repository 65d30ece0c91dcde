// Actuator states and counter totals are saved through the state-file writer, off the loop
// thread; a channel made again (a reload that moved an actuator's line or restarted a counter)
// while the last save still waits on the worker restores that newest state, not the file's
// older one. The worker is held busy by a blocked write of another file (one worker, in order).
#include <gtest/gtest.h>
#include <unistd.h>
// SPDX-License-Identifier: Apache-2.0
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <future>

#include "app/actuator_state_file.hpp"
#include "app/counter_channel.hpp"
#include "app/counter_store.hpp"
#include "app/gpio_channels.hpp"
#include "app/state_file_writer.hpp"
#include "hw/sim/sim_gpio.hpp"
#include "unit/quiet_host.hpp"
#include "util/asio_scheduler.hpp"

using namespace std::chrono_literals;

namespace piogate::app {
namespace {

class StateRestoreReload : public ::testing::Test {
protected:
    StateRestoreReload() {
        char tmpl[] = "/tmp/piogate-restore-reload-XXXXXX";
        dir = ::mkdtemp(tmpl);
        ::setenv("STATE_DIRECTORY", dir.c_str(), 1);
        gpio.add_raspberry_pi_chip();
    }
    ~StateRestoreReload() override {
        ::unsetenv("STATE_DIRECTORY");
        std::filesystem::remove_all(dir);
    }
    // Holds the writer's worker until release() (bounded: 5 s).
    void block_worker() {
        states.save(
            dir + "/blocker", "x",
            [gate = gate.get_future().share()](const std::string&) -> util::result<void> {
                gate.wait_for(5s);
                return {};
            },
            nullptr);
    }
    void release_and_drain() {
        gate.set_value();
        for (int i = 0; i < 500 && states.pending() > 0; ++i) {
            io.restart();
            io.run_for(10ms);
        }
    }

    std::string dir;
    boost::asio::io_context io;
    util::asio_scheduler time{io};
    quiet_host host;
    hw::sim_gpio gpio{io};
    rules::interlock interlock;
    std::promise<void> gate;
    state_file_writer states{io};
};

TEST_F(StateRestoreReload, ActuatorMadeAgainRestoresTheStateNotYetWritten) {
    config::actuator_config c;
    c.id = "pump";
    c.line = "GPIO22";
    c.restore = true;
    c.path = "/actuators/0";
    block_worker();
    auto a = std::make_unique<actuator_channel>(time, host, c, gpio, interlock, states);
    EXPECT_EQ(a->switch_to(true), "");
    const auto path = default_actuator_state_path("pump");
    // Saved, not written: the write waits on the worker, the loop thread went on.
    EXPECT_EQ(states.unwritten(path), encode_actuator_state("pump", true));
    EXPECT_FALSE(std::filesystem::exists(path));
    a.reset();  // a reload moves its line: the old channel goes, a new one comes
    c.line = "GPIO24";
    auto again = std::make_unique<actuator_channel>(time, host, c, gpio, interlock, states);
    EXPECT_TRUE(again->state());  // from the writer, the file has nothing yet
    release_and_drain();
    auto f = read_actuator_state(path, "pump");
    EXPECT_EQ(f.kind, actuator_state_file::kind_t::own);
    EXPECT_TRUE(f.state);
}

TEST_F(StateRestoreReload, CounterMadeAgainGoesOnFromTheCountNotYetWritten) {
    config::counter_config c;
    c.id = "power";
    c.line = "GPIO5";
    c.edge = "rising";
    c.debounce = 0ms;
    c.state_file = dir + "/counter-power.json";
    c.path = "/counters/0";
    block_worker();
    auto counter = std::make_unique<counter_channel>(time, host, c, gpio, states);
    for (int i = 0; i < 3; ++i) {
        gpio.set_input("GPIO5", true);
        gpio.set_input("GPIO5", false);
    }
    for (int i = 0; i < 100 && counter->count() < 3; ++i) io.run_one_for(10ms);
    ASSERT_EQ(counter->count(), 3u);
    counter.reset();  // saves at removal: on the worker, behind the blocked write
    EXPECT_FALSE(std::filesystem::exists(c.state_file));
    auto again = std::make_unique<counter_channel>(time, host, c, gpio, states);
    EXPECT_EQ(again->count(), 3u);
    release_and_drain();
    EXPECT_EQ(read_counter_file(c.state_file, "power").count, 3u);
}

}  // namespace
}  // namespace piogate::app
