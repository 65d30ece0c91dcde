// The simulated board's sysfs tree, alive: builds hw::sim_sysfs from the board's "sysfs"
// section under the board's sysfs root and rewrites its values every second on a timer, so the
// sysfs sensor kinds read drifting values (and the flaky DHT's EIO) on the simulated board.
// Time is the injected scheduler's (util/scheduler.hpp): the waves' t is its now() since the
// runner was made, and the ticks are its timers, so tests move the values on virtual time.
//
// Thread: the scheduler's event loop (the timer's handler writes a few small files: no fsync,
// bounded).
// Errors: the constructor throws std::runtime_error when the tree cannot be made; a failed
// update is logged once per streak and tried again on the next tick.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <chrono>
#include <filesystem>
#include <memory>

#include "config/sim_sysfs_config.hpp"
#include "hw/sim/sim_sysfs.hpp"
#include "util/scheduler.hpp"

namespace piogate::app {

// The hw description of a config section (values in published units, periods in ms).
hw::sim_sysfs_config to_sim_sysfs(const config::sim_sysfs_section& section);

class sim_sysfs_runner {
public:
    static constexpr std::chrono::milliseconds tick{1000};

    // Writes the tree for t = 0 at once, then every `tick` of `time`, which must outlive the
    // runner.
    sim_sysfs_runner(util::scheduler& time, const std::filesystem::path& root,
                     const config::sim_sysfs_section& section);
    sim_sysfs_runner(const sim_sysfs_runner&) = delete;
    sim_sysfs_runner& operator=(const sim_sysfs_runner&) = delete;

private:
    void arm();

    hw::sim_sysfs tree_;
    util::scheduler& time_;
    util::steady_time start_;
    std::unique_ptr<util::timer> timer_;  // its destruction drops a pending tick
    bool failing_ = false;
};

}  // namespace piogate::app
