// One channel of the gateway, whatever its kind (a sensor, a GPIO input, a GPIO output, a PWM
// output, a pulse counter): what the gateway does to every channel alike, so that start,
// announce, the broker's comings and goings, shutdown and the status line are one loop each
// over one ordered list (gateway_impl.hpp: `channels`). Every hook's default does nothing.
// The roles a channel plays in local rules and interlocks (channel_roles.hpp) are found through
// as_binary_source() / as_switchable(), never by its kind or class.
//
// Thread: the event loop's. The hooks do not throw: a channel logs and publishes its own
// failures (channel_host).
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <string>

namespace piogate::app {

class binary_source;
class switchable;

// Shutdown runs in passes, each over every channel before the next begins.
enum class stop_pass {
    save,     // stop measuring; hand what must survive (commanded states) to the writer
    release,  // outputs whose failsafe state is OFF go there
    engage,   // then the failsafe states that switch something ON (interlock partners are
              // OFF by now), the PWM failsafe duties, the counters' last totals
};

class channel {
public:
    virtual ~channel() = default;

    virtual const std::string& id() const = 0;

    // The gateway has begun connecting: timers, the first measurement.
    virtual void start() {}
    // Connected (again, or reloaded while connected): the channel's retained state.
    virtual void announce() {}
    // The broker became unreachable / reachable again (failsafe_after timers). broker_lost()
    // comes again at each failed connect round of the same outage, and at once to a channel
    // a reload makes during one: only the first since broker_back() (or since the channel
    // was made) may start anything.
    virtual void broker_lost() {}
    virtual void broker_back() {}
    virtual void stop(stop_pass pass) { (void)pass; }
    // Failing now (a sensor whose last attempt failed): counted on the status line.
    virtual bool failing() const { return false; }
    // The channel as a rule's "input" (a binary source) / as a rule's "actuator" and an
    // interlock member (switchable), or nullptr when it plays no such role. A channel returns
    // non-null exactly when its config entry's facts declare the role (config::entry_facts).
    virtual binary_source* as_binary_source() { return nullptr; }
    virtual switchable* as_switchable() { return nullptr; }
};

}  // namespace piogate::app
