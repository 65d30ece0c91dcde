// sensor_channel with a scripted driver: a driver that answers "again" is asked again after
// the delay it names, within the interval, and nothing is published for it unless the retries
// run out before the next interval. On virtual time (tests/component/virtual_loop.hpp): the
// counts are exact and nothing sleeps.
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include <boost/asio/io_context.hpp>
#include <deque>

#include "app/sensor_channel.hpp"
#include "app/sensor_kinds/registry.hpp"
#include "component/virtual_loop.hpp"
#include "config/config.hpp"

using namespace piogate;
using namespace std::chrono_literals;

namespace {

struct recording_host final : app::channel_host {
    std::string prefix_ = "p";
    std::vector<std::pair<std::string, std::string>> published;  // state/error messages
    std::vector<app::buffered_message> readings;
    const std::string& prefix() const override { return prefix_; }
    void publish(const std::string& topic, const std::string& payload, int, bool) override {
        published.emplace_back(topic, payload);
    }
    void publish_reading(app::buffered_message m) override { readings.push_back(std::move(m)); }
    void health_changed() override {}
};

// Answers from a script (front first); the last answer repeats.
class scripted_sensor final : public hw::sensor {
public:
    explicit scripted_sensor(std::deque<hw::measure_result> script) : script_(std::move(script)) {}
    const std::string& type() const override { return type_; }
    util::result<void> open() override { return {}; }
    util::result<hw::reading> measure() override { return attempt(); }
    hw::measure_result attempt() override {
        ++calls;
        hw::measure_result r = script_.front();
        if (script_.size() > 1) script_.pop_front();
        return r;
    }
    std::atomic<int> calls{0};

private:
    std::deque<hw::measure_result> script_;
    std::string type_ = "scripted";
};

config::sensor_config sensor_entry(double interval_s) {
    const auto cfg = config::parse_config(config::json::parse(
        R"({"sensors": [{"id": "s", "type": "sht3x", "bus": 1, "interval_s": )" +
        std::to_string(interval_s) + "}]}"));
    return cfg.sensors.at(0);
}

hw::reading warm() {
    return {{"temperature", 21.5, "°C"}, {"humidity", 40, "%RH"}};
}

}  // namespace

TEST(sensor_channel, again_is_retried_within_the_interval_without_an_error) {
    component::virtual_loop loop;
    recording_host host;
    hw::i2c_worker worker(loop.io, "w");
    loop.watch(worker);
    auto driver = std::make_unique<scripted_sensor>(std::deque<hw::measure_result>{
        hw::measure_result::again(20ms, "s: not ready"),
        hw::measure_result::again(20ms, "s: not ready"), hw::measure_result(warm())});
    auto* sensor = driver.get();
    auto ch = std::make_shared<app::sensor_channel>(
        loop.time, host, sensor_entry(5), app::sensor_driver{std::move(driver), nullptr, "w"},
        worker);
    ch->start();
    loop.advance(400ms);  // the interval is 5 s: this is all within the first one
    ch->retire();
    EXPECT_EQ(sensor->calls.load(), 3);
    ASSERT_EQ(host.readings.size(), 1u);
    EXPECT_EQ(host.readings[0].topic, "p/sensors/s");
    EXPECT_NE(host.readings[0].payload.find("\"temperature\":21.5"), std::string::npos);
    EXPECT_TRUE(host.published.empty())
        << host.published[0].first << " " << host.published[0].second;
    EXPECT_FALSE(ch->failing());
}

TEST(sensor_channel, a_conversion_longer_than_the_interval_is_waited_for_without_an_error) {
    component::virtual_loop loop;
    recording_host host;
    hw::i2c_worker worker(loop.io, "w");
    loop.watch(worker);
    // Interval 0.1 s, a BH1750-like conversion of 180 ms: started at 0, read at 180 ms (the
    // cycle stretches), the next started at once and read at 360 ms.
    auto driver = std::make_unique<scripted_sensor>(std::deque<hw::measure_result>{
        hw::measure_result::converting(180ms, "s: conversion running"), hw::measure_result(warm()),
        hw::measure_result::converting(180ms, "s: conversion running"), hw::measure_result(warm()),
        hw::measure_result::converting(180ms, "s: conversion running")});
    auto* sensor = driver.get();
    auto ch = std::make_shared<app::sensor_channel>(
        loop.time, host, sensor_entry(0.1), app::sensor_driver{std::move(driver), nullptr, "w"},
        worker);
    ch->start();
    loop.advance(170ms);
    EXPECT_EQ(sensor->calls.load(), 1);
    loop.advance(200ms);  // 370 ms
    ch->retire();
    EXPECT_TRUE(host.published.empty())
        << host.published[0].first << " " << host.published[0].second;
    EXPECT_FALSE(ch->failing());
    EXPECT_EQ(host.readings.size(), 2u);  // at 180 and 360 ms
    EXPECT_EQ(sensor->calls.load(), 5);   // 0, 180 (+ the next started), 360 (+ the next)
}

TEST(sensor_channel, again_past_the_next_interval_reports_its_reason) {
    component::virtual_loop loop;
    recording_host host;
    hw::i2c_worker worker(loop.io, "w");
    loop.watch(worker);
    // Interval 0.3 s; every answer asks for 120 ms more: attempts at 0, 120, 240 ms; the third
    // answer's retry would fall past 300 ms, so its reason is reported then (once), and the
    // next interval starts at 300 ms.
    auto driver = std::make_unique<scripted_sensor>(
        std::deque<hw::measure_result>{hw::measure_result::again(120ms, "s: dht busy")});
    auto* sensor = driver.get();
    auto ch = std::make_shared<app::sensor_channel>(
        loop.time, host, sensor_entry(0.3), app::sensor_driver{std::move(driver), nullptr, "w"},
        worker);
    ch->start();
    loop.advance(200ms);
    EXPECT_TRUE(host.published.empty());  // still retrying within the first interval
    EXPECT_FALSE(ch->failing());
    loop.advance(150ms);
    ch->retire();
    EXPECT_TRUE(ch->failing());
    ASSERT_FALSE(host.published.empty());
    EXPECT_EQ(host.published[0],
              std::make_pair(std::string("p/sensors/s/error"), std::string("s: dht busy")));
    EXPECT_TRUE(host.readings.empty());
    EXPECT_EQ(sensor->calls.load(), 4);  // 0, 120, 240 ms; the next interval's at 300 ms
}
