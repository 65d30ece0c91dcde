// A stalled bus never delays the event loop: timers keep firing while a job is stuck.
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include <boost/asio/steady_timer.hpp>
#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include "hw/i2c_worker.hpp"
#include "hw/sim/sim_i2c_bus.hpp"

using namespace std::chrono_literals;
namespace hw = piogate::hw;

namespace {
class echo_device final : public hw::sim_i2c_device {
public:
    bool on_write(std::span<const std::uint8_t>) override { return true; }
    bool on_read(std::span<std::uint8_t> out) override {
        for (auto& b : out) b = 0x5A;
        return true;
    }
};
}  // namespace

TEST(i2c_worker, a_stalled_device_does_not_block_the_loop) {
    boost::asio::io_context io;
    hw::sim_i2c_bus bus("sim-i2c-0");
    bus.attach(0x40, std::make_shared<echo_device>());
    bus.set_fault(0x40, {.nack = false, .corrupt = false, .stall = 1500ms});
    hw::i2c_worker worker(io, bus.name());

    std::optional<piogate::util::result<void>> outcome;
    worker.submit([&] { std::uint8_t b[2]; return bus.read(0x40, b); },
                  [&](piogate::util::result<void> r) { outcome = std::move(r); });
    EXPECT_EQ(worker.pending(), 1u);

    // A 10 ms "keepalive" timer must keep its pace while the bus is stuck.
    int ticks = 0;
    auto start = std::chrono::steady_clock::now();
    std::chrono::steady_clock::duration worst{};
    boost::asio::steady_timer timer(io);
    std::function<void()> arm = [&] {
        auto due = std::chrono::steady_clock::now() + 10ms;
        timer.expires_at(due);
        timer.async_wait([&, due](const boost::system::error_code&) {
            worst = std::max(worst, std::chrono::steady_clock::now() - due);
            if (++ticks < 100 && !outcome) arm();
        });
    };
    arm();
    io.run_for(3s);
    ASSERT_TRUE(outcome.has_value());
    EXPECT_FALSE(outcome->ok());
    EXPECT_EQ(outcome->err().code, hw::hw_errc::timeout);
    EXPECT_NE(outcome->err().message.find("sim-i2c-0 0x40"), std::string::npos) << outcome->err().message;
    EXPECT_GE(ticks, 50);         // the loop ran all along (1.5 s / 10 ms = ~150 ticks possible)
    EXPECT_LT(worst, 200ms);      // and no tick was held up by the stalled bus
    EXPECT_GE(std::chrono::steady_clock::now() - start, 1400ms);
    EXPECT_EQ(worker.pending(), 0u);
}

TEST(i2c_worker, completions_run_on_the_loop_thread_in_order) {
    boost::asio::io_context io;
    hw::i2c_worker worker(io, "w");
    std::vector<int> order;
    const auto loop_thread = std::this_thread::get_id();
    for (int i = 0; i < 5; ++i) {
        worker.submit([i] { return i; }, [&, loop_thread](int v) {
            EXPECT_EQ(std::this_thread::get_id(), loop_thread);
            order.push_back(v);
        });
    }
    io.run_for(1s);
    EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4}));
}

// Destruction: the default drops the jobs still queued behind the running one; finish_queued
// (the state-file writer's) runs them all first, without the loop running again.
TEST(i2c_worker, destruction_drops_or_finishes_the_queue) {
    for (auto mode : {hw::i2c_worker::at_destruction::drop_queued,
                      hw::i2c_worker::at_destruction::finish_queued}) {
        boost::asio::io_context io;
        std::atomic<int> ran{0};
        std::atomic<bool> completed{false};
        std::promise<void> started;
        {
            hw::i2c_worker worker(io, "w", mode);
            worker.submit(
                [&] {
                    started.set_value();
                    std::this_thread::sleep_for(100ms);  // still running at destruction
                    return ++ran;
                },
                [&](int) { completed = true; });
            for (int i = 0; i < 3; ++i)
                worker.submit([&] { return ++ran; }, [&](int) { completed = true; });
            ASSERT_EQ(started.get_future().wait_for(5s), std::future_status::ready);
        }
        const bool finish = mode == hw::i2c_worker::at_destruction::finish_queued;
        EXPECT_EQ(ran.load(), finish ? 4 : 1);
        io.run_for(50ms);
        EXPECT_FALSE(completed.load());  // no completion after destruction, in either mode
    }
}
