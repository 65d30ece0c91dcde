// The callback members of the Paho-style client (client.hpp): a std::function that may be
// assigned from any thread while the client's loop thread calls it.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <type_traits>
#include <utility>

namespace piogate::mqtt {

// A callback of the Paho-style client, assigned like a std::function member
// (`c.on_message = [](const message& m) {...};`, `c.on_log = nullptr;`) from any thread at any
// time. Assignment takes the slot's lock and applies from the next call; the loop thread takes
// a reference-counted copy when the callback changed and calls it outside every lock, so a
// callback may replace itself or any other (as mosquitto's lib/callbacks.c copies, then calls).
template <class Signature>
class callback_slot;

template <class... Args>
class callback_slot<void(Args...)> {
public:
    using function = std::function<void(Args...)>;

    callback_slot() = default;
    callback_slot(const callback_slot&) = delete;
    callback_slot& operator=(const callback_slot&) = delete;

    template <class F>
        requires std::is_constructible_v<function, F&&>
    callback_slot& operator=(F&& f) {
        function fn(std::forward<F>(f));
        auto next = fn ? std::make_shared<const function>(std::move(fn)) : nullptr;
        std::lock_guard lock(mutex_);
        current_.swap(next);  // the old one is released after the lock, by `next`
        version_.fetch_add(1, std::memory_order_release);
        return *this;
    }
    explicit operator bool() const {
        std::lock_guard lock(mutex_);
        return current_ != nullptr;
    }
    function get() const {
        std::lock_guard lock(mutex_);
        return current_ ? *current_ : function{};
    }
    // Calls the current callback. Thread: the one running the client's loop.
    void operator()(Args... args) const {
        if (version_.load(std::memory_order_acquire) != cached_version_) {
            std::lock_guard lock(mutex_);
            cached_ = current_;
            cached_version_ = version_.load(std::memory_order_relaxed);
        }
        if (!cached_) return;
        const auto keep = cached_;  // alive even if the callback replaces itself
        (*keep)(args...);
    }

private:
    mutable std::mutex mutex_;
    std::shared_ptr<const function> current_;
    std::atomic<std::uint64_t> version_{0};
    mutable std::shared_ptr<const function> cached_;  // the loop thread's copy
    mutable std::uint64_t cached_version_ = 0;
};

}  // namespace piogate::mqtt
