// An event loop on virtual time for component tests: an io_context for what channels post
// (workers' completions), and a util::virtual_scheduler for their clocks and timers. After
// every timer it runs the loop until the registered workers have finished their jobs and
// nothing is ready, so each step of virtual time sees the results of the one before.
// Waiting for a worker's job is the only real wait (run_one_for, bounded): no sleeps.
// chip_clock is virtual time for the simulated I2C chips, readable from the workers.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <vector>

#include "hw/i2c_worker.hpp"
#include "util/clock.hpp"
#include "util/virtual_scheduler.hpp"

namespace piogate::component {

class virtual_loop {
public:
    boost::asio::io_context io;
    util::virtual_scheduler time{[this] { settle(); }};
    // Virtual time for the simulated chips (app::board::set_chip_clock), which the I2C worker
    // threads read: `time` may be read on the loop's thread only, so this thread-safe copy
    // is moved to time.now() on the loop's thread each time virtual time moves, before the
    // timers due then run (and so before the worker jobs they submit). It only ever follows:
    // a chip that sleeps on it (clock stretching) would run ahead of virtual time.
    util::manual_clock chip_clock{time.now()};

    virtual_loop() {
        time.on_time([this](util::steady_time t) {
            if (t > chip_clock.now()) chip_clock.advance(t - chip_clock.now());
        });
    }

    void watch(const hw::i2c_worker& w) { workers_.push_back(&w); }
    // Another source of worker jobs, by its count of jobs queued or running, whose completions
    // come back to `io` (a state_file_writer's pending()).
    void watch(std::function<std::size_t()> pending) { others_.push_back(std::move(pending)); }

    // Runs ready handlers until no watched worker has a job and nothing is ready.
    void settle() {
        for (int i = 0; i < 100000; ++i) {
            io.restart();
            io.poll();
            if (!busy()) return;
            io.restart();
            io.run_one_for(std::chrono::seconds(5));  // a worker's job: bounded, not a sleep
        }
        ADD_FAILURE() << "the loop did not settle";
    }

    void advance(std::chrono::steady_clock::duration d) { time.advance(d); }

    // Virtual time since the loop was made.
    std::chrono::steady_clock::duration elapsed() const { return time.now() - start_; }
    double seconds() const { return std::chrono::duration<double>(elapsed()).count(); }

private:
    bool busy() const {
        for (const auto* w : workers_) {
            if (w->pending() > 0) return true;
        }
        for (const auto& p : others_) {
            if (p() > 0) return true;
        }
        return false;
    }

    util::steady_time start_ = time.now();
    std::vector<const hw::i2c_worker*> workers_;
    std::vector<std::function<std::size_t()>> others_;
};

}  // namespace piogate::component
