#include "hw/pwm.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <cmath>

namespace piogate::hw {

std::string pwm_address::to_string() const {
    return "pwmchip" + std::to_string(chip) + "/pwm" + std::to_string(channel);
}

const char* to_string(pwm_polarity p) {
    return p == pwm_polarity::inversed ? "inversed" : "normal";
}

std::vector<pwm_write> plan_pwm_writes(const pwm_state& from, const pwm_state& to) {
    using a = pwm_write::attribute;
    std::vector<pwm_write> out;
    pwm_state cur = from;
    auto set_enable = [&](bool on) {
        out.push_back({a::enable, on ? 1u : 0u});
        cur.enabled = on;
    };
    // Off first when the target is off (no glitch through intermediate values), and before a
    // polarity change (many drivers refuse it while running).
    if (cur.enabled && (!to.enabled || cur.polarity != to.polarity)) set_enable(false);
    if (cur.polarity != to.polarity) {
        out.push_back({a::polarity, to.polarity == pwm_polarity::inversed ? 1u : 0u});
        cur.polarity = to.polarity;
    }
    if (to.period_ns < cur.duty_ns) {
        // The period shrinks below the current duty: duty first (to.duty <= to.period < cur.duty
        // <= cur.period keeps duty <= period after each write).
        out.push_back({a::duty_cycle, to.duty_ns});
        cur.duty_ns = to.duty_ns;
        if (cur.period_ns != to.period_ns) out.push_back({a::period, to.period_ns});
    } else {
        if (cur.period_ns != to.period_ns) out.push_back({a::period, to.period_ns});
        if (cur.duty_ns != to.duty_ns) out.push_back({a::duty_cycle, to.duty_ns});
    }
    if (to.enabled && !cur.enabled) set_enable(true);
    return out;
}

namespace {

// What the kernel would refuse whatever the channel's state.
util::result<void> refused(const pwm_output& out, const pwm_state& to) {
    if (to.duty_ns > to.period_ns) {
        return hw_fail(hw_errc::out_of_range, out.name() + ": duty " + std::to_string(to.duty_ns) +
                                                  " ns above period " +
                                                  std::to_string(to.period_ns) + " ns");
    }
    if (to.enabled && to.period_ns == 0) {
        return hw_fail(hw_errc::out_of_range, out.name() + ": cannot enable with period 0");
    }
    return {};
}

// The writes of plan_pwm_writes(from, to), stopping at the first failure; `to` already checked.
util::result<void> write_plan(pwm_output& out, const pwm_state& from, const pwm_state& to) {
    for (const auto& w : plan_pwm_writes(from, to)) {
        util::result<void> r;
        switch (w.what) {
            case pwm_write::attribute::period:
                r = out.write_period(w.value);
                break;
            case pwm_write::attribute::duty_cycle:
                r = out.write_duty(w.value);
                break;
            case pwm_write::attribute::polarity:
                r = out.write_polarity(w.value ? pwm_polarity::inversed : pwm_polarity::normal);
                break;
            case pwm_write::attribute::enable:
                r = out.write_enable(w.value != 0);
                break;
        }
        if (!r) return r;
    }
    return {};
}

}  // namespace

// Each overload checks `to` once, before reading or writing anything.
util::result<void> apply_pwm(pwm_output& out, const pwm_state& to) {
    if (auto bad = refused(out, to); !bad) return bad;
    auto now = out.read();
    if (!now) return now.err();
    return write_plan(out, *now, to);
}

util::result<void> apply_pwm(pwm_output& out, const pwm_state& from, const pwm_state& to) {
    if (auto bad = refused(out, to); !bad) return bad;
    return write_plan(out, from, to);
}

std::uint64_t duty_ns_for_percent(std::uint64_t period_ns, double percent) {
    if (!(percent > 0)) return 0;  // also NaN
    if (percent >= 100) return period_ns;
    return static_cast<std::uint64_t>(
        std::llround(static_cast<double>(period_ns) * percent / 100.0));
}

std::uint64_t period_ns_for_hz(double hz) {
    if (!(hz > 0)) return 1;
    const double ns = std::round(1e9 / hz);
    return ns < 1 ? 1 : static_cast<std::uint64_t>(ns);
}

}  // namespace piogate::hw
