// A channel_host for component tests: records what a channel hands it, with the virtual time
// of the hand-over. publish() (states, errors), publish_reading() (sensor readings) and
// on_reading() (the filtered readings the local rules see) are kept apart, in the order
// they came.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "app/channel_host.hpp"
#include "component/virtual_loop.hpp"

namespace piogate::component {

struct message {
    std::chrono::steady_clock::duration at;  // virtual time since the loop began
    std::string topic;
    std::string payload;
    double seconds() const { return std::chrono::duration<double>(at).count(); }
};

struct recording_host final : app::channel_host {
    explicit recording_host(const virtual_loop& l, std::string prefix)
        : loop(l), prefix_(std::move(prefix)) {}
    const virtual_loop& loop;
    std::string prefix_;
    std::vector<message> published;  // state and error messages
    std::vector<message> readings;
    std::vector<std::pair<std::string, hw::reading>> seen;  // on_reading: id, values
    const std::string& prefix() const override { return prefix_; }
    void publish(const std::string& topic, const std::string& payload, int, bool) override {
        published.push_back({loop.elapsed(), topic, payload});
    }
    void publish_reading(app::buffered_message m) override {
        readings.push_back({loop.elapsed(), m.topic, m.payload});
    }
    void on_reading(const std::string& id, const hw::reading& values) override {
        seen.emplace_back(id, values);
    }
    void health_changed() override {}
};

}  // namespace piogate::component
