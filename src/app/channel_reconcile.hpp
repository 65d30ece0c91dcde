// The one reload algorithm for every kind of channel (sensors, GPIO inputs and actuators, PWM
// outputs, pulse counters): given the running channels of a kind and the kind's entries in the
// new config, it returns the channels of the new config, in its order, and says what changed.
//
//  1. Each new entry keeps the running channel with its id when the kind allows it
//     (`can_keep`: a sensor whose settings are all the same, an actuator on the same line with
//     the same line settings, ...); a kept channel takes over the entry (`update`) and is
//     reported "KIND ID updated" when anything but its JSON path changed.
//  2. Every running channel not kept is released (`release`: failsafe state, retire) and
//     destroyed, all before step 3, so that a line or a PWM channel that moved to another
//     entry is free to be requested again; the gateway runs step 2 for every kind before
//     step 3 for any (channel_group.hpp), so this holds across kinds too (a line moving from a
//     pulse counter to an input). Reported "KIND ID removed" when the new config lacks the id.
//  3. The entries without a channel get a new one (`make`). One that cannot be made is logged
//     at error level with its id (PIOGATE_CHANNEL) and left out: the rest still runs, and the
//     change reads "KIND ID stopped: WHY" when it ran before. Made, it is reported
//     "KIND ID <moved>" when a channel with that id ran before, else "KIND ID added".
//
// Pure apart from what the rules' functions do; unit-tested with made-up channels
// (tests/unit/channel_reconcile_test.cpp). Thread: the caller's (the event loop's).
// Errors: exceptions from `make` are caught (step 3); from the other functions they propagate.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <exception>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "log/log.hpp"

namespace piogate::app {

// How one kind of channel reloads. `Ptr` owns a channel (std::unique_ptr or std::shared_ptr)
// whose config() returns the Config it was made from.
template <class Ptr, class Config>
struct reconcile_rules {
    std::string kind;   // "sensor", "input", "actuator", "pwm", "counter"
    std::string moved;  // the change when the id stays but the channel cannot: "restarted", ...
    std::function<bool(const Ptr&, const Config&)> can_keep;
    std::function<void(const Ptr&, const Config&)> update;       // may be empty
    std::function<void(const Ptr&, bool still_listed)> release;  // may be empty
    std::function<Ptr(const Config&)> make;                      // throws when it cannot
};

namespace detail {
// Equal apart from the JSON path (an entry that moved within its array is unchanged).
template <class T>
bool same_but_path(const T& a, T b) {
    b.path = a.path;
    return a == b;
}
}  // namespace detail

// Steps 1 and 2, and what step 3 needs. Kinds that share hardware (GPIO inputs, actuators and
// counters share the lines) run release_unkept for each of them before make_missing for any.
template <class Ptr>
struct reconcile_plan {
    std::vector<Ptr> kept;      // by new entry: the channel kept for it, or empty
    std::set<std::string> ran;  // the ids that had a channel before
};

template <class Ptr, class Config>
reconcile_plan<Ptr> release_unkept(std::vector<Ptr>& running, const std::vector<Config>& next,
                                   const reconcile_rules<Ptr, Config>& rules,
                                   std::vector<std::string>& changes) {
    reconcile_plan<Ptr> plan;
    for (const auto& ch : running) {
        if (ch) plan.ran.insert(ch->config().id);
    }
    // 1. Keep.
    plan.kept.resize(next.size());
    for (std::size_t i = 0; i < next.size(); ++i) {
        const Config& c = next[i];
        auto old = std::find_if(running.begin(), running.end(), [&](const Ptr& ch) {
            return ch && ch->config().id == c.id && rules.can_keep(ch, c);
        });
        if (old == running.end()) continue;
        if (!detail::same_but_path(c, (*old)->config()))
            changes.push_back(rules.kind + " " + c.id + " updated");
        if (rules.update) rules.update(*old, c);
        plan.kept[i] = std::move(*old);
    }
    // 2. Release the rest.
    for (auto& ch : running) {
        if (!ch) continue;
        const std::string id = ch->config().id;
        const bool still_listed =
            std::any_of(next.begin(), next.end(), [&](const Config& c) { return c.id == id; });
        if (rules.release) rules.release(ch, still_listed);
        if (!still_listed) changes.push_back(rules.kind + " " + id + " removed");
        ch = Ptr();  // destroyed here (a shared sensor: once its last job is done)
    }
    running.clear();
    return plan;
}

// Step 3: the channels of `next`, in its order.
template <class Ptr, class Config>
std::vector<Ptr> make_missing(reconcile_plan<Ptr> plan, const std::vector<Config>& next,
                              const reconcile_rules<Ptr, Config>& rules,
                              std::vector<std::string>& changes, const log::logger& log) {
    std::vector<Ptr> out;
    out.reserve(next.size());
    for (std::size_t i = 0; i < next.size(); ++i) {
        if (i < plan.kept.size() && plan.kept[i]) {
            out.push_back(std::move(plan.kept[i]));
            continue;
        }
        const Config& c = next[i];
        const bool ran = plan.ran.count(c.id) > 0;
        try {
            out.push_back(rules.make(c));
            changes.push_back(rules.kind + " " + c.id + " " + (ran ? rules.moved : "added"));
        } catch (const std::exception& e) {
            log.error(rules.kind + " " + c.id + ": " + e.what(), {{"PIOGATE_CHANNEL", c.id}});
            if (ran) changes.push_back(rules.kind + " " + c.id + " stopped: " + e.what());
        }
    }
    return out;
}

template <class Ptr, class Config>
std::vector<Ptr> reconcile(std::vector<Ptr>& running, const std::vector<Config>& next,
                           const reconcile_rules<Ptr, Config>& rules,
                           std::vector<std::string>& changes, const log::logger& log) {
    return make_missing(release_unkept(running, next, rules, changes), next, rules, changes, log);
}

}  // namespace piogate::app
