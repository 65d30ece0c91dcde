// Deadband + heartbeat for one sensor: decides whether a fresh reading is published.
// Pure: takes the reading and `now`, touches no clock or socket.
//
// With no deadband every reading is published. With a deadband a reading is published when
// some quantity moved by more than its deadband since the last *published* reading (so slow
// drift still gets out), when a quantity appears or disappears, or when the heartbeat has
// passed since the last publish. Thread: the event loop's.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <chrono>
#include <map>
#include <optional>
#include <string>

#include "hw/sensor.hpp"

namespace piogate::app {

class report_filter {
public:
    using clock = std::chrono::steady_clock;

    report_filter(std::map<std::string, double> deadband, std::chrono::milliseconds heartbeat)
        : deadband_(std::move(deadband)), heartbeat_(heartbeat) {}

    // True when `r` should be published now; when true the reading becomes the reference.
    bool admit(const hw::reading& r, clock::time_point now);

private:
    std::map<std::string, double> deadband_;
    std::chrono::milliseconds heartbeat_;
    std::optional<clock::time_point> last_publish_;
    std::map<std::string, double> last_values_;
};

}  // namespace piogate::app
