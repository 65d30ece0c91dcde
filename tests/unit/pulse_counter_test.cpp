// The pulse counter core on virtual time: debounce, total with a multiplier, the windowed rate
// (per hour and per minute, before and after a full window, decay when pulses stop), and
// that memory does not grow with the pulse rate.
#include "app/pulse_counter.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

namespace piogate::app {
namespace {

using namespace std::chrono_literals;
using std::chrono::nanoseconds;

pulse_counter_settings s0_meter() {
    pulse_counter_settings s;
    s.multiplier = 0.001;  // 1000 impulses per kWh
    s.min_interval = 30ms;
    s.window = 60s;
    s.rate_per = 1h;
    return s;
}

TEST(PulseCounter, DebounceTable) {
    struct row {
        const char* what;
        std::vector<nanoseconds> edges;
        std::uint64_t counted;
    };
    const std::vector<row> rows{
        {"clean pulses", {0ms, 100ms, 200ms, 300ms}, 4},
        {"bounce within 30 ms is one pulse", {0ms, 1ms, 5ms, 29ms, 100ms, 101ms}, 2},
        {"exactly the interval counts", {0ms, 30ms, 60ms}, 3},
        {"bounce measured from the last counted edge", {0ms, 20ms, 40ms, 50ms}, 2},
    };
    for (const auto& r : rows) {
        pulse_counter c(s0_meter(), 0, 0ns);
        for (auto t : r.edges) c.edge(t + 1s);
        EXPECT_EQ(c.count(), r.counted) << r.what;
    }
}

TEST(PulseCounter, TotalStartsFromTheRestoredCountAndUsesTheMultiplier) {
    pulse_counter c(s0_meter(), 123456, 0ns);
    EXPECT_DOUBLE_EQ(c.total(), 123.456);
    EXPECT_TRUE(c.edge(1s));
    EXPECT_EQ(c.count(), 123457u);
    EXPECT_DOUBLE_EQ(c.total(), 123.457);
}

TEST(PulseCounter, RatePerHourOverTheWindow) {
    // 1 kW on a 1000 imp/kWh meter: a pulse every 3.6 s.
    pulse_counter c(s0_meter(), 0, 0ns);
    nanoseconds t = 0ns;
    for (int i = 0; i < 100; ++i) {  // 360 s: several windows
        t += 3600ms;
        c.edge(t);
    }
    EXPECT_NEAR(c.rate(t), 1.0, 0.07) << "kWh per hour = kW";
    // Pulses stop: the rate decays to 0 within one window.
    EXPECT_GT(c.rate(t + 30s), 0.3);
    EXPECT_LT(c.rate(t + 30s), 0.7);
    EXPECT_DOUBLE_EQ(c.rate(t + 61s), 0.0);
    EXPECT_DOUBLE_EQ(c.rate(t + 1h), 0.0);
    EXPECT_EQ(c.count(), 100u) << "the total keeps everything";
}

TEST(PulseCounter, RateBeforeAFullWindowIsOverTheTimeSinceStart) {
    pulse_counter_settings s;
    s.multiplier = 0.5;  // litres per pulse
    s.window = 5min;
    s.rate_per = 1min;
    pulse_counter c(s, 0, 100s);
    for (int i = 1; i <= 10; ++i) c.edge(100s + i * 1s);  // 10 pulses in 10 s = 5 L in 10 s
    EXPECT_NEAR(c.rate(110s), 30.0, 1e-9) << "30 L/min";
    EXPECT_NEAR(c.rate(120s), 15.0, 1e-9) << "no more pulses for 10 s";
    // Straight after start the denominator is at least one second.
    pulse_counter d(s, 0, 0ns);
    d.edge(1ms);
    EXPECT_NEAR(d.rate(2ms), 30.0, 1e-9);
}

TEST(PulseCounter, HighRatesNeedNoMoreMemory) {
    pulse_counter_settings s;
    s.window = 10s;
    s.rate_per = 1s;
    pulse_counter c(s, 0, 0ns);
    for (int i = 1; i <= 100000; ++i) c.edge(i * 1ms);  // 1 kHz for 100 s
    EXPECT_EQ(c.count(), 100000u);
    EXPECT_NEAR(c.rate(100s), 1000.0, 1.0);
    static_assert(sizeof(pulse_counter) < 2048, "constant size");
}

}  // namespace
}  // namespace piogate::app
