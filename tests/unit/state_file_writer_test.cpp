// The state-file writer: the write (fsync) runs on its worker, never on the loop thread, and
// the loop keeps serving while a write is stuck; only the newest waiting content of a file is
// written, in order; destruction writes what still waits (SIGTERM: the last state reaches the
// disk); failures are reported once per streak; a real counter file round trip.
#include "app/state_file_writer.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <filesystem>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "app/counter_store.hpp"

using namespace std::chrono_literals;

namespace piogate::app {
namespace {

// What the write functions saw, from the worker thread.
struct journal {
    std::mutex m;
    std::vector<std::string> written;
    std::vector<std::thread::id> threads;
    void add(const std::string& text) {
        std::lock_guard lock(m);
        written.push_back(text);
        threads.push_back(std::this_thread::get_id());
    }
    std::vector<std::string> texts() {
        std::lock_guard lock(m);
        return written;
    }
};

// A write that records `text` after `gate` opens (and tells `entered` that it is waiting).
state_file_writer::write_fn recording(journal& j, std::string text,
                                      std::shared_future<void> gate = {},
                                      std::shared_ptr<std::promise<void>> entered = nullptr) {
    return [&j, text, gate, entered](const std::string& written) -> util::result<void> {
        EXPECT_EQ(written, text);  // the content saved, handed over as it is
        if (entered) entered->set_value();
        if (gate.valid() && gate.wait_for(5s) != std::future_status::ready) return {};  // bounded
        j.add(text);
        return {};
    };
}

void run_until_idle(boost::asio::io_context& io, const state_file_writer& w) {
    for (int i = 0; i < 500 && w.pending() > 0; ++i) {
        io.restart();
        io.run_for(10ms);
    }
}

TEST(StateFileWriter, WritesRunOnTheWorkerWhileTheLoopKeepsServing) {
    boost::asio::io_context io;
    state_file_writer w(io);
    journal j;
    std::promise<void> open;
    w.save("/state/a.json", "A", recording(j, "A", open.get_future().share()), nullptr);
    EXPECT_EQ(w.unwritten("/state/a.json"), "A");

    // A 10 ms timer (the MQTT keepalive, commands) keeps its pace while the write is stuck.
    int ticks = 0;
    boost::asio::steady_timer timer(io);
    std::function<void()> arm = [&] {
        timer.expires_after(10ms);
        timer.async_wait([&](const boost::system::error_code& ec) {
            if (!ec && ++ticks < 20) arm();
        });
    };
    arm();
    for (int i = 0; i < 100 && ticks < 20; ++i) io.run_one_for(100ms);
    EXPECT_EQ(ticks, 20);  // served while the write waited (a write on the loop would stop it)
    EXPECT_TRUE(j.texts().empty());
    EXPECT_EQ(w.pending(), 1u);

    open.set_value();
    run_until_idle(io, w);
    ASSERT_EQ(j.texts(), std::vector<std::string>{"A"});
    EXPECT_NE(j.threads[0], std::this_thread::get_id());  // not the loop's thread
    EXPECT_EQ(w.unwritten("/state/a.json"), std::nullopt);
}

TEST(StateFileWriter, OnlyTheNewestWaitingContentIsWrittenInOrder) {
    boost::asio::io_context io;
    state_file_writer w(io);
    journal j;
    std::promise<void> open;
    auto entered = std::make_shared<std::promise<void>>();
    auto in_write = entered->get_future();
    w.save("/state/a.json", "A1", recording(j, "A1", open.get_future().share(), entered), nullptr);
    w.save("/state/b.json", "B1", recording(j, "B1"), nullptr);   // another file: its own
    ASSERT_EQ(in_write.wait_for(5s), std::future_status::ready);  // A1 is being written
    for (const char* t : {"A2", "A3", "A4"}) w.save("/state/a.json", t, recording(j, t), nullptr);
    EXPECT_EQ(w.unwritten("/state/a.json"), "A4");
    open.set_value();
    run_until_idle(io, w);
    EXPECT_EQ(j.texts(), (std::vector<std::string>{"A1", "B1", "A4"}));
    EXPECT_EQ(w.unwritten("/state/a.json"), std::nullopt);
    EXPECT_EQ(w.unwritten("/state/b.json"), std::nullopt);
}

TEST(StateFileWriter, DestructionWritesWhatStillWaits) {
    boost::asio::io_context io;
    journal j;
    std::promise<void> open;
    std::thread release;
    {
        state_file_writer w(io);
        auto entered = std::make_shared<std::promise<void>>();
        auto in_write = entered->get_future();
        w.save("/state/a.json", "A1", recording(j, "A1", open.get_future().share(), entered),
               nullptr);
        ASSERT_EQ(in_write.wait_for(5s), std::future_status::ready);
        w.save("/state/a.json", "A2", recording(j, "A2"), nullptr);
        // A1 is still being written when the writer is destroyed; the loop is not run again
        // (as after SIGTERM's io.stop()).
        release = std::thread([&] {
            std::this_thread::sleep_for(100ms);
            open.set_value();
        });
    }
    release.join();
    EXPECT_EQ(j.texts(), (std::vector<std::string>{"A1", "A2"}));
}

TEST(StateFileWriter, FailuresAreReportedWithTheStreak) {
    boost::asio::io_context io;
    state_file_writer w(io);
    std::vector<std::pair<bool, bool>> reports;  // ok, was_failing
    auto report = [&](const util::result<void>& r, bool was) { reports.emplace_back(!!r, was); };
    auto fail = [](const std::string&) -> util::result<void> {
        return util::error{std::make_error_code(std::errc::io_error), "/state/a.json.tmp: EIO"};
    };
    auto ok = [](const std::string&) -> util::result<void> { return {}; };
    w.save("/state/a.json", "1", fail, report);
    run_until_idle(io, w);
    EXPECT_TRUE(w.failing("/state/a.json"));
    w.save("/state/a.json", "2", fail, report);
    run_until_idle(io, w);
    w.save("/state/a.json", "3", ok, report);
    run_until_idle(io, w);
    EXPECT_FALSE(w.failing("/state/a.json"));
    EXPECT_EQ(reports,
              (std::vector<std::pair<bool, bool>>{{false, false}, {false, true}, {true, true}}));
}

// A write that failed leaves its content unwritten: a channel a reload makes restores it, not
// the older file on disk (a counter total would go back to the last good save, or to 0).
TEST(StateFileWriter, ContentWhoseWriteFailedStaysUnwrittenUntilAWriteWorks) {
    boost::asio::io_context io;
    state_file_writer w(io);
    auto fail = [](const std::string&) -> util::result<void> {
        return util::error{std::make_error_code(std::errc::read_only_file_system), "EROFS"};
    };
    auto ok = [](const std::string&) -> util::result<void> { return {}; };
    auto quiet = [](const util::result<void>&, bool) {};
    w.save("/state/a.json", "total 7", fail, quiet);
    run_until_idle(io, w);
    EXPECT_EQ(w.unwritten("/state/a.json"), "total 7");
    w.save("/state/a.json", "total 8", fail, quiet);
    run_until_idle(io, w);
    EXPECT_EQ(w.unwritten("/state/a.json"), "total 8");
    w.save("/state/a.json", "total 9", ok, quiet);
    run_until_idle(io, w);
    EXPECT_EQ(w.unwritten("/state/a.json"), std::nullopt);
}

TEST(StateFileWriter, RealCounterFile) {
    char tmpl[] = "/tmp/piogate-writer-XXXXXX";
    const std::string dir = ::mkdtemp(tmpl);
    const std::string path = dir + "/counter-power.json";
    boost::asio::io_context io;
    {
        state_file_writer w(io);
        for (std::uint64_t n = 1; n <= 5; ++n)
            w.save(
                path, encode_counter_state("power", n),
                [path](const std::string& text) { return write_counter_text(path, "power", text); },
                nullptr);
        EXPECT_EQ(w.unwritten(path), encode_counter_state("power", 5));
    }  // destroyed without running the loop: the newest count is on disk
    auto f = read_counter_file(path, "power");
    EXPECT_EQ(f.kind, counter_file::kind_t::own);
    EXPECT_EQ(f.count, 5u);
    EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
    std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace piogate::app
