// The filter stages one by one, as tables of samples in and values out, on virtual time.
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include <cmath>
#include <vector>

#include "app/filters/calibrate_linear.hpp"
#include "app/filters/chain.hpp"
#include "app/filters/clamp.hpp"
#include "app/filters/median.hpp"
#include "app/filters/multiply.hpp"
#include "app/filters/offset.hpp"
#include "app/filters/sliding_average.hpp"
#include "app/filters/throttle.hpp"

using namespace piogate;
using namespace std::chrono_literals;
namespace f = piogate::app::filters;

namespace {

using out = std::optional<double>;
constexpr auto none = std::nullopt;
const f::clock::time_point t0{};

// Feeds `in` one sample per second and returns what came out for each.
std::vector<out> run(f::filter& filter, const std::vector<double>& in) {
    std::vector<out> result;
    auto now = t0;
    for (double v : in) {
        result.push_back(filter.apply(v, now));
        now += 1s;
    }
    return result;
}

config::window_spec window(int n, int every, int first = 1) {
    return {n, every, first};
}

}  // namespace

TEST(filters, offset_and_multiply) {
    f::offset o(-0.5);
    EXPECT_EQ(run(o, {20, -3, 0}), (std::vector<out>{19.5, -3.5, -0.5}));
    f::multiply m(1.8);
    EXPECT_EQ(run(m, {10, 0, -5}), (std::vector<out>{18, 0, -9}));
}

TEST(filters, clamp_bounds_values_and_drops_none) {
    struct row {
        double min, max, in, expected;
    };
    const double inf = std::numeric_limits<double>::infinity();
    for (const row& r : std::vector<row>{{0, 100, 50, 50},
                                         {0, 100, -3, 0},
                                         {0, 100, 100.5, 100},
                                         {0, 100, 100, 100},
                                         {-inf, 10, -1e9, -1e9},
                                         {-inf, 10, 11, 10},
                                         {5, inf, 1e9, 1e9},
                                         {5, inf, 4.99, 5},
                                         {3, 3, 7, 3}}) {
        f::clamp c(r.min, r.max);
        EXPECT_EQ(c.apply(r.in, t0), r.expected) << r.min << ".." << r.max << " of " << r.in;
    }
}

TEST(filters, calibrate_linear_two_points_is_exact) {
    // A thermometer reading 0.5 in ice water and 99 in boiling water.
    f::calibrate_linear c({{0.5, 0}, {99, 100}});
    EXPECT_NEAR(*c.apply(0.5, t0), 0, 1e-12);
    EXPECT_NEAR(*c.apply(99, t0), 100, 1e-12);
    EXPECT_NEAR(*c.apply(49.75, t0), 50, 1e-12);
    EXPECT_NEAR(*c.apply(148.25, t0), 150, 1e-12);  // extrapolated on the same line
}

TEST(filters, calibrate_linear_more_points_is_least_squares) {
    struct row {
        std::vector<config::calibration_point> points;
        double slope, intercept;
    };
    for (const row& r : std::vector<row>{
             {{{0, 1}, {1, 3}, {2, 5}}, 2, 1},               // on one line: that line
             {{{0, 0}, {1, 1}, {2, 0}, {3, 1}}, 0.2, 0.2},   // y = 0.2 x + 0.2 by hand
             {{{3, 9}, {1, 1}}, 4, -3},                      // order does not matter
             {{{-10, -9.5}, {0, 0.5}, {10, 10.5}}, 1, 0.5},  // an offset only
         }) {
        f::calibrate_linear c(r.points);
        EXPECT_NEAR(c.slope(), r.slope, 1e-12);
        EXPECT_NEAR(c.intercept(), r.intercept, 1e-12);
    }
}

TEST(filters, calibrate_linear_refuses_what_the_config_refuses) {
    EXPECT_THROW(f::calibrate_linear({{1, 2}}), std::invalid_argument);
    EXPECT_THROW(f::calibrate_linear({{1, 2}, {1, 3}}), std::invalid_argument);
    EXPECT_THROW(f::calibrate_linear({{1e-200, 0}, {2e-200, 1}}), std::invalid_argument);
}

TEST(filters, median_windows_and_send_every) {
    struct row {
        config::window_spec spec;
        std::vector<double> in;
        std::vector<out> expected;
    };
    for (const row& r : std::vector<row>{
             // window 3, every sample: the median of what is there so far, then of the last 3.
             {window(3, 1), {5, 1, 9, 2, 100}, {5, 3, 5, 2, 9}},
             // A single spike never gets out.
             {window(3, 3, 3), {20, 20, 95, 20, 21, 20}, {none, none, 20, none, none, 20}},
             // send_first_at 1: a value right away, then every 3rd.
             {window(3, 3), {1, 2, 3, 4, 5, 6, 7}, {1, none, none, 3, none, none, 6}},
             // Even count: the mean of the two middle samples.
             {window(4, 4, 4), {4, 1, 3, 2}, {none, none, none, 2.5}},
             {window(1, 1), {7, -7}, {7, -7}},
         }) {
        f::median m(r.spec);
        EXPECT_EQ(run(m, r.in), r.expected) << r.spec.window << "/" << r.spec.send_every;
    }
}

TEST(filters, sliding_average_windows_and_send_every) {
    struct row {
        config::window_spec spec;
        std::vector<double> in;
        std::vector<out> expected;
    };
    for (const row& r : std::vector<row>{
             {window(2, 1), {1, 3, 5, 5}, {1, 2, 4, 5}},
             {window(5, 5, 5),
              {1, 2, 3, 4, 5, 6, 7, 8, 9, 10},
              {none, none, none, none, 3, none, none, none, none, 8}},
             {window(4, 2), {2, 4, 6, 8, 10, 12}, {2, none, 4, none, 7, none}},
             {window(3, 2, 2), {3, 6, 9, 12}, {none, 4.5, none, 9}},
         }) {
        f::sliding_average a(r.spec);
        EXPECT_EQ(run(a, r.in), r.expected) << r.spec.window << "/" << r.spec.send_every;
    }
}

TEST(filters, sliding_average_has_no_drift_over_a_long_run) {
    f::sliding_average a(window(10, 1));
    auto now = t0;
    out last;
    for (int i = 0; i < 100000; ++i) {
        last = a.apply(i % 2 ? 0.1 : 0.3, now);
        now += 1s;
    }
    ASSERT_TRUE(last);
    EXPECT_NEAR(*last, 0.2, 1e-15);
}

TEST(filters, throttle_passes_at_most_one_value_per_interval) {
    f::throttle t(10s);
    struct row {
        std::chrono::milliseconds at;
        double in;
        out expected;
    };
    for (const row& r : std::vector<row>{{0ms, 1, 1},
                                         {5000ms, 2, none},
                                         {9999ms, 3, none},
                                         {10000ms, 4, 4},  // exactly the interval: open again
                                         {15000ms, 5, none},
                                         {30000ms, 6, 6},
                                         {39000ms, 7, none}}) {
        EXPECT_EQ(t.apply(r.in, t0 + r.at), r.expected) << r.at.count();
    }
}

TEST(filters, chain_applies_in_order_and_stops_at_a_swallowed_sample) {
    // offset then multiply differs from multiply then offset.
    f::chain a({config::offset_spec{1}, config::multiply_spec{2}});
    f::chain b({config::multiply_spec{2}, config::offset_spec{1}});
    EXPECT_EQ(a.apply(3, t0), 8);
    EXPECT_EQ(b.apply(3, t0), 7);
    // The throttle after the average sees only the averages that got out.
    f::chain c({config::sliding_average_spec{{2, 2, 2}}, config::throttle_spec{3s}});
    std::vector<out> got;
    auto now = t0;
    for (double v : {1, 3, 5, 7, 9, 11, 13, 15}) {
        got.push_back(c.apply(v, now));
        now += 1s;
    }
    EXPECT_EQ(got, (std::vector<out>{none, 2, none, none, none, 10, none, none}));
    f::chain empty;
    EXPECT_EQ(empty.apply(4.25, t0), 4.25);
}

TEST(filters, chain_never_passes_on_infinity) {
    f::chain c({config::multiply_spec{1e9}, config::multiply_spec{1e9}});
    EXPECT_EQ(c.apply(1e300, t0), none);
    EXPECT_EQ(c.apply(2, t0), 2e18);
}
