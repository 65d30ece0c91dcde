// Component tier: sensor channels on the simulated board (a simulated MCP9808 on the
// simulated I2C bus, read through the real driver on a real worker thread) and on virtual
// time, for hours of it in a moment of real time, without sleeps and without a broker: what
// the channel hands its host is recorded with the virtual time it was handed over at.
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include <deque>

#include "app/board.hpp"
#include "app/sensor_channel.hpp"
#include "app/sensor_factory.hpp"
#include "component/recording_host.hpp"
#include "component/virtual_loop.hpp"
#include "config/config.hpp"
#include "hw/sim/sim_i2c_bus.hpp"
#include "hw/sim/sim_mcp9808.hpp"

using namespace piogate;
using namespace std::chrono_literals;

namespace {

using component::recording_host;

// The simulated board with an MCP9808 at 0x18 on bus 1, and one sensor on it.
struct board_fixture {
    explicit board_fixture(const std::string& sensor_options)
        : cfg(config::parse_config(config::json::parse(
              R"({"board": {"kind": "sim", "i2c": [{"bus": 1, "devices": [
                   {"model": "mcp9808", "address": "0x18", "temperature": 21.5}]}]},
                  "sensors": [{"id": "desk", "type": "mcp9808", "bus": 1)" +
              sensor_options + "}]}"))),
          board(loop.io, cfg.board),
          bus(board.sim_i2c("1")),
          chip(std::dynamic_pointer_cast<hw::sim_mcp9808>(bus->device(0x18))) {
        loop.watch(worker);
        channel = std::make_shared<app::sensor_channel>(
            loop.time, host, cfg.sensors.at(0), app::make_sensor(board, cfg.sensors.at(0)), worker);
    }
    ~board_fixture() { channel->retire(); }

    component::virtual_loop loop;
    config::piogate_config cfg;
    app::board board;
    std::shared_ptr<hw::sim_i2c_bus> bus;
    std::shared_ptr<hw::sim_mcp9808> chip;
    recording_host host{loop, "p"};
    hw::i2c_worker worker{loop.io, "i2c-1"};
    std::shared_ptr<app::sensor_channel> channel;
};

bool has(const std::string& payload, const std::string& part) {
    return payload.find(part) != std::string::npos;
}

}  // namespace

TEST(sensor_channel_component, three_hours_of_deadband_and_heartbeat_in_virtual_time) {
    board_fixture f(R"(, "interval_s": 60, "deadband": 0.5, "heartbeat_s": 600)");
    ASSERT_TRUE(f.chip);
    const auto real_start = std::chrono::steady_clock::now();
    f.channel->start();
    f.loop.advance(3h);
    // A steady 21.5 °C: the first reading, then only the heartbeat, every 600 s exactly.
    ASSERT_EQ(f.host.readings.size(), 19u);
    for (std::size_t i = 0; i < f.host.readings.size(); ++i) {
        EXPECT_DOUBLE_EQ(f.host.readings[i].seconds(), 600.0 * static_cast<double>(i));
        EXPECT_EQ(f.host.readings[i].topic, "p/sensors/desk");
        EXPECT_TRUE(has(f.host.readings[i].payload, "\"temperature\":21.5"))
            << f.host.readings[i].payload;
    }
    // Under the deadband: not published; over it: at the next interval (every 60 s from 0).
    f.loop.advance(10s);
    f.chip->set_temperature(21.75);
    f.loop.advance(60s);
    EXPECT_EQ(f.host.readings.size(), 19u);
    f.chip->set_temperature(23.5);
    f.loop.advance(60s);
    ASSERT_EQ(f.host.readings.size(), 20u);
    EXPECT_DOUBLE_EQ(f.host.readings.back().seconds(), 3 * 3600 + 120);
    EXPECT_TRUE(has(f.host.readings.back().payload, "\"temperature\":23.5"))
        << f.host.readings.back().payload;
    EXPECT_TRUE(f.host.published.empty());
    const auto real = std::chrono::steady_clock::now() - real_start;
    EXPECT_LT(real, 30s) << "three virtual hours took "
                         << std::chrono::duration<double>(real).count() << " s of real time";
}

TEST(sensor_channel_component, a_chip_that_stops_answering_is_reported_once_and_recovers) {
    board_fixture f(R"(, "interval_s": 60)");
    f.channel->start();
    f.loop.advance(70s);
    ASSERT_EQ(f.host.readings.size(), 2u);  // at 0 and 60 s
    f.bus->set_fault(0x18, {.nack = true});
    f.loop.advance(230s);  // to 300 s: the 120 s measurement fails, then the retries
    EXPECT_EQ(f.host.readings.size(), 2u);
    ASSERT_EQ(f.host.published.size(), 1u);  // once per failure streak, however many retries
    EXPECT_DOUBLE_EQ(f.host.published[0].seconds(), 120);
    EXPECT_EQ(f.host.published[0].topic, "p/sensors/desk/error");
    EXPECT_FALSE(f.host.published[0].payload.empty());
    EXPECT_TRUE(f.channel->failing());
    f.bus->set_fault(0x18, {});
    f.loop.advance(60s);  // retries are at most an interval apart
    EXPECT_FALSE(f.channel->failing());
    ASSERT_EQ(f.host.published.size(), 2u);
    EXPECT_EQ(f.host.published[1].topic, "p/sensors/desk/error");
    EXPECT_EQ(f.host.published[1].payload, "");  // the retained error is cleared
    ASSERT_EQ(f.host.readings.size(), 3u);
    const double recovered = f.host.readings[2].seconds();
    EXPECT_GT(recovered, 300);
    EXPECT_LE(recovered, 360);
    EXPECT_DOUBLE_EQ(f.host.published[1].seconds(), recovered);
    f.loop.advance(1h);  // and then every interval again, from the recovery
    ASSERT_EQ(f.host.readings.size(), 63u);
    EXPECT_DOUBLE_EQ(f.host.readings[3].seconds(), recovered + 60);
    EXPECT_DOUBLE_EQ(f.host.readings.back().seconds(), recovered + 3600);
}

namespace {

// A DHT-like driver: every measurement answers "again in 2 s" twice, then a reading.
class dht_like final : public hw::sensor {
public:
    const std::string& type() const override { return type_; }
    util::result<void> open() override { return {}; }
    util::result<hw::reading> measure() override { return attempt(); }
    hw::measure_result attempt() override {
        if (++calls % 3 != 0) return hw::measure_result::again(2s, "dht: no answer yet");
        return hw::measure_result(hw::reading{{"temperature", 19.5, "°C"}});
    }
    std::atomic<int> calls{0};

private:
    std::string type_ = "dht22";
};

}  // namespace

TEST(sensor_channel_component, again_retries_keep_the_interval_over_an_hour) {
    component::virtual_loop loop;
    recording_host host(loop, "p");
    hw::i2c_worker worker(loop.io, "sysfs");
    loop.watch(worker);
    const auto cfg = config::parse_config(config::json::parse(
        R"({"sensors": [{"id": "porch", "type": "sht3x", "bus": 1, "interval_s": 60}]})"));
    auto driver = std::make_unique<dht_like>();
    auto* dht = driver.get();
    auto ch = std::make_shared<app::sensor_channel>(
        loop.time, host, cfg.sensors.at(0), app::sensor_driver{std::move(driver), nullptr, "sysfs"},
        worker);
    ch->start();
    loop.advance(1h);
    ch->retire();
    // Each interval: attempts at +0, +2, +4 s, the reading at +4 s; the next interval starts
    // 60 s after the last one began, not after the reading. The interval that begins at
    // 3600 s has had its first attempt only.
    ASSERT_EQ(host.readings.size(), 60u);
    for (std::size_t i = 0; i < host.readings.size(); ++i) {
        EXPECT_DOUBLE_EQ(host.readings[i].seconds(), 60.0 * static_cast<double>(i) + 4);
    }
    EXPECT_EQ(dht->calls.load(), 3 * 60 + 1);
    EXPECT_TRUE(host.published.empty());  // "again" within the interval is no error
    EXPECT_FALSE(ch->failing());
}

TEST(sensor_channel_component, every_filtered_reading_reaches_the_rules_even_under_the_deadband) {
    // on_reading (the local rules' feed) gets each reading after the filters and rounding and
    // before the deadband: a change the deadband keeps from MQTT still reaches the rules.
    board_fixture f(R"(, "interval_s": 60, "deadband": 5)");
    ASSERT_TRUE(f.chip);
    f.channel->start();
    f.loop.advance(1s);
    f.chip->set_temperature(23.5);
    f.loop.advance(60s);
    f.chip->set_temperature(19.0);
    f.loop.advance(60s);
    ASSERT_EQ(f.host.readings.size(), 1u);  // only the first: the rest is within 5 °C
    ASSERT_EQ(f.host.seen.size(), 3u);
    std::vector<double> temperatures;
    for (const auto& [id, values] : f.host.seen) {
        EXPECT_EQ(id, "desk");
        ASSERT_EQ(values.size(), 1u);
        EXPECT_EQ(values[0].name, "temperature");
        temperatures.push_back(values[0].value);
    }
    EXPECT_EQ(temperatures, (std::vector<double>{21.5, 23.5, 19.0}));
}
