// What a channel (sensor, input, actuator) needs from the gateway that owns it: the topic
// prefix, two ways to publish, and the sensors' readings for the local rules.
// Thread: the event loop's.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <string>

#include "app/outage_buffer.hpp"
#include "hw/sensor.hpp"

namespace piogate::app {

class channel_host {
public:
    virtual ~channel_host() = default;
    virtual const std::string& prefix() const = 0;
    // State, error and status messages: straight to the client (it queues them while
    // offline, bounded by mqtt.max_queued).
    virtual void publish(const std::string& topic, const std::string& payload, int qos,
                         bool retain) = 0;
    // Readings: through the outage buffer while the broker is unreachable, so that they go
    // out later, oldest first, with their original timestamps.
    virtual void publish_reading(buffered_message m) = 0;
    // Sensor `id` read `values`: after its filters and rounding, before the deadband and
    // heartbeat, so every reading is seen here, published or not (source -> filters ->
    // local rules, and -> deadband -> publish_reading). Called before publish_reading for
    // the same reading. Default: nobody listens.
    virtual void on_reading(const std::string& id, const hw::reading& values) {
        (void)id;
        (void)values;
    }
    // A channel started or stopped failing (for the STATUS= line).
    virtual void health_changed() = 0;
};

}  // namespace piogate::app
