// The running channels of one kind, in config order, reloaded in the two phases of
// channel_group (the algorithm is channel_reconcile.hpp's). A kind's group (app/channel_kinds/)
// holds one and forwards to it.
//
// Thread: the event loop's. Errors: build() throws what `make` throws (start-up fails);
// make_missing() logs a channel that cannot be made on `log` and goes on without it.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <string>
#include <utility>
#include <vector>

#include "app/channel.hpp"
#include "app/channel_reconcile.hpp"
#include "log/log.hpp"

namespace piogate::app {

template <class Ptr, class Config>
class channel_list {
public:
    // `started` (channel_services::started) and `log` must outlive the list: a channel made by
    // make_missing is started at once when `started` is true.
    channel_list(reconcile_rules<Ptr, Config> rules, const log::logger& log, const bool& started)
        : rules_(std::move(rules)), log_(log), started_(started) {}
    channel_list(const channel_list&) = delete;
    channel_list& operator=(const channel_list&) = delete;

    // At start-up: a channel for each entry, in order (not started: the gateway starts them).
    void build(const std::vector<Config>& entries) {
        for (const auto& c : entries) running_.push_back(rules_.make(c));
    }
    void release_unkept(const std::vector<Config>& next, std::vector<std::string>& changes) {
        plan_ = app::release_unkept(running_, next, rules_, changes);
    }
    void make_missing(const std::vector<Config>& next, std::vector<std::string>& changes) {
        auto rules = rules_;
        rules.make = [this](const Config& c) {
            Ptr ch = rules_.make(c);
            if (started_) ch->start();
            return ch;
        };
        running_ = app::make_missing(std::exchange(plan_, {}), next, rules, changes, log_);
    }
    void list(std::vector<channel*>& out) const {
        for (const auto& ch : running_) out.push_back(ch.get());
    }
    // The channel with this id, or nullptr.
    auto find(const std::string& id) const -> decltype(Ptr().get()) {
        for (const auto& ch : running_) {
            if (ch && ch->config().id == id) return ch.get();
        }
        return nullptr;
    }

private:
    reconcile_rules<Ptr, Config> rules_;
    const log::logger& log_;
    const bool& started_;
    std::vector<Ptr> running_;
    reconcile_plan<Ptr> plan_;  // between the two phases of a reload
};

}  // namespace piogate::app
