// The channel-kind table (app/channel_kinds/registry.cpp): every kind listed once, in the order
// of the gateway's announcements, each mapping its own entries to Home Assistant entities.
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "app/channel_kinds/registry.hpp"
#include "config/config.hpp"

using namespace piogate;

TEST(channel_kinds, each_kind_is_listed_once_in_the_order_of_the_announcements) {
    std::vector<std::string> names;
    for (const auto* k : app::channel_group_kinds()) names.emplace_back(k->name());
    EXPECT_EQ(names, (std::vector<std::string>{"input", "actuator", "sensor", "pwm", "counter"}));
    std::set<const app::channel_group_kind*> distinct(app::channel_group_kinds().begin(),
                                                      app::channel_group_kinds().end());
    EXPECT_EQ(distinct.size(), app::channel_group_kinds().size());
}

TEST(channel_kinds, each_kind_maps_only_its_own_entries_in_config_order) {
    const auto cfg = config::parse_config(config::json::parse(R"({
        "board": {"kind": "sim"}, "mqtt": {"topic_prefix": "gw"},
        "inputs": [{"id": "door", "line": "GPIO17"}, {"id": "window", "line": "GPIO18"}],
        "actuators": [{"id": "pump", "line": "GPIO22"}],
        "pwm": [{"id": "fan", "chip": 0, "channel": 1}],
        "counters": [{"id": "power", "line": "GPIO24", "unit": "kWh"}]})"));
    std::vector<std::string> seen;
    for (const auto* k : app::channel_group_kinds()) {
        std::vector<app::kind_entity> own;
        k->entities(cfg, own);
        for (const auto& e : own)
            seen.push_back(std::string(k->name()) + " " + e.component + " " + e.id + " " +
                           e.source);
    }
    EXPECT_EQ(seen, (std::vector<std::string>{
                        "input binary_sensor door input/door",
                        "input binary_sensor window input/window",
                        "actuator switch pump actuator/pump",
                        "pwm light pwm_fan pwm/fan",
                        "counter sensor counter_power_total counter/power_total",
                        "counter sensor counter_power_rate counter/power_rate",
                    }));
}

TEST(channel_kinds, the_status_line_counts_the_kinds_in_its_own_order) {
    std::vector<std::pair<int, std::string>> ranked;
    for (const auto* k : app::channel_group_kinds()) {
        const auto noun = k->status();
        ranked.emplace_back(noun.rank, std::string(noun.singular) + (noun.always ? "" : "?"));
    }
    std::sort(ranked.begin(), ranked.end());
    std::vector<std::string> order;
    std::set<int> ranks;
    for (const auto& [rank, noun] : ranked) {
        order.push_back(noun);
        ranks.insert(rank);
    }
    // "?": left out of the line when the config has none of them.
    EXPECT_EQ(order,
              (std::vector<std::string>{"sensor", "input", "actuator", "PWM output?", "counter?"}));
    EXPECT_EQ(ranks.size(), ranked.size());
}
