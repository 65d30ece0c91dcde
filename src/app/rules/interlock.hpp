// Interlocks, pure: groups of actuators of which at most one is ON, with an optional dead time
// between one member going OFF and another member going ON (see config/interlock_config.hpp).
//
// The caller asks check() before it switches an actuator and reports every change it made
// with changed(); nothing here touches a line or a clock. A command that check() refuses is
// refused, not delayed: it changes nothing and its sender hears why (see README "Interlocks").
// Switching OFF is always allowed; an actuator in no group is never refused; the dead time
// holds back the *other* members only (the one that went OFF may go ON again at once).
//
// Thread: any, one at a time (no locking). Throws nothing beyond std::bad_alloc.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "config/interlock_config.hpp"

namespace piogate::app::rules {

using time_point = std::chrono::steady_clock::time_point;

class interlock {
public:
    explicit interlock(std::vector<config::interlock_config> groups = {});

    struct decision {
        bool allowed = true;
        // Refused only for the dead time: how long until it would be allowed (else 0).
        std::chrono::milliseconds wait{0};
        std::string reason;  // why refused, naming the other actuator; empty when allowed
    };
    // May actuator `id` switch to `on` at `now`?
    decision check(const std::string& id, bool on, time_point now) const;
    // Actuator `id` is now `on` (applied at `now`, whatever switched it).
    void changed(const std::string& id, bool on, time_point now);
    // Members that are ON while an earlier member of one of their groups is ON too (after a
    // reload made a new group of actuators that were on): the caller switches these OFF.
    std::vector<std::string> excess_on() const;

    // A reload's new groups; the known states and dead times stay.
    void regroup(std::vector<config::interlock_config> groups) { groups_ = std::move(groups); }
    bool guards(const std::string& id) const;
    const std::vector<config::interlock_config>& groups() const { return groups_; }

private:
    std::vector<config::interlock_config> groups_;
    std::map<std::string, bool> on_;
    std::map<std::string, time_point> off_at_;
};

}  // namespace piogate::app::rules
