#include "hw/sim/sim_pwm.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <cerrno>
#include <cstring>

namespace piogate::hw {
namespace detail {

struct sim_pwm_channel {
    pwm_state state;
    bool exported = false;
    bool held = false;  // exported by another program
    int fail_errno = 0;
    std::size_t reads = 0;   // read() calls
    std::size_t writes = 0;  // attribute writes tried (failed ones too)
};

struct sim_pwm_board {
    std::map<unsigned, std::vector<sim_pwm_channel>> chips;
    std::function<void(const pwm_address&, const pwm_state&)> observer;

    sim_pwm_channel* find(const pwm_address& a) {
        auto it = chips.find(a.chip);
        if (it == chips.end() || a.channel >= it->second.size()) return nullptr;
        return &it->second[a.channel];
    }
};

}  // namespace detail

namespace {

util::error write_error(const std::string& name, const char* attribute, std::uint64_t value,
                        int err, const char* why) {
    const hw_errc code = err == EINVAL ? hw_errc::out_of_range : classify_errno(err);
    std::string message =
        name + ": write " + attribute + " " + std::to_string(value) + ": " + std::strerror(err);
    if (why[0] != '\0') message += std::string(" (") + why + ")";
    return hw_fail(code, std::move(message));
}

class sim_pwm_output final : public pwm_output {
public:
    sim_pwm_output(std::shared_ptr<detail::sim_pwm_board> board, pwm_address address)
        : board_(std::move(board)), address_(address), name_(address.to_string()) {}
    ~sim_pwm_output() override {
        if (auto* c = board_->find(address_)) c->exported = false;
    }

    const std::string& name() const override { return name_; }
    util::result<pwm_state> read() override {
        ++channel().reads;
        return channel().state;
    }

    util::result<void> write_period(std::uint64_t ns) override {
        auto& c = channel();
        ++c.writes;
        if (c.fail_errno) return write_error(name_, "period", ns, c.fail_errno, "");
        if (ns < c.state.duty_ns)
            return write_error(name_, "period", ns, EINVAL, "below duty_cycle");
        if (ns == 0 && c.state.enabled) return write_error(name_, "period", ns, EINVAL, "enabled");
        c.state.period_ns = ns;
        return changed(c);
    }
    util::result<void> write_duty(std::uint64_t ns) override {
        auto& c = channel();
        ++c.writes;
        if (c.fail_errno) return write_error(name_, "duty_cycle", ns, c.fail_errno, "");
        if (ns > c.state.period_ns)
            return write_error(name_, "duty_cycle", ns, EINVAL, "above period");
        c.state.duty_ns = ns;
        return changed(c);
    }
    util::result<void> write_polarity(pwm_polarity p) override {
        auto& c = channel();
        ++c.writes;
        const std::uint64_t v = p == pwm_polarity::inversed;
        if (c.fail_errno) return write_error(name_, "polarity", v, c.fail_errno, "");
        if (c.state.enabled && p != c.state.polarity) {
            return write_error(name_, "polarity", v, EBUSY, "while enabled");
        }
        c.state.polarity = p;
        return changed(c);
    }
    util::result<void> write_enable(bool on) override {
        auto& c = channel();
        ++c.writes;
        if (c.fail_errno) return write_error(name_, "enable", on, c.fail_errno, "");
        if (on && c.state.period_ns == 0)
            return write_error(name_, "enable", on, EINVAL, "period is 0");
        c.state.enabled = on;
        return changed(c);
    }

private:
    detail::sim_pwm_channel& channel() { return *board_->find(address_); }
    util::result<void> changed(const detail::sim_pwm_channel& c) {
        if (board_->observer) board_->observer(address_, c.state);
        return {};
    }

    std::shared_ptr<detail::sim_pwm_board> board_;
    pwm_address address_;
    std::string name_;
};

}  // namespace

sim_pwm::sim_pwm() : board_(std::make_shared<detail::sim_pwm_board>()) {}
sim_pwm::~sim_pwm() = default;

void sim_pwm::add_chip(unsigned chip, unsigned npwm) {
    board_->chips[chip] = std::vector<detail::sim_pwm_channel>(npwm);
}

util::result<std::unique_ptr<pwm_output>> sim_pwm::request(const pwm_address& address) {
    const std::string name = address.to_string();
    auto chip = board_->chips.find(address.chip);
    if (chip == board_->chips.end()) {
        std::string have;
        for (const auto& [n, channels] : board_->chips) {
            have += (have.empty() ? "" : ", ") + ("pwmchip" + std::to_string(n));
        }
        return hw_fail(hw_errc::not_found, name + ": no such PWM chip (the simulated board has " +
                                               (have.empty() ? "none" : have) + ")");
    }
    if (address.channel >= chip->second.size()) {
        return hw_fail(hw_errc::not_found, name + ": export: " + std::strerror(ENODEV) +
                                               " (pwmchip" + std::to_string(address.chip) +
                                               " has " + std::to_string(chip->second.size()) +
                                               " channels)");
    }
    auto& c = chip->second[address.channel];
    if (c.exported || c.held) {
        return hw_fail(hw_errc::busy, name + ": export: " + std::strerror(EBUSY) +
                                          " (exported by another program)");
    }
    c.exported = true;
    return std::unique_ptr<pwm_output>(std::make_unique<sim_pwm_output>(board_, address));
}

std::optional<pwm_state> sim_pwm::state(const pwm_address& address) const {
    if (auto* c = board_->find(address)) return c->state;
    return std::nullopt;
}

bool sim_pwm::exported(const pwm_address& address) const {
    auto* c = board_->find(address);
    return c && c->exported;
}

void sim_pwm::hold(const pwm_address& address, bool held) {
    if (auto* c = board_->find(address)) c->held = held;
}

void sim_pwm::fail_writes(const pwm_address& address, int err) {
    if (auto* c = board_->find(address)) c->fail_errno = err;
}

std::size_t sim_pwm::reads(const pwm_address& address) const {
    auto* c = board_->find(address);
    return c ? c->reads : 0;
}

std::size_t sim_pwm::writes(const pwm_address& address) const {
    auto* c = board_->find(address);
    return c ? c->writes : 0;
}

void sim_pwm::on_change(std::function<void(const pwm_address&, const pwm_state&)> observer) {
    board_->observer = std::move(observer);
}

}  // namespace piogate::hw
