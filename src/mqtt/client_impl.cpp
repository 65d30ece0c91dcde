// The machinery behind piogate::mqtt::client (client_impl.hpp): who may touch the
// async_client, the hand-over to the loop thread, callbacks and the loop thread itself.
#include "mqtt/client_impl.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <exception>

namespace piogate::mqtt {
namespace asio = boost::asio;
using namespace std::chrono_literals;

// ---------------------------------------------------------------- impl: who runs what

bool client::impl::acquire_exec() {
    // try_lock and a short wait rather than a timed mutex: ThreadSanitizer does not see
    // pthread_mutex_clocklock, and the wait only happens while another thread runs the loop.
    while (!exec.try_lock()) {
        if (is_threaded()) return false;
        std::unique_lock lock(mutex);
        changed.wait_for(lock, 1ms);
    }
    executor.store(std::this_thread::get_id(), std::memory_order_release);
    return true;
}

void client::impl::release_exec() {
    executor.store({}, std::memory_order_release);
    exec.unlock();
}

void client::impl::post_drain() {
    asio::post(io, [this] { drain(); });
}

void client::impl::drain() {
    if (draining) return;
    if (batch_pos >= batch.records.size()) {
        queue.take(batch);
        batch_pos = 0;
    }
    run_batch(slice);
    if (batch_pos < batch.records.size()) post_drain();
}

// Finishes the batch begun, then takes what is queued now, once: publishers that keep
// publishing cannot hold a blocking call here.
void client::impl::drain_all() {
    if (draining) return;
    run_batch(batch.records.size());
    queue.take(batch);
    batch_pos = 0;
    run_batch(batch.records.size());
}

void client::impl::run_batch(std::size_t limit) {
    if (batch_pos >= batch.records.size()) return;
    draining = true;
    const std::size_t end = std::min(batch.records.size(), batch_pos + limit);
    std::size_t publishes = 0;
    for (; batch_pos < end; ++batch_pos) {
        const auto& r = batch.records[batch_pos];
        try {
            if (r.is_call) {
                const int s = batch.calls[r.payload_off]();
                if (r.mid != 0 && s > 0) mids.record(s, r.mid);
                continue;
            }
            ++publishes;
            const properties* props = batch.properties_of(r);
            const publish_result res =
                props ? async->publish(batch.topic(r), batch.payload(r), r.qos, r.retain, *props)
                      : async->publish(batch.topic(r), batch.payload(r), r.qos, r.retain);
            if (res) {
                mids.record(res.mid, r.mid);
            } else {
                // Refused when carried out (the session logged why; a CONNACK since the call
                // changed the limits, or its own queue bound): the caller hears it for its mid.
                self.on_publish(
                    self, userdata, r.mid,
                    refusal_reason(publish_limits::unpack(limits.load()), r.qos, r.retain, res.rc),
                    {});
            }
        } catch (const std::exception& e) {
            log(log_level::error, std::string("request failed on the loop thread: ") + e.what());
        }
    }
    draining = false;
    queue.accounted(publishes, async->queued_messages());
    if (batch_pos >= batch.records.size()) {
        if (batch.bytes.capacity() > 4 * 1024 * 1024) batch = {};  // give a burst's memory back
        batch.clear();
        batch_pos = 0;
    }
    refresh();
}

void client::impl::refresh() {
    connected.store(async && async->is_connected());
}

publish_result client::impl::publish(std::string_view topic, std::string_view payload, int qos,
                                     bool retain, const properties* props) {
    for (;;) {
        if (on_executor() && busy()) break;  // a callback inside a batch: queue behind it
        if (on_executor()) {
            const int mid = queue.take(batch, true);
            batch_pos = 0;
            run_batch(batch.records.size());
            const publish_result r = props ? async->publish(topic, payload, qos, retain, *props)
                                           : async->publish(topic, payload, qos, retain);
            if (!r) {
                queue.unreserve(mid);
                return r;
            }
            mids.record(r.mid, mid);
            if (bounded) queue.session_queued(async->queued_messages());
            return {mid, {}};
        }
        if (is_threaded()) break;
        if (!acquire_exec()) break;
        exec_hold hold{this};
        return publish(topic, payload, qos, retain, props);
    }
    // Handed to the loop thread: what the broker's CONNACK refuses is refused now, as the
    // session would at once.
    // Acquire: the limits stored before `connected` became true are the ones read here.
    if (connected.load(std::memory_order_acquire)) {
        const auto l = publish_limits::unpack(limits.load(std::memory_order_relaxed));
        // Not logged here: on_log would run on the caller's thread; the caller has rc.
        if (const auto ec = check_publish(l, topic, payload.size(), qos, retain, props)) {
            return {0, ec};
        }
    }
    const auto p = queue.push_publish(topic, payload, qos, retain, props);
    if (p.full) return {0, make_error_code(errc::queue_full)};
    if (p.wake) post_drain();
    return {p.mid, {}};
}

int client::impl::submit(std::function<int()> f, bool numbered) {
    for (;;) {
        if (on_executor() && busy()) break;  // a callback inside a batch: queue behind it
        if (on_executor()) {
            const int mid = queue.take(batch, numbered);
            batch_pos = 0;
            run_batch(batch.records.size());
            const int s = f();
            refresh();
            if (!numbered) return 0;
            if (s <= 0) {
                queue.unreserve(mid);
                return 0;
            }
            mids.record(s, mid);
            return mid;
        }
        if (is_threaded()) break;
        if (!acquire_exec()) break;
        exec_hold hold{this};
        return submit(std::move(f), numbered);
    }
    const auto p = queue.push_call(std::move(f), numbered);
    if (p.wake) post_drain();
    return p.mid;
}

void client::impl::call(const std::function<void()>& f) {
    struct task {
        bool claimed = false;
        bool done = false;
        std::exception_ptr error;
    };
    for (;;) {
        if (on_executor()) {
            drain_all();
            f();
            refresh();
            return;
        }
        if (!is_threaded()) {
            if (!acquire_exec()) continue;
            exec_hold hold{this};
            drain_all();
            f();
            refresh();
            return;
        }
        auto t = std::make_shared<task>();
        asio::post(io, [this, t, &f] {
            {
                std::lock_guard lock(mutex);
                if (t->claimed) return;  // the caller gave up waiting and ran it itself
                t->claimed = true;
            }
            drain_all();
            try {
                f();
            } catch (...) {
                t->error = std::current_exception();
            }
            refresh();
            {
                std::lock_guard lock(mutex);
                t->done = true;
            }
            changed.notify_all();
        });
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return t->done || !threaded; });
        if (!t->done && !t->claimed) {
            t->claimed = true;  // the loop thread is stopping: run it here (next round)
            continue;
        }
        changed.wait(lock, [&] { return t->done; });
        if (t->error) std::rethrow_exception(t->error);
        return;
    }
}

// ---------------------------------------------------------------- impl: the loop thread

void client::impl::loop_thread_main() {
    exec.lock();
    executor.store(std::this_thread::get_id(), std::memory_order_release);
    io.restart();
    async->set_auto_reconnect(true);
    {
        auto guard = asio::make_work_guard(io);
        drain();
        io.run();  // until finish_and_stop() or a loop_stop() from a callback
    }
    stop_timer.cancel();
    executor.store({}, std::memory_order_release);
    exec.unlock();
    changed.notify_all();
}

void client::impl::finish_and_stop(std::chrono::steady_clock::time_point deadline) {
    drain_all();
    const bool closing = disconnect_requested && async->state() != connection_state::disconnected;
    if (!closing || std::chrono::steady_clock::now() >= deadline) {
        io.stop();
        return;
    }
    stop_timer.expires_after(5ms);
    stop_timer.async_wait(
        [this, deadline](const boost::system::error_code&) { finish_and_stop(deadline); });
}

}  // namespace piogate::mqtt
