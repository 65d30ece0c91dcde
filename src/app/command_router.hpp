// Routes the commands of one kind of output (PREFIX/actuators/ID/set, PREFIX/pwm/ID/set) to its
// channel by id. Anyone may publish there: commands for an id no channel has are logged through
// one rate-limited key for the kind ("commands for unknown actuators"), the topic clipped
// (app/limited_log.hpp: the count of the suppressed ones follows on the injected scheduler).
//
// Thread: the event loop's. Lifetime: the router must outlive the links it subscribed (their
// callbacks refer to it); the gateway's channel groups, which hold the routers, do.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <functional>
#include <string>

#include "app/mqtt_link.hpp"
#include "util/scheduler.hpp"

namespace piogate::app {

class command_router {
public:
    // Sent a command for the channel `id`; false when no channel has that id.
    using route_fn = std::function<bool(const std::string& id, const mqtt::message& m)>;

    // `noun`: the kind in the log lines, "actuator", "pwm output". `time` must outlive this.
    command_router(util::scheduler& time, std::string noun, route_fn route);

    // Subscribes `link` (QoS 1) to `filter`, whose topics end in "/ID/set", and routes them.
    void subscribe(mqtt_link& link, const std::string& filter);

private:
    void on_message(const mqtt::message& m);

    util::scheduler& time_;
    std::string noun_;
    route_fn route_;
};

}  // namespace piogate::app
