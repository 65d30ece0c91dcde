// A channel_host for unit tests that publishes nowhere: for channels whose messages the test
// does not look at.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <string>

#include "app/channel_host.hpp"

namespace piogate::app {

struct quiet_host final : channel_host {
    const std::string& prefix() const override { return prefix_; }
    void publish(const std::string&, const std::string&, int, bool) override {}
    void publish_reading(buffered_message) override {}
    void health_changed() override {}
    std::string prefix_ = "gw";
};

}  // namespace piogate::app
