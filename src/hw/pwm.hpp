// The narrow PWM interface: one channel of a PWM chip, the kernel's sysfs model
// (/sys/class/pwm/pwmchipN/pwmM: period and duty_cycle in nanoseconds, polarity, enable).
// Implemented over sysfs (hw/linux/sysfs_pwm) and by the simulated board (hw/sim/sim_pwm),
// which refuses what the kernel refuses (duty above period, enable with no period, ...).
//
// Thread: the event-loop thread (sysfs writes are short and do not block on hardware).
// Errors: util::result with hw_fail(...) whose message names chip and channel
// ("pwmchip0/pwm1: write duty_cycle 30000: ..."); nothing throws.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "hw/hw_error.hpp"
#include "util/result.hpp"

namespace piogate::hw {

enum class pwm_polarity { normal, inversed };

// pwmchip<chip>, channel <channel> (0 .. npwm - 1).
struct pwm_address {
    unsigned chip = 0;
    unsigned channel = 0;
    std::string to_string() const;  // "pwmchip0/pwm1"
    bool operator==(const pwm_address&) const = default;
};

// What a channel does. Units: nanoseconds. The kernel requires duty_ns <= period_ns, and
// period_ns > 0 while enabled.
struct pwm_state {
    std::uint64_t period_ns = 0;
    std::uint64_t duty_ns = 0;
    pwm_polarity polarity = pwm_polarity::normal;
    bool enabled = false;
    bool operator==(const pwm_state&) const = default;
};

// One exported channel. Each write_* is one sysfs attribute write and fails like the kernel's
// (EINVAL for a duty above the period, ...); apply_pwm() orders them so that they do not.
class pwm_output {
public:
    virtual ~pwm_output() = default;
    virtual const std::string& name() const = 0;  // "pwmchip0/pwm1"
    virtual util::result<pwm_state> read() = 0;
    virtual util::result<void> write_period(std::uint64_t ns) = 0;
    virtual util::result<void> write_duty(std::uint64_t ns) = 0;
    virtual util::result<void> write_polarity(pwm_polarity p) = 0;
    virtual util::result<void> write_enable(bool on) = 0;
};

class pwm_provider {
public:
    virtual ~pwm_provider() = default;
    // Exports the channel (unless it already is) and opens it; the output unexports on
    // destruction what it exported. Errors: not_found (no chip, channel >= npwm), busy
    // (exported by someone else in the simulation), permission, timeout (the channel's files
    // did not become writable).
    virtual util::result<std::unique_ptr<pwm_output>> request(const pwm_address& address) = 0;
};

// One attribute write of a plan.
struct pwm_write {
    enum class attribute { period, duty_cycle, polarity, enable } what;
    std::uint64_t value = 0;  // ns for period / duty_cycle; 0/1 for enable; 1 = inversed
    bool operator==(const pwm_write&) const = default;
};

// Pure: the writes that take a channel from `from` to `to` without breaking the kernel's
// rules at any step: duty never above period (duty first when the period shrinks, period
// first when it grows), polarity only while disabled (disable, change, re-enable), enable
// last. Attributes that already have their value are not written.
std::vector<pwm_write> plan_pwm_writes(const pwm_state& from, const pwm_state& to);

// Reads the channel, then runs plan_pwm_writes(); stops at the first failing write.
util::result<void> apply_pwm(pwm_output& out, const pwm_state& to);
// The same from a state known to be the channel's (the last one applied with success), without
// reading it: only the attributes that differ are written. After a failure the channel's state
// is unknown (some writes may have been done): read it again (the overload above).
util::result<void> apply_pwm(pwm_output& out, const pwm_state& from, const pwm_state& to);

// Percent (0..100, clamped) of a period, rounded to the nearest nanosecond.
std::uint64_t duty_ns_for_percent(std::uint64_t period_ns, double percent);
// The period of a frequency in Hz, rounded to the nearest nanosecond (at least 1).
std::uint64_t period_ns_for_hz(double hz);

const char* to_string(pwm_polarity p);

}  // namespace piogate::hw
