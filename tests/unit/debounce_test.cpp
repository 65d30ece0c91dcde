// The pure software debounce: named cases, then every short signal over a grid of gaps and a
// few thousand random ones, each driven through a timer that fires on time, late or early,
// and compared with a reference that reads the published levels straight off the signal.
#include "hw/debounce.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

namespace piogate::hw {
namespace {

using namespace std::chrono_literals;
using std::chrono::nanoseconds;

struct published {
    bool level;
    nanoseconds since;
    bool operator==(const published&) const = default;
};

std::ostream& operator<<(std::ostream& os, const published& p) {
    return os << (p.level ? "1" : "0") << "@" << p.since.count();
}

// ---------------------------------------------------------------------------------------------
// Named cases

TEST(Debounce, StartsAtTheInitialLevelWithNothingPending) {
    debouncer d(10ms, true);
    EXPECT_TRUE(d.stable());
    EXPECT_FALSE(d.pending());
    EXPECT_EQ(d.period(), 10ms);
    auto s = d.on_timer(100ms);
    EXPECT_FALSE(s.publish);
    EXPECT_FALSE(s.check_at);
}

TEST(Debounce, AChangeAsksForACheckOnePeriodLater) {
    debouncer d(10ms, false);
    auto s = d.on_level(true, 100ms);
    EXPECT_FALSE(s.publish);
    ASSERT_TRUE(s.check_at);
    EXPECT_EQ(*s.check_at, 110ms);
    EXPECT_TRUE(d.pending());
    EXPECT_FALSE(d.stable());
}

TEST(Debounce, ALevelThatHeldIsPublishedWithTheTimeItBegan) {
    debouncer d(10ms, false);
    d.on_level(true, 100ms);
    auto s = d.on_timer(110ms);
    ASSERT_TRUE(s.publish);
    EXPECT_TRUE(s.publish->level);
    EXPECT_EQ(s.publish->since, 100ms);
    EXPECT_FALSE(s.check_at);
    EXPECT_TRUE(d.stable());
    EXPECT_FALSE(d.pending());
}

TEST(Debounce, HoldingExactlyThePeriodCounts) {
    debouncer d(10ms, false);
    d.on_level(true, 0ms);
    EXPECT_FALSE(d.on_timer(10ms - 1ns).publish);
    EXPECT_TRUE(d.on_timer(10ms).publish);
}

TEST(Debounce, AGlitchShorterThanThePeriodIsIgnored) {
    debouncer d(10ms, false);
    d.on_level(true, 0ms);
    auto back = d.on_level(false, 9ms);
    EXPECT_FALSE(back.publish);
    EXPECT_FALSE(back.check_at);  // nothing left to confirm
    EXPECT_FALSE(d.pending());
    EXPECT_FALSE(d.on_timer(10ms).publish);  // the timer armed for the glitch is stale
    EXPECT_FALSE(d.stable());
}

TEST(Debounce, ALevelThatChangedAndCameBackPublishesNothingEvenAfterManyBounces) {
    debouncer d(20ms, true);
    nanoseconds t = 0ms;
    for (int i = 0; i < 50; ++i) {
        t += 1ms;
        EXPECT_FALSE(d.on_level(i % 2 == 0 ? false : true, t).publish);
    }
    // 50 reports: the last one (i = 49) is `true`, the stable level.
    EXPECT_FALSE(d.pending());
    EXPECT_FALSE(d.on_timer(t + 1s).publish);
    EXPECT_TRUE(d.stable());
}

TEST(Debounce, ABounceBurstPublishesTheFinalLevelOnceItHeld) {
    debouncer d(10ms, false);
    // A contact closing: 1 0 1 0 1 within 4 ms, then it stays 1.
    const nanoseconds times[] = {0ms, 1ms, 2ms, 3ms, 4ms};
    std::optional<nanoseconds> armed;
    for (int i = 0; i < 5; ++i) {
        auto s = d.on_level(i % 2 == 0, times[i]);
        EXPECT_FALSE(s.publish) << i;
        if (s.check_at) armed = s.check_at;
    }
    ASSERT_TRUE(armed);
    EXPECT_EQ(*armed, 14ms);                 // 4 ms is the last change to 1
    EXPECT_FALSE(d.on_timer(10ms).publish);  // the first arming, now early
    auto s = d.on_timer(14ms);
    ASSERT_TRUE(s.publish);
    EXPECT_EQ((published{s.publish->level, s.publish->since}), (published{true, 4ms}));
}

TEST(Debounce, AnEarlyTimerAsksAgainForTheSameTime) {
    debouncer d(10ms, false);
    d.on_level(true, 0ms);
    auto s = d.on_timer(3ms);
    EXPECT_FALSE(s.publish);
    ASSERT_TRUE(s.check_at);
    EXPECT_EQ(*s.check_at, 10ms);
}

TEST(Debounce, AStaleTimerForAnEarlierChangeAsksForTheNewTime) {
    debouncer d(10ms, false);
    d.on_level(true, 0ms);
    d.on_level(false, 2ms);
    d.on_level(true, 5ms);  // check_at 15 ms; the timer armed for 10 ms fires first
    auto s = d.on_timer(10ms);
    EXPECT_FALSE(s.publish);
    ASSERT_TRUE(s.check_at);
    EXPECT_EQ(*s.check_at, 15ms);
}

TEST(Debounce, ALateTimerStillPublishesTheLevelThatHeld) {
    debouncer d(10ms, false);
    d.on_level(true, 0ms);
    auto s = d.on_timer(500ms);
    ASSERT_TRUE(s.publish);
    EXPECT_EQ(s.publish->since, 0ms);
}

TEST(Debounce, TheNextChangeBeatingALateTimerPublishesTheLevelThatHeldFirst) {
    debouncer d(10ms, false);
    d.on_level(true, 0ms);
    // The timer for 10 ms has not run yet, but the line went back to 0 at 15 ms: 1 held 15 ms.
    auto s = d.on_level(false, 15ms);
    ASSERT_TRUE(s.publish);
    EXPECT_TRUE(s.publish->level);
    EXPECT_EQ(s.publish->since, 0ms);
    ASSERT_TRUE(s.check_at);  // and 0 is now pending against the new stable 1
    EXPECT_EQ(*s.check_at, 25ms);
    EXPECT_TRUE(d.stable());
    EXPECT_TRUE(d.pending());
    EXPECT_FALSE(d.on_timer(10ms).publish);  // the late timer finds nothing due
    auto later = d.on_timer(25ms);
    ASSERT_TRUE(later.publish);
    EXPECT_FALSE(later.publish->level);
}

TEST(Debounce, RepeatedReportsOfTheSameLevelChangeNothing) {
    debouncer d(10ms, false);
    EXPECT_FALSE(d.on_level(false, 1ms).check_at);  // the stable level again
    EXPECT_FALSE(d.pending());
    d.on_level(true, 2ms);
    auto again = d.on_level(true, 8ms);  // does not restart the period
    EXPECT_FALSE(again.publish);
    EXPECT_FALSE(again.check_at);
    auto s = d.on_timer(12ms);
    ASSERT_TRUE(s.publish);
    EXPECT_EQ(s.publish->since, 2ms);
}

TEST(Debounce, ZeroPeriodPassesEveryChangeThroughAtOnce) {
    debouncer d(0ns, false);
    auto a = d.on_level(true, 5ms);
    ASSERT_TRUE(a.publish);
    EXPECT_EQ((published{a.publish->level, a.publish->since}), (published{true, 5ms}));
    EXPECT_FALSE(a.check_at);
    auto b = d.on_level(false, 5ms);  // same instant: still two events
    ASSERT_TRUE(b.publish);
    EXPECT_FALSE(b.publish->level);
    EXPECT_FALSE(d.on_level(false, 6ms).publish);  // a repeat is not a change
    EXPECT_FALSE(d.pending());
}

TEST(Debounce, ANegativePeriodActsAsZero) {
    debouncer d(-5ms, false);
    EXPECT_EQ(d.period(), 0ns);
    EXPECT_TRUE(d.on_level(true, 1ms).publish);
}

TEST(Debounce, ATimeEarlierThanTheLastChangeCountsAsThatTime) {
    debouncer d(10ms, false);
    d.on_level(true, 100ms);
    auto s = d.on_level(false, 50ms);  // clock went backwards: taken as 100 ms, a 0 ms glitch
    EXPECT_FALSE(s.publish);
    EXPECT_FALSE(d.pending());
    d.on_level(true, 60ms);  // taken as 100 ms
    auto t = d.on_timer(110ms);
    ASSERT_TRUE(t.publish);
    EXPECT_EQ(t.publish->since, 100ms);
}

TEST(Debounce, EdgeSubscriptionsPickTheLevelsTheyWant) {
    EXPECT_FALSE(edge_wanted(edge::none, true));
    EXPECT_FALSE(edge_wanted(edge::none, false));
    EXPECT_TRUE(edge_wanted(edge::rising, true));
    EXPECT_FALSE(edge_wanted(edge::rising, false));
    EXPECT_FALSE(edge_wanted(edge::falling, true));
    EXPECT_TRUE(edge_wanted(edge::falling, false));
    EXPECT_TRUE(edge_wanted(edge::both, true));
    EXPECT_TRUE(edge_wanted(edge::both, false));
}

// ---------------------------------------------------------------------------------------------
// Every signal against the reference

struct report {
    nanoseconds at;
    bool level;
};

// What a debounce must publish for a signal: each run of one level (from its first report to
// the next change) that lasted at least the period, when it differs from the last published
// level. The signal ends with the last report holding for ever.
std::vector<published> reference(const std::vector<report>& signal, nanoseconds period,
                                 bool initial) {
    struct run {
        bool level;
        nanoseconds start;
    };
    std::vector<run> runs;
    bool raw = initial;
    nanoseconds last{0};
    for (const auto& r : signal) {
        const nanoseconds at = std::max(r.at, last);
        if (r.level != raw) {
            runs.push_back({r.level, at});
            raw = r.level;
            last = at;
        }
    }
    std::vector<published> out;
    bool stable = initial;
    for (std::size_t i = 0; i < runs.size(); ++i) {
        const bool held = i + 1 == runs.size() || runs[i + 1].start - runs[i].start >= period;
        if (held && runs[i].level != stable) {
            out.push_back({runs[i].level, runs[i].start});
            stable = runs[i].level;
        }
    }
    return out;
}

enum class timer_mode { on_time, on_time_after_reports, late, early_then_on_time };

// Drives the debouncer like the shell does: one timer, re-armed at each check_at; the timer
// runs before, after, well after, or before and at, its time. At the end the timer runs once
// more (the line then holds for ever).
std::vector<published> drive(const std::vector<report>& signal, nanoseconds period, bool initial,
                             timer_mode mode, std::mt19937* rng = nullptr) {
    debouncer d(period, initial);
    std::vector<published> out;
    std::optional<nanoseconds> armed;
    auto take = [&](const debounce_step& s) {
        if (s.publish) out.push_back({s.publish->level, s.publish->since});
        if (s.check_at) armed = s.check_at;
    };
    auto fire = [&](nanoseconds now) {
        armed.reset();
        take(d.on_timer(now));
    };
    auto lateness = [&]() -> nanoseconds {
        if (mode != timer_mode::late) return 0ns;
        return rng ? nanoseconds(std::uniform_int_distribution<int>(0, 30)(*rng) * 1'000'000)
                   : 25ms;
    };
    nanoseconds late_by = lateness();
    for (const auto& r : signal) {
        // Timers due strictly before this report run first (same-time ones per mode).
        while (armed && (*armed + late_by < r.at ||
                         (*armed + late_by == r.at && mode != timer_mode::on_time_after_reports))) {
            if (mode == timer_mode::early_then_on_time) take(d.on_timer(*armed - 1ns));
            fire(*armed + late_by);
            late_by = lateness();
        }
        take(d.on_level(r.level, r.at));
    }
    for (int guard = 0; armed && guard < 4; ++guard) {
        if (mode == timer_mode::early_then_on_time) take(d.on_timer(*armed - 1ns));
        fire(*armed + late_by);
    }
    EXPECT_FALSE(d.pending());
    return out;
}

void check_all_modes(const std::vector<report>& signal, nanoseconds period, bool initial,
                     std::mt19937* rng = nullptr) {
    const auto want = reference(signal, period, initial);
    for (auto mode : {timer_mode::on_time, timer_mode::on_time_after_reports, timer_mode::late,
                      timer_mode::early_then_on_time}) {
        const auto got = drive(signal, period, initial, mode, rng);
        if (got != want) {
            std::string s;
            for (const auto& r : signal)
                s += (r.level ? "1@" : "0@") + std::to_string(r.at.count() / 1'000'000) + " ";
            ADD_FAILURE() << "period " << period.count() / 1'000'000 << " ms, initial " << initial
                          << ", mode " << static_cast<int>(mode) << ", signal " << s;
            return;
        }
    }
}

TEST(Debounce, EverySignalOfUpToFiveReportsOnAGridOfGapsMatchesTheReference) {
    // Gaps around a 10 ms period: equal times, short, exactly, just over, long.
    const nanoseconds gaps[] = {0ms, 3ms, 10ms, 11ms, 40ms};
    constexpr int n_gaps = 5;
    for (nanoseconds period : {0ms, 10ms}) {
        for (bool initial : {false, true}) {
            for (int len = 1; len <= 5; ++len) {
                int combos = 1;
                for (int i = 0; i < len; ++i) combos *= 2 * n_gaps;
                for (int c = 0; c < combos; ++c) {
                    std::vector<report> signal;
                    nanoseconds t = 1s;
                    int code = c;
                    for (int i = 0; i < len; ++i) {
                        t += gaps[code % n_gaps];
                        code /= n_gaps;
                        signal.push_back({t, code % 2 == 1});
                        code /= 2;
                    }
                    check_all_modes(signal, period, initial);
                }
            }
        }
    }
}

TEST(Debounce, RandomSignalsMatchTheReference) {
    std::mt19937 rng(20261125);
    std::uniform_int_distribution<int> len_dist(1, 40), gap_ms(0, 25), coin(0, 1), period_ms(0, 15);
    for (int round = 0; round < 3000; ++round) {
        const nanoseconds period = period_ms(rng) * 1ms;
        const bool initial = coin(rng) == 1;
        std::vector<report> signal;
        nanoseconds t = 1s;
        const int len = len_dist(rng);
        for (int i = 0; i < len; ++i) {
            t += gap_ms(rng) * 1ms;
            signal.push_back({t, coin(rng) == 1});
        }
        check_all_modes(signal, period, initial, &rng);
        if (HasFailure()) return;
    }
}

TEST(Debounce, TheReferenceItselfAgreesWithTheNamedCases) {
    // Sanity of the oracle: a glitch, a burst, a change that held.
    EXPECT_TRUE(reference({{0ms, true}, {5ms, false}}, 10ms, false).empty());
    EXPECT_EQ(reference({{0ms, true}, {1ms, false}, {2ms, true}}, 10ms, false),
              (std::vector<published>{{true, 2ms}}));
    EXPECT_EQ(reference({{0ms, true}, {10ms, false}}, 10ms, false),
              (std::vector<published>{{true, 0ms}, {false, 10ms}}));
}

}  // namespace
}  // namespace piogate::hw
