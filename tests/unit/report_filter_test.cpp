#include "app/report_filter.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

using namespace piogate;
using namespace std::chrono_literals;
using clock_type = app::report_filter::clock;

namespace {

hw::reading climate(double t, double h) { return {{"temperature", t, "°C"}, {"humidity", h, "%RH"}}; }

}  // namespace

TEST(report_filter, without_deadband_every_reading_is_published) {
    app::report_filter f({}, 0ms);
    const auto t0 = clock_type::time_point{};
    EXPECT_TRUE(f.admit(climate(20, 50), t0));
    EXPECT_TRUE(f.admit(climate(20, 50), t0 + 1s));
    EXPECT_TRUE(f.admit(climate(20, 50), t0 + 2s));
}

TEST(report_filter, deadband_compares_with_the_last_published_reading) {
    app::report_filter f({{"temperature", 0.5}, {"humidity", 2}}, 0ms);
    const auto t0 = clock_type::time_point{};
    EXPECT_TRUE(f.admit(climate(20, 50), t0));      // the first always goes out
    EXPECT_FALSE(f.admit(climate(20.3, 51), t0 + 1s));
    EXPECT_FALSE(f.admit(climate(20.5, 52), t0 + 2s));  // exactly the band: not more than it
    // Slow drift: 0.2 per step adds up against the last *published* value.
    EXPECT_TRUE(f.admit(climate(20.6, 50), t0 + 3s));
    EXPECT_FALSE(f.admit(climate(20.2, 50), t0 + 4s));
    EXPECT_TRUE(f.admit(climate(20.6, 47.9), t0 + 5s));  // humidity moved by 2.1
}

TEST(report_filter, heartbeat_forces_a_publish) {
    app::report_filter f({{"temperature", 1.0}, {"humidity", 5}}, 10s);
    const auto t0 = clock_type::time_point{};
    EXPECT_TRUE(f.admit(climate(20, 50), t0));
    EXPECT_FALSE(f.admit(climate(20, 50), t0 + 9s));
    EXPECT_TRUE(f.admit(climate(20, 50), t0 + 10s));
    EXPECT_FALSE(f.admit(climate(20, 50), t0 + 19s));  // counted from the last publish
    EXPECT_TRUE(f.admit(climate(20, 50), t0 + 20s));
}

TEST(report_filter, a_quantity_without_a_band_of_its_own_publishes_on_any_change) {
    app::report_filter f({{"temperature", 1.0}}, 0ms);
    const auto t0 = clock_type::time_point{};
    EXPECT_TRUE(f.admit(climate(20, 50), t0));
    EXPECT_FALSE(f.admit(climate(20.5, 50), t0 + 1s));
    EXPECT_TRUE(f.admit(climate(20.5, 50.1), t0 + 2s));
}

TEST(report_filter, a_changed_set_of_quantities_publishes) {
    app::report_filter f({{"temperature", 1.0}, {"humidity", 5}}, 0ms);
    const auto t0 = clock_type::time_point{};
    EXPECT_TRUE(f.admit(climate(20, 50), t0));
    EXPECT_TRUE(f.admit({{"temperature", 20, "°C"}}, t0 + 1s));
    EXPECT_TRUE(f.admit({{"temperature", 20, "°C"}, {"pressure", 1000, "hPa"}}, t0 + 2s));
}
