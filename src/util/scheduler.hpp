// The event loop's time, injected: what time it is (steady, monotonic time) and timers that
// call back at a given time. Production code gets an asio_scheduler (the real steady clock
// and boost::asio::steady_timer on the io_context); tests get a virtual_scheduler, whose time
// moves only when the test advances it, so hours of timers run in milliseconds, without
// sleeps (util/virtual_scheduler.hpp).
//
// Thread: the event loop's (the thread that runs the io_context, or that advances virtual
// time). Nothing here throws except std::bad_alloc. A scheduler must outlive its timers.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <chrono>
#include <functional>
#include <memory>

namespace piogate::util {

using steady_time = std::chrono::steady_clock::time_point;

// One pending wait at a time, like boost::asio::steady_timer. Arming it again, cancel() and
// destruction drop the pending handler without calling it.
class timer {
public:
    using handler = std::function<void()>;
    virtual ~timer() = default;
    // `h` runs once, on the event loop, when `when` has come (as soon as possible if it has).
    virtual void wait_until(steady_time when, handler h) = 0;
    // The same, `delay` from now (now() of the timer's scheduler).
    virtual void wait_for(std::chrono::steady_clock::duration delay, handler h) = 0;
    virtual void cancel() = 0;
};

class scheduler {
public:
    virtual ~scheduler() = default;
    virtual steady_time now() const = 0;
    // One allocation per timer, when it is made; none per wait beyond the handler's own.
    virtual std::unique_ptr<timer> make_timer() = 0;
};

}  // namespace piogate::util
