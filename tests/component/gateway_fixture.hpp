// The gateway itself (app::gateway::impl, as app::gateway runs it) for component tests: on the
// simulated board of its config, on virtual time (component/virtual_loop.hpp, the simulated I2C
// chips on the loop's chip_clock), with a fake MQTT link (component/fake_link.hpp) in place of
// mqtt::async_client and a fresh state directory. The loop waits for the gateway's workers'
// jobs after every step; the destructor stops the gateway and checks that the stop finished.
//
// Thread: the test's (the loop's); the I2C workers run the drivers.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "app/board.hpp"
#include "app/gateway_impl.hpp"
#include "component/fake_link.hpp"
#include "component/state_dir.hpp"
#include "component/virtual_loop.hpp"
#include "config/config.hpp"
#include "hw/sim/sim_i2c_bus.hpp"

namespace piogate::component {

struct gateway_fixture {
    explicit gateway_fixture(config::piogate_config config)
        : cfg(std::move(config)),
          board(loop.io, cfg.board, &loop.time),
          gw(loop.io, cfg, board, app::gateway_environment{&loop.time, broker.factory()}) {
        board.set_chip_clock(loop.chip_clock);
        loop.watch([this] {
            std::size_t n = gw.states.pending();
            for (const auto& [name, w] : gw.workers) n += w->pending();
            if (gw.sync_worker) n += gw.sync_worker->pending();
            return n;
        });
    }
    ~gateway_fixture() {
        bool done = false;
        gw.stop([&] { done = true; });
        loop.settle();
        EXPECT_TRUE(done);
    }
    gateway_fixture(const gateway_fixture&) = delete;
    gateway_fixture& operator=(const gateway_fixture&) = delete;

    // Starts the gateway and brings its link up (CONNACK), settling the loop after each.
    void start_connected() {
        gw.start();
        loop.settle();
        broker.current->up();
        loop.settle();
    }
    fake_link& link() { return *broker.current; }
    // The simulated chip of type Chip on I2C bus `bus` at `address` (nullptr if none, or
    // another model).
    template <class Chip>
    std::shared_ptr<Chip> sim_chip(const std::string& bus, std::uint8_t address) {
        return std::dynamic_pointer_cast<Chip>(board.sim_i2c(bus)->device(address));
    }
    // The messages sent on `topic` since message `from`, in order.
    std::vector<sent_message> on(const std::string& topic, std::size_t from = 0) const {
        std::vector<sent_message> out;
        for (std::size_t i = from; i < broker.sent.size(); ++i) {
            if (broker.sent[i].m.topic == topic) out.push_back(broker.sent[i]);
        }
        return out;
    }
    std::vector<std::string> payloads(const std::string& topic, std::size_t from = 0) const {
        std::vector<std::string> out;
        for (const auto& s : on(topic, from)) out.push_back(s.m.payload);
        return out;
    }

    state_dir dir;  // first: STATE_DIRECTORY is set before anything reads it
    virtual_loop loop;
    fake_broker broker{loop};
    config::piogate_config cfg;
    app::board board;
    app::gateway::impl gw;
};

}  // namespace piogate::component
