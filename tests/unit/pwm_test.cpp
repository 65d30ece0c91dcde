// The PWM core: the write plan that keeps the kernel's ordering rules (a table), the percent
// and frequency conversions, and apply_pwm() against the simulated controller, which refuses
// what the kernel refuses.
#include <gtest/gtest.h>
// SPDX-License-Identifier: Apache-2.0
#include <cerrno>
#include <cmath>

#include "hw/pwm.hpp"
#include "hw/sim/sim_pwm.hpp"

namespace piogate::hw {
namespace {

using a = pwm_write::attribute;
constexpr auto normal = pwm_polarity::normal;
constexpr auto inversed = pwm_polarity::inversed;

struct plan_row {
    const char* what;
    pwm_state from;
    pwm_state to;
    std::vector<pwm_write> writes;
};

TEST(PwmPlan, OrdersWritesSoThatNoStepBreaksTheKernelRules) {
    const std::vector<plan_row> rows{
        {"fresh export to 25 kHz 50 %",
         {0, 0, normal, false},
         {40000, 20000, normal, true},
         {{a::period, 40000}, {a::duty_cycle, 20000}, {a::enable, 1}}},
        {"same state: nothing", {40000, 20000, normal, true}, {40000, 20000, normal, true}, {}},
        {"duty only",
         {40000, 20000, normal, true},
         {40000, 30000, normal, true},
         {{a::duty_cycle, 30000}}},
        {"period shrinks below the duty: duty first",
         {40000, 30000, normal, true},
         {20000, 10000, normal, true},
         {{a::duty_cycle, 10000}, {a::period, 20000}}},
        {"period shrinks, duty still fits: period first",
         {40000, 10000, normal, true},
         {20000, 15000, normal, true},
         {{a::period, 20000}, {a::duty_cycle, 15000}}},
        {"period grows: period first",
         {20000, 20000, normal, true},
         {1000000, 900000, normal, true},
         {{a::period, 1000000}, {a::duty_cycle, 900000}}},
        {"polarity: disable, change, re-enable",
         {40000, 20000, normal, true},
         {40000, 20000, inversed, true},
         {{a::enable, 0}, {a::polarity, 1}, {a::enable, 1}}},
        {"polarity while disabled: no enable writes",
         {40000, 20000, inversed, false},
         {40000, 10000, normal, false},
         {{a::polarity, 0}, {a::duty_cycle, 10000}}},
        {"switch off first, then change",
         {40000, 20000, normal, true},
         {40000, 0, normal, false},
         {{a::enable, 0}, {a::duty_cycle, 0}}},
        {"duty to 0 while running",
         {40000, 20000, normal, true},
         {40000, 0, normal, true},
         {{a::duty_cycle, 0}}},
    };
    for (const auto& row : rows) {
        EXPECT_EQ(plan_pwm_writes(row.from, row.to), row.writes) << row.what;
        // Replaying the plan on the simulated controller from `from` must succeed and end at `to`.
        sim_pwm sim;
        sim.add_chip(0, 1);
        auto out = sim.request({0, 0});
        ASSERT_TRUE(out) << out.err().message;
        // Bring the sim to `from` in a known-good order first.
        ASSERT_TRUE(apply_pwm(**out, row.from)) << row.what;
        for (const auto& w : plan_pwm_writes(row.from, row.to)) {
            util::result<void> r;
            if (w.what == a::period) r = (*out)->write_period(w.value);
            if (w.what == a::duty_cycle) r = (*out)->write_duty(w.value);
            if (w.what == a::polarity) r = (*out)->write_polarity(w.value ? inversed : normal);
            if (w.what == a::enable) r = (*out)->write_enable(w.value != 0);
            ASSERT_TRUE(r) << row.what << ": " << r.err().message;
        }
        EXPECT_EQ(*sim.state({0, 0}), row.to) << row.what;
    }
}

TEST(PwmPlan, NaiveOrderFailsOnTheSimulatedControllerLikeOnTheKernel) {
    sim_pwm sim;
    sim.add_chip(0, 2);
    auto out = sim.request({0, 1});
    ASSERT_TRUE(out);
    auto& o = **out;
    // Fresh channel: period 0, so any duty is above it.
    auto r = o.write_duty(1000);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.err().code, make_error_code(hw_errc::out_of_range));
    EXPECT_NE(r.err().message.find("pwmchip0/pwm1: write duty_cycle 1000"), std::string::npos)
        << r.err().message;
    EXPECT_FALSE(o.write_enable(true)) << "enable with period 0 is EINVAL";
    ASSERT_TRUE(o.write_period(40000));
    ASSERT_TRUE(o.write_duty(30000));
    EXPECT_FALSE(o.write_period(20000)) << "a period below the duty is EINVAL";
    ASSERT_TRUE(o.write_enable(true));
    auto p = o.write_polarity(inversed);
    ASSERT_FALSE(p);
    EXPECT_EQ(p.err().code, make_error_code(hw_errc::busy)) << p.err().message;
    EXPECT_EQ(sim.state({0, 1}), (pwm_state{40000, 30000, normal, true}));
}

TEST(PwmApply, ReachesTheTargetFromAnyStateAndRefusesImpossibleTargets) {
    sim_pwm sim;
    sim.add_chip(0, 1);
    auto out = sim.request({0, 0});
    ASSERT_TRUE(out);
    for (const pwm_state& target :
         {pwm_state{40000, 40000, normal, true}, pwm_state{1000, 500, inversed, true},
          pwm_state{10000000, 0, normal, true}, pwm_state{10000000, 10, normal, false}}) {
        auto r = apply_pwm(**out, target);
        ASSERT_TRUE(r) << r.err().message;
        EXPECT_EQ(*sim.state({0, 0}), target);
    }
    auto bad = apply_pwm(**out, {1000, 2000, normal, true});
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.err().message, "pwmchip0/pwm0: duty 2000 ns above period 1000 ns");
    EXPECT_FALSE(apply_pwm(**out, {0, 0, normal, true}));
    EXPECT_EQ(*sim.state({0, 0}), (pwm_state{10000000, 10, normal, false})) << "nothing written";
}

TEST(PwmApply, StopsAtTheFirstFailingWriteNamingChipAndChannel) {
    sim_pwm sim;
    sim.add_chip(2, 4);
    auto out = sim.request({2, 3});
    ASSERT_TRUE(out);
    sim.fail_writes({2, 3}, EIO);
    auto r = apply_pwm(**out, {40000, 20000, normal, true});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.err().code, make_error_code(hw_errc::io_error));
    EXPECT_EQ(r.err().message, "pwmchip2/pwm3: write period 40000: Input/output error");
    sim.fail_writes({2, 3}, 0);
    EXPECT_TRUE(apply_pwm(**out, {40000, 20000, normal, true}));
}

TEST(SimPwm, ExportRules) {
    sim_pwm sim;
    sim.add_chip(0, 2);
    auto missing = sim.request({1, 0});
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.err().code, make_error_code(hw_errc::not_found));
    EXPECT_EQ(missing.err().message,
              "pwmchip1/pwm0: no such PWM chip (the simulated board has pwmchip0)");
    auto beyond = sim.request({0, 2});
    ASSERT_FALSE(beyond);
    EXPECT_EQ(beyond.err().message,
              "pwmchip0/pwm2: export: No such device (pwmchip0 has 2 channels)");
    {
        auto first = sim.request({0, 0});
        ASSERT_TRUE(first);
        EXPECT_TRUE(sim.exported({0, 0}));
        ASSERT_TRUE(apply_pwm(**first, {1000, 250, normal, true}));
        auto second = sim.request({0, 0});
        ASSERT_FALSE(second);
        EXPECT_EQ(second.err().code, make_error_code(hw_errc::busy));
    }
    EXPECT_FALSE(sim.exported({0, 0})) << "unexported on destruction";
    EXPECT_EQ(sim.state({0, 0}), (pwm_state{1000, 250, normal, true}))
        << "the hardware keeps running";
    sim.hold({0, 1}, true);
    EXPECT_FALSE(sim.request({0, 1}));
    sim.hold({0, 1}, false);
    EXPECT_TRUE(sim.request({0, 1}));
}

TEST(SimPwm, ObserverSeesEveryWrite) {
    sim_pwm sim;
    sim.add_chip(0, 1);
    std::vector<pwm_state> seen;
    sim.on_change([&](const pwm_address& addr, const pwm_state& s) {
        EXPECT_EQ(addr, (pwm_address{0, 0}));
        seen.push_back(s);
    });
    auto out = sim.request({0, 0});
    ASSERT_TRUE(apply_pwm(**out, {40000, 10000, normal, true}));
    ASSERT_EQ(seen.size(), 3u);
    EXPECT_EQ(seen.back(), (pwm_state{40000, 10000, normal, true}));
}

TEST(PwmConversions, PercentAndFrequency) {
    EXPECT_EQ(period_ns_for_hz(25000), 40000u);
    EXPECT_EQ(period_ns_for_hz(50), 20000000u);
    EXPECT_EQ(period_ns_for_hz(3), 333333333u);
    EXPECT_EQ(period_ns_for_hz(0), 1u);
    EXPECT_EQ(period_ns_for_hz(2e9), 1u);
    EXPECT_EQ(duty_ns_for_percent(40000, 0), 0u);
    EXPECT_EQ(duty_ns_for_percent(40000, 50), 20000u);
    EXPECT_EQ(duty_ns_for_percent(40000, 100), 40000u);
    EXPECT_EQ(duty_ns_for_percent(40000, 150), 40000u);
    EXPECT_EQ(duty_ns_for_percent(40000, -3), 0u);
    EXPECT_EQ(duty_ns_for_percent(333333333, 33.3), 111000000u);
    EXPECT_EQ(duty_ns_for_percent(40000, std::nan("")), 0u);
}

}  // namespace
}  // namespace piogate::hw
