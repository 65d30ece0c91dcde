#include "app/extra_channels.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <boost/asio/steady_timer.hpp>

#include "hw/linux/sysfs_pwm.hpp"
#include "hw/sim/sim_pwm.hpp"
#include "log/log.hpp"

namespace piogate::app {
namespace {

const log::logger extra_log("app");

template <class T>
bool same_config(const T& a, T b) {
    b.path = a.path;
    return a == b;
}

template <class Config>
bool listed(const std::vector<Config>& configs, const std::string& id) {
    return std::any_of(configs.begin(), configs.end(), [&](const Config& c) { return c.id == id; });
}

}  // namespace

extra_channels::extra_channels(boost::asio::io_context& io, util::scheduler& time,
                               channel_host& host, const config::piogate_config& cfg,
                               board& hardware, state_file_writer& states)
    : io_(io), time_(time), host_(host), hardware_(hardware), states_(states) {
    for (const auto& c : cfg.pwm)
        pwm_.push_back(std::make_unique<pwm_channel>(io_, time_, host_, c, pwm_hardware()));
    for (const auto& c : cfg.counters) {
        counters_.push_back(
            std::make_unique<counter_channel>(io_, host_, c, hardware_.gpio(), states_));
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

void extra_channels::subscribe(mqtt::async_client& client, const std::string& prefix) {
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
            auto timer = std::make_shared<boost::asio::steady_timer>(io_, *due);
            timer->async_wait([timer](const boost::system::error_code&) { log::flush_limited(); });
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
    // PWM: a channel on the same hardware settings stays (its other settings updated); the rest
    // goes to its failsafe duty and is released before anything is requested again.
    std::vector<std::unique_ptr<pwm_channel>> kept_pwm(next.pwm.size());
    for (std::size_t i = 0; i < next.pwm.size(); ++i) {
        const auto& c = next.pwm[i];
        auto old = std::find_if(pwm_.begin(), pwm_.end(), [&](const auto& p) {
            return p && p->config().id == c.id && p->same_hardware_settings(c);
        });
        if (old == pwm_.end()) continue;
        if (!same_config((*old)->config(), c)) changes.push_back("pwm " + c.id + " updated");
        (*old)->update(c);
        kept_pwm[i] = std::move(*old);
    }
    for (auto& p : pwm_) {
        if (!p) continue;
        const bool moved = listed(next.pwm, p->config().id);
        p->apply_failsafe(moved ? "its hardware settings changed"
                                : "removed from the configuration");
        changes.push_back("pwm " + p->config().id +
                          (moved ? " hardware settings changed" : " removed"));
    }
    pwm_.clear();
    for (std::size_t i = 0; i < next.pwm.size(); ++i) {
        const auto& c = next.pwm[i];
        if (kept_pwm[i]) {
            pwm_.push_back(std::move(kept_pwm[i]));
            continue;
        }
        try {
            pwm_.push_back(std::make_unique<pwm_channel>(io_, time_, host_, c, pwm_hardware()));
            if (!std::any_of(changes.begin(), changes.end(), [&](const std::string& s) {
                    return s == "pwm " + c.id + " hardware settings changed";
                })) {
                changes.push_back("pwm " + c.id + " added");
            }
        } catch (const std::exception& e) {
            extra_log.error("pwm " + c.id + ": " + e.what(), {{"PIOGATE_CHANNEL", c.id}});
        }
    }
    // Counters: one whose settings are all the same keeps counting; any other is saved and
    // released (its destructor), and made again from its state file.
    std::vector<std::unique_ptr<counter_channel>> kept(next.counters.size());
    for (std::size_t i = 0; i < next.counters.size(); ++i) {
        auto old = std::find_if(counters_.begin(), counters_.end(), [&](const auto& ch) {
            return ch && same_config(ch->config(), next.counters[i]);
        });
        if (old != counters_.end()) kept[i] = std::move(*old);
    }
    for (auto& ch : counters_) {
        if (!ch) continue;
        const bool moved = listed(next.counters, ch->config().id);
        changes.push_back("counter " + ch->config().id + (moved ? " restarted" : " removed"));
    }
    counters_.clear();  // saved and released here, before any line is requested again
    for (std::size_t i = 0; i < next.counters.size(); ++i) {
        const auto& c = next.counters[i];
        if (kept[i]) {
            counters_.push_back(std::move(kept[i]));
            continue;
        }
        try {
            counters_.push_back(
                std::make_unique<counter_channel>(io_, host_, c, hardware_.gpio(), states_));
            if (started_) counters_.back()->start();
            if (!std::any_of(changes.begin(), changes.end(), [&](const std::string& s) {
                    return s == "counter " + c.id + " restarted";
                })) {
                changes.push_back("counter " + c.id + " added");
            }
        } catch (const std::exception& e) {
            extra_log.error("counter " + c.id + ": " + e.what(), {{"PIOGATE_CHANNEL", c.id}});
        }
    }
}

}  // namespace piogate::app
