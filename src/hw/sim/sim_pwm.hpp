// A simulated PWM controller behind pwm_provider that keeps the kernel sysfs ABI's rules, so
// code that passes against it passes against /sys/class/pwm: a channel must be exported
// (request) before use, exporting an exported channel is EBUSY, a channel >= npwm is ENODEV,
// duty_cycle above period and period below duty_cycle are EINVAL, enable with period 0 is
// EINVAL, polarity while enabled is EBUSY. A fresh channel reads period 0, duty 0, normal,
// disabled; the hardware keeps its state across unexport/export like a real controller.
//
// Thread: everything on one thread (the event loop's); the test-side accessors too.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <functional>
#include <map>
#include <memory>
#include <optional>

#include "hw/pwm.hpp"

namespace piogate::hw {

namespace detail {
struct sim_pwm_board;
}

class sim_pwm final : public pwm_provider {
public:
    sim_pwm();
    ~sim_pwm() override;
    sim_pwm(const sim_pwm&) = delete;
    sim_pwm& operator=(const sim_pwm&) = delete;

    // pwmchip<chip> with `npwm` channels.
    void add_chip(unsigned chip, unsigned npwm);

    util::result<std::unique_ptr<pwm_output>> request(const pwm_address& address) override;

    // The test side. state(): the channel's hardware state (nullopt for an unknown channel).
    std::optional<pwm_state> state(const pwm_address& address) const;
    bool exported(const pwm_address& address) const;
    // Another program exported the channel (request() is EBUSY) / released it.
    void hold(const pwm_address& address, bool held);
    // Makes every later write to the channel fail with this errno (0: stop failing).
    void fail_writes(const pwm_address& address, int err);
    // How often the channel was read (read(): four attribute files on sysfs) and how many
    // attribute writes were tried (failed ones too), since add_chip.
    std::size_t reads(const pwm_address& address) const;
    std::size_t writes(const pwm_address& address) const;
    // Called after every successful write with the channel's new state (for logs and tests).
    void on_change(std::function<void(const pwm_address&, const pwm_state&)> observer);

private:
    std::shared_ptr<detail::sim_pwm_board> board_;  // shared with the requested outputs
};

}  // namespace piogate::hw
