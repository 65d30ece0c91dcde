// Component tier: an I2C sensor read through the gateway on virtual time (issue 11 §1). The
// SHT3x driver answers "again after 16 ms" instead of sleeping on its worker, the sensor channel
// waits that on the virtual scheduler, and the simulated SHT3x keeps its conversion time on the
// loop's chip_clock (virtual time the I2C worker may read, tests/component/virtual_loop.hpp):
// readings go out at the virtual instants the datasheet's timing gives, with no sleep. (An
// SHT3x rather than a BME280: the BME280 driver's open() waits for the NVM copy after its soft
// reset by sleeping on the worker, and a chip on virtual time sees no time pass during open.)
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include <chrono>
#include <string>
#include <vector>

#include "app/board.hpp"
#include "app/gateway_impl.hpp"
#include "component/fake_link.hpp"
#include "component/state_dir.hpp"
#include "component/virtual_loop.hpp"
#include "config/config.hpp"
#include "hw/sensors/sht3x.hpp"
#include "hw/sim/sim_i2c_bus.hpp"
#include "hw/sim/sim_sht3x.hpp"

using namespace piogate;
using namespace std::chrono_literals;

namespace {

config::piogate_config sht3x_config() {
    return config::parse_config(config::json::parse(R"({
        "board": {"kind": "sim", "i2c": [{"bus": 1, "devices": [
            {"model": "sht3x", "address": "0x44", "temperature": 22.0, "humidity": 40.0}]}]},
        "mqtt": {"topic_prefix": "gw", "client_id": "piogate-test"},
        "sensors": [{"id": "room", "type": "sht3x", "bus": 1, "address": "0x44",
                     "interval_s": 60}]})"));
}

struct fixture {
    fixture() {
        board.set_chip_clock(loop.chip_clock);
        loop.watch([this] {
            std::size_t n = gw.states.pending();
            for (const auto& [name, w] : gw.workers) n += w->pending();
            if (gw.sync_worker) n += gw.sync_worker->pending();
            return n;
        });
    }
    ~fixture() {
        bool done = false;
        gw.stop([&] { done = true; });
        loop.settle();
        EXPECT_TRUE(done);
    }
    std::vector<component::sent_message> on(const std::string& topic) const {
        std::vector<component::sent_message> out;
        for (const auto& s : broker.sent) {
            if (s.m.topic == topic) out.push_back(s);
        }
        return out;
    }

    component::state_dir dir;  // first: STATE_DIRECTORY is set before anything reads it
    component::virtual_loop loop;
    component::fake_broker broker{loop};
    config::piogate_config cfg = sht3x_config();
    app::board board{loop.io, cfg.board, &loop.time};
    std::shared_ptr<hw::sim_sht3x> chip =
        std::dynamic_pointer_cast<hw::sim_sht3x>(board.sim_i2c("1")->device(0x44));
    app::gateway::impl gw{loop.io, cfg, board,
                          app::gateway_environment{&loop.time, broker.factory()}};
};

}  // namespace

TEST(gateway_i2c_time, an_sht3x_reading_goes_out_one_conversion_time_after_each_interval) {
    fixture f;
    ASSERT_NE(f.chip, nullptr);
    const auto real_start = std::chrono::steady_clock::now();
    f.gw.start();
    f.loop.settle();
    f.broker.current->up();
    f.loop.settle();
    f.loop.advance(130s);
    const auto readings = f.on("gw/sensors/room");
    ASSERT_EQ(readings.size(), 3u);
    // Measured at 0, 60 and 120 s; each published one conversion time (16 ms) later.
    EXPECT_EQ(readings[0].m.at, hw::sht3x_measurement_time);
    EXPECT_EQ(readings[1].m.at, 60s + hw::sht3x_measurement_time);
    EXPECT_EQ(readings[2].m.at, 120s + hw::sht3x_measurement_time);
    EXPECT_NE(readings[0].m.payload.find("\"temperature\":22"), std::string::npos)
        << readings[0].m.payload;
    EXPECT_TRUE(f.on("gw/sensors/room/error").empty());
    // The chip's clock followed virtual time.
    EXPECT_EQ(f.loop.chip_clock.now(), f.loop.time.now());
    // Two minutes of readings without waiting them (open()'s 2 ms reset sleep is the only one).
    EXPECT_LT(std::chrono::steady_clock::now() - real_start, 2s);
}

TEST(gateway_i2c_time, a_slow_sht3x_is_polled_on_virtual_time) {
    fixture f;
    f.chip->set_measurement_time(20ms);  // 4 ms past the datasheet's maximum: one NACKed read
    f.gw.start();
    f.loop.settle();
    f.broker.current->up();
    f.loop.settle();
    f.loop.advance(1s);
    const auto readings = f.on("gw/sensors/room");
    ASSERT_EQ(readings.size(), 1u);
    EXPECT_EQ(readings[0].m.at, hw::sht3x_measurement_time + hw::sht3x_retry_interval);  // 21 ms
    EXPECT_TRUE(f.on("gw/sensors/room/error").empty());
}
