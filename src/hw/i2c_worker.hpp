// Runs blocking bus work (I2C ioctls, conversion waits) on a thread of its own and hands the
// results back to the event loop, so a slow or stuck bus never delays the loop (MQTT
// keepalive, commands). Use one worker per bus: a stalled bus then holds up only its own jobs.
//
// Thread: submit() and pending() from the loop thread; jobs run on the worker thread, in
// order; completions run on the loop thread. The destructor waits for the running job
// (bounded by that job's own timeouts) and drops the queued ones without calling them, or,
// made with at_destruction::finish_queued, runs every queued job first (for writes that must
// reach the disk before the daemon exits). Completions are never called after destruction.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <functional>
#include <memory>
#include <string>
#include <thread>

namespace piogate::hw {

class i2c_worker {
public:
    enum class at_destruction { drop_queued, finish_queued };
    i2c_worker(boost::asio::io_context& loop, std::string name,
               at_destruction mode = at_destruction::drop_queued);
    ~i2c_worker();
    i2c_worker(const i2c_worker&) = delete;
    i2c_worker& operator=(const i2c_worker&) = delete;

    const std::string& name() const { return name_; }
    std::size_t pending() const { return pending_.load(); }  // queued + running jobs

    // Runs `job()` on the worker, then `done(result)` on the loop thread.
    template <class Job, class Done>
    void submit(Job job, Done done) {
        ++pending_;
        auto alive = alive_;
        // The guard keeps the loop's run() alive until the completion has run.
        auto busy = boost::asio::make_work_guard(loop_);
        boost::asio::post(
            work_, [this, alive, busy, job = std::move(job), done = std::move(done)]() mutable {
                auto result = job();
                boost::asio::post(loop_, [this, alive, busy, result = std::move(result),
                                          done = std::move(done)]() mutable {
                    if (!*alive) return;
                    --pending_;
                    done(std::move(result));
                });
            });
    }

private:
    boost::asio::io_context& loop_;
    std::string name_;
    at_destruction mode_;
    boost::asio::io_context work_;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_;
    std::shared_ptr<std::atomic<bool>> alive_ = std::make_shared<std::atomic<bool>>(true);
    std::atomic<std::size_t> pending_{0};
    std::thread thread_;
};

}  // namespace piogate::hw
