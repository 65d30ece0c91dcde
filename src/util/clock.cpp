#include "util/clock.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <thread>

namespace piogate::util {
namespace {

class steady final : public clock {
public:
    steady_time now() const override { return std::chrono::steady_clock::now(); }
    void sleep_until(steady_time t) const override { std::this_thread::sleep_until(t); }
};

}  // namespace

const clock& real_clock() {
    static const steady c;
    return c;
}

void manual_clock::sleep_until(steady_time t) const {
    // Forward only, and never back past a time another thread moved it to meanwhile.
    auto current = ticks_.load();
    const auto target = t.time_since_epoch().count();
    while (current < target && !ticks_.compare_exchange_weak(current, target)) {
    }
}

}  // namespace piogate::util
