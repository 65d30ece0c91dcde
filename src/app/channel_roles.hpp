// The roles a channel may play in the gateway's local rules and interlocks, whatever its kind:
// the run-time side of the roles its config entries declare (config::entry_facts:
// binary_source, switchable). A channel that plays one returns itself from
// channel::as_binary_source() / as_switchable() (channel.hpp); the gateway finds the channels
// of a role by id through those (ids are unique per role across kinds: config::check_role_ids),
// so a new kind that rules may read or drive needs no edit in the gateway.
//
// Thread: the event loop's. Nothing here throws: a channel logs and publishes its own failures.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <chrono>
#include <functional>
#include <optional>
#include <string>

namespace piogate::app {

// Reports ON/OFF: a rule's "input" may name it (GPIO inputs).
class binary_source {
public:
    using change_fn = std::function<void(bool level)>;
    // `callback` is called after each published level change (not for the first level read
    // at start), replacing any callback set before; empty: none. The gateway sets it after
    // the channels were (re)built.
    virtual void on_level_change(change_fn callback) = 0;
    // The level last read (true: ON).
    virtual bool level() const = 0;

protected:
    ~binary_source() = default;
};

// An on/off output: a rule's "actuator" and an interlock group may name it (GPIO outputs).
class switchable {
public:
    // The state it is in now (true: ON).
    virtual bool state() const = 0;
    // Switches to `target` (and back after `pulse`, when given), as a command on its topic
    // does: an interlock it is in is asked before switching ON. Returns why it was refused
    // (the interlock, or the output failed), empty when done; the channel logs and publishes
    // a refusal itself (its error topic), the caller need not.
    virtual std::string switch_to(bool target, std::optional<std::chrono::milliseconds> pulse) = 0;

protected:
    ~switchable() = default;
};

}  // namespace piogate::app
