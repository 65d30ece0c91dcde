// The sysfs backend of pwm_provider: /sys/class/pwm/pwmchipN (Documentation/ABI/testing/
// sysfs-class-pwm). request() writes the channel number to pwmchipN/export unless pwmchipN/pwmM
// already exists, then waits (bounded) for pwmM's attribute files to appear and become
// writable: udev fixes their group/mode a moment after the export (the Raspberry Pi OS rule
// gives them to the gpio group). The output writes each attribute with one write(2) and reads
// it back from the files; it unexports on destruction what it exported.
//
// The root is a parameter so that tests run against a temporary directory tree.
// Thread: the event-loop thread; request() may block up to attempts x delay (start-up only).
// Errors: util::result naming chip and channel; EINVAL from a write is out_of_range.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>

#include "hw/pwm.hpp"

namespace piogate::hw {

struct sysfs_pwm_options {
    std::filesystem::path root = "/sys/class/pwm";
    int open_attempts = 50;  // checks of pwmM's files after an export
    std::chrono::milliseconds retry_delay{20};
    // How to wait between checks; empty = std::this_thread::sleep_for. Tests inject one.
    std::function<void(std::chrono::milliseconds)> wait;
};

std::unique_ptr<pwm_provider> make_sysfs_pwm(sysfs_pwm_options options = {});

}  // namespace piogate::hw
