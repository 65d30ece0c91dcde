#include "app/extra_channels.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <algorithm>

#include "app/channel_reconcile.hpp"
#include "hw/linux/sysfs_pwm.hpp"
#include "hw/sim/sim_pwm.hpp"
#include "log/log.hpp"

namespace piogate::app {
namespace {

const log::logger extra_log("app");

}  // namespace

extra_channels::extra_channels(boost::asio::io_context& io, util::scheduler& time,
                               channel_host& host, const config::piogate_config& cfg,
                               board& hardware, state_file_writer& states)
    : io_(io), time_(time), host_(host), hardware_(hardware), states_(states) {
    for (const auto& c : cfg.pwm)
        pwm_.push_back(std::make_unique<pwm_channel>(io_, time_, host_, c, pwm_hardware()));
    for (const auto& c : cfg.counters) {
        counters_.push_back(
            std::make_unique<counter_channel>(time_, host_, c, hardware_.gpio(), states_));
    }
}

extra_channels::~extra_channels() = default;

hw::pwm_provider& extra_channels::pwm_hardware() {
    if (pwm_hw_) return *pwm_hw_;
    if (hardware_.simulated()) {
        auto sim = std::make_unique<hw::sim_pwm>();
        sim->add_chip(0, 4);
        sim->on_change([](const hw::pwm_address& a, const hw::pwm_state& s) {
            const double percent = s.period_ns ? 100.0 * static_cast<double>(s.duty_ns) /
                                                     static_cast<double>(s.period_ns)
                                               : 0;
            char text[160];
            std::snprintf(text, sizeof text, "simulated %s: duty %llu of %llu ns (%.1f %%), %s, %s",
                          a.to_string().c_str(), static_cast<unsigned long long>(s.duty_ns),
                          static_cast<unsigned long long>(s.period_ns), percent,
                          hw::to_string(s.polarity), s.enabled ? "enabled" : "disabled");
            extra_log.debug(text);
        });
        pwm_hw_ = std::move(sim);
    } else {
        pwm_hw_ = hw::make_sysfs_pwm();
    }
    return *pwm_hw_;
}

void extra_channels::subscribe(mqtt_link& client, const std::string& prefix) {
    const std::string topic = prefix + "/pwm/+/set";
    client.subscribe(topic, 1);
    client.message_callback_add(topic, [this](const mqtt::message& m) { command(m); });
}

void extra_channels::command(const mqtt::message& m) {
    // PREFIX/pwm/ID/set: the id is the level before "/set".
    const std::string_view topic = m.topic;
    const auto end = topic.size() - 4;
    const auto begin = topic.rfind('/', end - 1) + 1;
    const std::string id(topic.substr(begin, end - begin));
    auto it =
        std::find_if(pwm_.begin(), pwm_.end(), [&](const auto& p) { return p->config().id == id; });
    if (it == pwm_.end()) {
        if (auto due = extra_log.limited(
                log::level::warning, "commands for unknown pwm outputs",
                "command for unknown pwm output on " + log::clip(topic) + " ignored")) {
            // The log's window is on the real clock; the wait is on the injected one.
            if (!limited_flush_armed_) {
                limited_flush_armed_ = true;
                limited_flush_->wait_for(*due - std::chrono::steady_clock::now(), [this] {
                    limited_flush_armed_ = false;
                    log::flush_limited();
                });
            }
        }
        return;
    }
    (*it)->command(topic, m.payload, m.retain);
}

void extra_channels::list(std::vector<channel*>& out) const {
    for (const auto& p : pwm_) out.push_back(p.get());
    for (const auto& c : counters_) out.push_back(c.get());
}

void extra_channels::reload(const config::piogate_config& next, std::vector<std::string>& changes) {
    using pwm_ptr = std::unique_ptr<pwm_channel>;
    using counter_ptr = std::unique_ptr<counter_channel>;
    // PWM: a channel on the same hardware settings stays (its other settings updated); the rest
    // goes to its failsafe duty and is released before anything is requested again.
    pwm_ = reconcile(pwm_, next.pwm,
                     reconcile_rules<pwm_ptr, config::pwm_config>{
                         "pwm", "hardware settings changed",
                         [](const pwm_ptr& p, const config::pwm_config& c) {
                             return p->same_hardware_settings(c);
                         },
                         [](const pwm_ptr& p, const config::pwm_config& c) { p->update(c); },
                         [](const pwm_ptr& p, bool still_listed) {
                             p->apply_failsafe(still_listed ? "its hardware settings changed"
                                                            : "removed from the configuration");
                         },
                         [&](const config::pwm_config& c) {
                             return std::make_unique<pwm_channel>(io_, time_, host_, c,
                                                                  pwm_hardware());
                         }},
                     changes, extra_log);
    // Counters: one whose settings are all the same keeps counting; any other is saved and
    // released (its destructor), and made again from its state file.
    counters_ = reconcile(counters_, next.counters,
                          reconcile_rules<counter_ptr, config::counter_config>{
                              "counter", "restarted",
                              [](const counter_ptr& ch, const config::counter_config& c) {
                                  return detail::same_but_path(ch->config(), c);
                              },
                              nullptr, nullptr,
                              [&](const config::counter_config& c) {
                                  auto ch = std::make_unique<counter_channel>(
                                      time_, host_, c, hardware_.gpio(), states_);
                                  if (started_) ch->start();
                                  return ch;
                              }},
                          changes, extra_log);
}

}  // namespace piogate::app
