#include "mqtt/connect_policy.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <stdexcept>
#include <utility>

#include "mqtt/reconnect_spread.hpp"
#include "piogate/mqtt/error.hpp"

namespace piogate::mqtt {

connect_policy::connect_policy(connect_timing timing, std::function<double()> unit_random)
    : timing_(timing),
      unit_random_(std::move(unit_random)),
      retry_(timing.reconnect_min_delay, timing.reconnect_max_delay) {}

void connect_policy::set_brokers(std::vector<broker_address> brokers) {
    rotation_.reset(std::move(brokers));
    round_failures_.clear();
}

void connect_policy::start(time_point now) {
    if (rotation_.brokers().empty()) throw std::invalid_argument("reconnect() before connect()");
    rotation_.restart();
    round_failures_.clear();
    user_disconnect_ = false;
    closed_from_.reset();
    begin_attempt(now);
}

connect_policy::disconnect_action connect_policy::disconnect() {
    user_disconnect_ = true;
    switch (phase_) {
        case connect_phase::connected:
            return disconnect_action::send_disconnect;
        case connect_phase::connecting:
            return disconnect_action::abort_attempt;
        case connect_phase::waiting:
            phase_ = connect_phase::idle;
            return disconnect_action::none;
        case connect_phase::idle:
            break;
    }
    return disconnect_action::none;
}

void connect_policy::set_delays(std::chrono::milliseconds min, std::chrono::milliseconds max) {
    timing_.reconnect_min_delay = min;
    timing_.reconnect_max_delay = max;
    retry_.set_limits(min, max);
}

void connect_policy::begin_attempt(time_point now) {
    phase_ = connect_phase::connecting;
    transport_open_ = false;
    deadline_ = now + timing_.connect_timeout;
    failure_why_.clear();
}

void connect_policy::on_transport_open() noexcept {
    transport_open_ = true;
}

void connect_policy::on_accepted(time_point now) {
    phase_ = connect_phase::connected;
    retry_.on_accepted(now);
    round_failures_.clear();
}

void connect_policy::on_healthy() noexcept {
    retry_.on_healthy();
}

bool connect_policy::on_refused(std::string why) {
    failure_why_ = std::move(why);
    return phase_ == connect_phase::connecting && !user_disconnect_ && rotation_.has_next();
}

void connect_policy::on_lost(std::string why) {
    if (failure_why_.empty()) failure_why_ = std::move(why);
}

std::optional<connect_policy::time_point> connect_policy::connect_deadline() const noexcept {
    if (phase_ != connect_phase::connecting) return std::nullopt;
    return deadline_;
}

std::optional<std::string> connect_policy::connect_timed_out(time_point now) const {
    const auto deadline = connect_deadline();
    if (!deadline || now < *deadline) return std::nullopt;
    const std::string ms = std::to_string(timing_.connect_timeout.count()) + " ms";
    return transport_open_ ? "no CONNACK within " + ms : "timed out after " + ms;
}

std::optional<connect_policy::time_point> connect_policy::retry_at() const noexcept {
    if (phase_ != connect_phase::waiting) return std::nullopt;
    return deadline_;
}

bool connect_policy::retry_due(time_point now) {
    if (phase_ != connect_phase::waiting || now < deadline_) return false;
    begin_attempt(now);
    return true;
}

close_decision connect_policy::on_closed(time_point now, std::error_code reason,
                                         std::string detail) {
    const connect_phase was = phase_;
    const bool by_user = reason == errc::disconnected_by_user;
    phase_ = connect_phase::idle;
    closed_from_.reset();
    close_decision d;
    if (was == connect_phase::connecting && !by_user && !user_disconnect_ &&
        fail_over_or_end_round(detail, d.log)) {
        d.what = close_decision::action::fail_over;
        begin_attempt(now);
        return d;
    }
    if (was == connect_phase::connected) {
        rotation_.restart();  // the next round starts at the primary again
        d.what = close_decision::action::report_disconnect;
    } else if (was == connect_phase::connecting) {
        d.what = close_decision::action::report_connect_fail;
        d.detail = std::move(detail);
    }
    closed_from_ = was;
    closed_by_user_ = by_user;
    return d;
}

bool connect_policy::fail_over_or_end_round(std::string& detail,
                                            std::optional<policy_log_line>& log) {
    const broker_address failed = rotation_.current();
    const std::string why = failure_why_.empty() ? detail : std::exchange(failure_why_, {});
    const bool several = rotation_.brokers().size() > 1;
    if (several) {
        round_failures_ +=
            (round_failures_.empty() ? "" : ", ") + to_string(failed) + " (" + why + ")";
    }
    if (rotation_.advance()) {
        log = policy_log_line{log_level::info, "broker " + to_string(failed) + " unreachable (" +
                                                   why + "); trying " + to_string(current())};
        return true;
    }
    if (several) {
        detail = "no broker reachable: " + std::exchange(round_failures_, {});
        log = policy_log_line{log_level::warning, detail};
    }
    return false;
}

std::optional<retry_plan> connect_policy::after_report(time_point now) {
    if (!closed_from_) return std::nullopt;
    const connect_phase was = *closed_from_;
    closed_from_.reset();
    if (phase_ != connect_phase::idle) return std::nullopt;  // a callback reconnected
    if (!auto_reconnect_ || user_disconnect_ || closed_by_user_) return std::nullopt;
    const double r = unit_random_();
    std::chrono::milliseconds delay;
    if (was == connect_phase::connected) {
        const auto backoff = retry_.after_drop(now, r);
        delay = first_delay_after_drop(backoff, retry_.storm_level() > 0, timing_.reconnect_spread,
                                       unit_random_());
    } else {
        delay = retry_.after_failure(r);
    }
    phase_ = connect_phase::waiting;
    deadline_ = now + delay;
    return retry_plan{delay, deadline_};
}

}  // namespace piogate::mqtt
