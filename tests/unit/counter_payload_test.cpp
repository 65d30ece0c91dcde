// The counter's published payload: total and rate rounded to what the meter resolves, printed
// without binary noise (the rate was published as 1.079953 kW from 0.001 kWh pulses).
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include <chrono>

#include "app/counter_channel.hpp"

namespace {

using piogate::app::counter_payload;
using piogate::app::rate_decimals_of;

piogate::config::counter_config counter(double multiplier, int window_s, const char* per) {
    piogate::config::counter_config c;
    c.multiplier = multiplier;
    c.rate_window = std::chrono::seconds(window_s);
    c.rate_per = per;
    return c;
}

TEST(counter_payload, rate_decimals_follow_one_pulse_over_the_window) {
    EXPECT_EQ(rate_decimals_of(counter(0.001, 60, "h")), 1);    // 0.06 kW per pulse
    EXPECT_EQ(rate_decimals_of(counter(0.001, 3600, "h")), 3);  // 0.001 kW
    EXPECT_EQ(rate_decimals_of(counter(0.5, 60, "min")), 1);    // 0.5 L/min
    EXPECT_EQ(rate_decimals_of(counter(1, 60, "h")), 0);        // 60 per hour
    EXPECT_EQ(rate_decimals_of(counter(1e-9, 60, "h")), 6);     // capped
}

TEST(counter_payload, total_and_rate_are_rounded_without_float_noise) {
    EXPECT_EQ(counter_payload(1079, 1079 * 0.001, 3, 1.0799530000000001, 1),
              R"({"count":1079,"rate":1.1,"total":1.079})");
    EXPECT_EQ(counter_payload(3, 0.1 + 0.2, 1, 0.0, 1), R"({"count":3,"rate":0.0,"total":0.3})");
    EXPECT_EQ(counter_payload(63723001, 63723001 * 0.001, 3, 36.0, 0),
              R"({"count":63723001,"rate":36,"total":63723.001})");
}

}  // namespace
