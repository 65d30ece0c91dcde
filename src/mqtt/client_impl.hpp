// The state behind piogate::mqtt::client (client.cpp): the loop thread, the hand-over queue,
// mid translation, per-filter callbacks, and who may touch the async_client.
//
// Locks, all of them this client's own:
//  - `mutex`: options, `threaded`, the connect result, the filter table, blocking tasks;
//    `changed` is notified whenever one of them changes.
//  - the request queue's lock: requests handed to the loop thread (request_queue.hpp).
//  - `exec`: held by whoever runs the io_context or touches `async` (the loop thread for its
//    whole life; otherwise the caller of loop(), connect(), ..., for one call). `executor`
//    names that thread, so calls from its callbacks run at once instead of waiting.
// Nothing calls user code while holding `mutex` or the queue's lock.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <any>
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "mqtt/mid_map.hpp"
#include "mqtt/publish_limits.hpp"
#include "mqtt/request_queue.hpp"
#include "piogate/mqtt/client.hpp"

namespace piogate::mqtt {

struct client::impl {
    using filter_fn = std::shared_ptr<const message_callback>;
    using filter_list = std::vector<std::pair<std::string, filter_fn>>;

    impl(client& owner, client_options o, std::any u)
        : self(owner), options(std::move(o)), userdata(std::move(u)) {}

    client& self;

    // --- guarded by `mutex` ---
    mutable std::mutex mutex;
    std::condition_variable changed;
    client_options options;
    // loop_start() .. loop_stop(): requests go through `queue`. Written under `mutex` (waits
    // test it), read without it on the publish path.
    std::atomic<bool> threaded{false};
    std::thread thread;
    bool ever_connected = false;
    bool connect_done = false;
    std::error_code connect_ec;
    std::string connect_detail;
    std::shared_ptr<const filter_list> filters;
    std::atomic<std::uint64_t> filters_version{0};

    // --- any thread ---
    std::mutex exec;
    std::atomic<std::thread::id> executor{};
    std::atomic<bool> connected{false};
    request_queue queue;
    callback_slot<void(log_level, std::string_view)> logger;  // enable_logger()
    bool bounded = false;  // set with `queue`'s limit, read on the executor
    // The last CONNACK's publish_limits, packed: callers refuse what the session would.
    std::atomic<std::uint64_t> limits{0};

    // --- the executor only ---
    boost::asio::io_context io;
    std::unique_ptr<async_client> async;
    std::any userdata;  // handed to every callback
    mid_map mids;
    request_queue::batch batch;
    std::size_t batch_pos = 0;  // records of `batch` carried out so far
    bool draining = false;      // inside run_batch: requests from callbacks queue behind it
    bool disconnect_requested = false;
    unsigned publish_count = 0;
    std::shared_ptr<const filter_list> filters_cached;
    std::uint64_t filters_cached_version = 0;
    boost::asio::steady_timer stop_timer{io};

    bool on_executor() const {
        return executor.load(std::memory_order_acquire) == std::this_thread::get_id();
    }
    bool is_threaded() const { return threaded.load(std::memory_order_acquire); }
    // Becomes the executor for one direct call; false when a loop thread runs meanwhile (the
    // request then goes through the queue).
    bool acquire_exec();
    void release_exec();

    // Executor; a new async_client from `o`, its callbacks adapted to the Paho face's
    // (client_callbacks.cpp: the one place that maps the session's results to reason codes
    // and properties).
    void rebuild(const client_options& o);
    // Executor: carry out what was handed over, all of it (drain_all) or a slice of at most
    // `slice` records, then again from a new handler (drain), so that writes and reads run
    // between slices and a burst streams out instead of being encoded all before the first
    // write.
    void drain();
    void drain_all();
    bool busy() const { return draining || batch_pos < batch.records.size(); }
    void run_batch(std::size_t slice);
    static constexpr std::size_t slice = 256;
    void post_drain();
    void refresh();  // executor: mirrors for other threads
    void dispatch(const message& m);
    void log(log_level level, std::string_view text);  // on_log, then the logger
    void finish_and_stop(std::chrono::steady_clock::time_point deadline);
    std::error_code poll_ready(const char* what);  // client_external_loop.cpp
    void loop_thread_main();

    // Runs `f` as a request, in order after what was handed over: at once on the executor,
    // queued while the loop thread runs. `numbered`: f returns the session's mid and this
    // returns the client's (0 when the session refused it at once).
    int submit(std::function<int()> f, bool numbered);
    // A publish (`props` null or not empty), arguments already checked: carried out at once
    // on the executor, else handed over within the queue's bound (queue_full) after the
    // broker's limits are checked here (the session checks again when it carries it out, and
    // a refusal then reaches on_publish with its reason code).
    publish_result publish(std::string_view topic, std::string_view payload, int qos, bool retain,
                           const properties* props);
    // Runs `f` where async may be touched and waits for it: at once on the executor, on the
    // loop thread while it runs, else on the caller's thread. Exceptions reach the caller.
    void call(const std::function<void()>& f);
};

// Holds `exec` for one direct call (after impl::acquire_exec() returned true).
struct exec_hold {
    client::impl* i;
    ~exec_hold() { i->release_exec(); }
};

}  // namespace piogate::mqtt
