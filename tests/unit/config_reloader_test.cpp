// The reload's read-and-validate step runs off the event loop: the loop keeps running handlers
// while it works, and the result is handed back on the loop thread.
#include "app/config_reloader.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <future>
#include <stdexcept>
#include <thread>

namespace piogate::app {
namespace {

using namespace std::chrono_literals;

TEST(config_reloader, the_load_runs_off_the_loop_and_the_result_comes_back_on_it) {
    boost::asio::io_context io;
    std::promise<void> release;
    auto released = release.get_future().share();
    std::atomic<bool> load_saw_release{false};
    std::thread::id load_thread;
    config_reloader reloader(io, [&] {
        load_thread = std::this_thread::get_id();
        // Blocks like a slow validation. On the loop thread nothing could release it (the
        // timer below would never fire): it would give up after 5 s, unreleased.
        load_saw_release = released.wait_for(5s) == std::future_status::ready;
        config::piogate_config c;
        c.mqtt.topic_prefix = "reloaded";
        return c;
    });
    std::optional<loaded_config> result;
    std::thread::id done_thread;
    reloader.start([&](loaded_config l) {
        done_thread = std::this_thread::get_id();
        result = std::move(l);
    });
    EXPECT_TRUE(reloader.busy());
    boost::asio::steady_timer tick(io);
    bool ticked = false;
    tick.expires_after(10ms);
    tick.async_wait([&](const boost::system::error_code&) {
        ticked = true;  // the loop runs while the load blocks
        release.set_value();
    });
    io.run_for(10s);
    EXPECT_TRUE(ticked);
    EXPECT_TRUE(load_saw_release) << "the load blocked the loop";
    ASSERT_TRUE(result);
    ASSERT_TRUE(result->config);
    EXPECT_EQ(result->config->mqtt.topic_prefix, "reloaded");
    EXPECT_NE(load_thread, std::this_thread::get_id());
    EXPECT_EQ(done_thread, std::this_thread::get_id());
    EXPECT_FALSE(reloader.busy());
}

TEST(config_reloader, an_invalid_file_comes_back_as_its_error) {
    boost::asio::io_context io;
    config_reloader reloader(io, []() -> config::piogate_config {
        throw std::runtime_error("/etc/piogate/piogate.json: /mqtt/tls/ca_file: no certificate");
    });
    std::optional<loaded_config> result;
    reloader.start([&](loaded_config l) { result = std::move(l); });
    io.run_for(10s);
    ASSERT_TRUE(result);
    EXPECT_FALSE(result->config);
    EXPECT_EQ(result->error, "/etc/piogate/piogate.json: /mqtt/tls/ca_file: no certificate");
}

}  // namespace
}  // namespace piogate::app
