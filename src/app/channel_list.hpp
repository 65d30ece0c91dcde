// The running channels of one kind, in config order, reloaded in the two phases of
// channel_group (the algorithm is channel_reconcile.hpp's): channel_list, and list_group, the
// channel_group over one that a kind's group (app/channel_kinds/) derives from.
//
// Thread: the event loop's. Errors: build() throws what `make` throws (start-up fails);
// make_missing() logs a channel that cannot be made on `log` and goes on without it.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <string>
#include <utility>
#include <vector>

#include "app/channel.hpp"
#include "app/channel_group.hpp"
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

// A kind's group: a channel for each of its entries in the config, reloaded with the kind's
// `rules`; `started` is channel_services::started. `entries` picks the kind's entries out of a
// config (default: its section of Config entries, piogate_config::entries<Config>()).
// Lifetimes: the channels are made in this base's constructor, before the derived group's
// members exist, and destroyed after them: what `rules.make` uses must be constructed by then
// and outlive the channels, so it is outside the group or in a base listed before this one
// (bases are constructed in the order listed and destroyed in reverse; pwm_output.cpp's
// controller; tests/unit/list_group_test.cpp).
template <class Ptr, class Config>
class list_group : public channel_group {
public:
    using entries_of = const std::vector<Config>& (*)(const config::piogate_config&);

    list_group(reconcile_rules<Ptr, Config> rules, const log::logger& log, const bool& started,
               const config::piogate_config& cfg, entries_of entries = &section_entries)
        : entries_(entries), list_(std::move(rules), log, started) {
        list_.build(entries_(cfg));
    }
    void release_unkept(const config::piogate_config& next,
                        std::vector<std::string>& changes) override {
        list_.release_unkept(entries_(next), changes);
    }
    void make_missing(const config::piogate_config& next,
                      std::vector<std::string>& changes) override {
        list_.make_missing(entries_(next), changes);
    }
    void list(std::vector<channel*>& out) const override { list_.list(out); }

protected:
    // The running channel with this id, or nullptr (a command's target).
    auto find(const std::string& id) const { return list_.find(id); }

private:
    static const std::vector<Config>& section_entries(const config::piogate_config& cfg) {
        return cfg.entries<Config>();
    }

    entries_of entries_;
    channel_list<Ptr, Config> list_;
};

}  // namespace piogate::app
