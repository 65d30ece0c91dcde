// Component tier: a pulse counter on the simulated GPIO chip and on virtual time: an S0 meter
// (1000 imp/kWh) at 1 kW, one 90 ms pulse every 3.6 s, followed for three hours: a publish
// exactly every interval_s with the count, total and rate of the pulses so far, the count
// saved every persist_every_s while it changes and not while it does not. No sleeps, no broker.
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "app/counter_channel.hpp"
#include "app/counter_store.hpp"
#include "component/recording_host.hpp"
#include "component/state_dir.hpp"
#include "component/virtual_loop.hpp"
#include "hw/sim/sim_gpio.hpp"

using namespace piogate;
using namespace std::chrono_literals;

namespace {

struct counter_fixture {
    counter_fixture() {
        gpio.add_raspberry_pi_chip();
        loop.watch([this] { return states.pending(); });
        c.id = "power";
        c.line = "GPIO5";
        c.edge = "falling";
        c.bias = "pull_up";
        c.debounce = 5ms;
        c.multiplier = 0.001;
        c.unit = "kWh";
        c.interval = 10s;
        c.rate_window = 60s;
        c.persist_every = 60s;
        c.state_file = dir.path + "/counter-power.json";
        ch = std::make_unique<app::counter_channel>(loop.time, host, c, gpio, states);
    }
    // The number after "key": in a counter payload.
    static double field(const std::string& payload, const std::string& key) {
        const auto at = payload.find("\"" + key + "\":");
        if (at == std::string::npos) return NAN;
        return std::strtod(payload.c_str() + at + key.size() + 3, nullptr);
    }

    component::state_dir dir;
    component::virtual_loop loop;
    component::recording_host host{loop, "gw"};
    hw::sim_gpio gpio{loop.io, loop.time};
    app::state_file_writer states{loop.io};
    config::counter_config c;
    std::unique_ptr<app::counter_channel> ch;  // last: destroyed first
};

// The falling edges of the meter: at 3.51 s, then every 3.6 s (never near a whole second,
// so which 1 s rate bucket an edge is in is not in doubt).
double edge_s(int k) {
    return 3.51 + 3.6 * k;
}

// Edges counted by `t` s: each is delivered after the 5 ms debounce.
int counted_by(double t) {
    int n = 0;
    while (edge_s(n) + 0.005 < t) ++n;
    return n;
}

}  // namespace

TEST(counter_channel_component, an_s0_meter_at_1_kw_for_three_hours) {
    counter_fixture f;
    f.ch->start();
    f.gpio.play("GPIO5", {{3510ms, false}, {90ms, true}}, true);
    std::vector<std::pair<double, std::uint64_t>> saves;  // when, the count written
    for (int step = 1; step <= 3 * 360; ++step) {
        f.loop.advance(10s);
        if (auto text = f.dir.take(f.c.state_file)) {
            saves.emplace_back(f.loop.seconds(), app::decode_counter_state(*text, "power").count);
        }
    }
    const auto& p = f.host.published;
    ASSERT_EQ(p.size(), 1080u);
    const int rate_decimals = app::rate_decimals_of(f.c);
    for (std::size_t i = 0; i < p.size(); ++i) {
        const double t = 10.0 * static_cast<double>(i + 1);
        ASSERT_EQ(p[i].topic, "gw/counters/power");
        ASSERT_DOUBLE_EQ(p[i].seconds(), t);
        const int n = counted_by(t);
        ASSERT_EQ(f.field(p[i].payload, "count"), n) << t;
        ASSERT_NEAR(f.field(p[i].payload, "total"), n * 0.001, 1e-9) << t;
        // Per hour, over the 60 one-second buckets up to now (59 s and the current one, which
        // has just begun) or the time since start.
        const int in_window = n - counted_by(std::max(0.0, t - 59));
        const double want = in_window * 0.001 * 3600 / std::min(59.0, t);
        ASSERT_NEAR(f.field(p[i].payload, "rate"), want, 0.5 * std::pow(10, -rate_decimals))
            << t << " " << p[i].payload;
    }
    EXPECT_EQ(counted_by(3 * 3600), 3000);  // the meter's 3 kWh
    ASSERT_EQ(saves.size(), 180u);          // every 60 s
    for (std::size_t i = 0; i < saves.size(); ++i) {
        const double t = 60.0 * static_cast<double>(i + 1);
        EXPECT_DOUBLE_EQ(saves[i].first, t);
        EXPECT_EQ(saves[i].second, static_cast<std::uint64_t>(counted_by(t))) << t;
    }
    // The meter stops: publishes go on, nothing is saved while the count stays.
    f.gpio.stop("GPIO5");
    f.loop.advance(1h);
    EXPECT_FALSE(f.dir.take(f.c.state_file));
    EXPECT_EQ(p.size(), 1080u + 360u);
    EXPECT_EQ(f.ch->count(), 3000u);
}
