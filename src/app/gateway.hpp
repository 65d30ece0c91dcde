// The gateway: sensors read on their intervals (on the buses' I2C workers) and published to
// MQTT, inputs and actuators on GPIO, availability on PREFIX/status, an outage buffer for
// readings made while the broker is unreachable. Runs entirely on one io_context thread.
//
// Topics: PREFIX/sensors/ID (JSON: one member per quantity + "ts", UTC ISO 8601 with ms),
// PREFIX/sensors/ID/error (a short reason while the sensor fails; cleared when it recovers),
// PREFIX/inputs/ID, PREFIX/actuators/ID/{set,state,error}, PREFIX/status ("online" retained
// on connect; "offline" retained on stop and as the will).
//
// Errors: the constructor throws std::runtime_error for start-up problems (a bus or line that
// cannot be opened, an unreadable password file, a buffer file that cannot be created). At
// run time failures are logged once per streak, published on the error topics and retried.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <boost/asio/io_context.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "app/board.hpp"
#include "app/mqtt_link.hpp"
#include "config/config.hpp"
#include "util/scheduler.hpp"

namespace piogate::app {

class channel_group_kind;

// What the gateway runs on besides the io_context, for tests to replace: its clock and timers
// (the channels' and its own), its MQTT link and the kinds of channel it runs. The defaults are
// production's.
struct gateway_environment {
    util::scheduler* time = nullptr;  // nullptr: the real steady clock on the io_context
    mqtt_link_factory make_link;      // empty: make_mqtt_link (an mqtt::async_client)
    // The kinds it builds, reloads, subscribes, lists and counts, in that order; nullptr: the
    // app's table (channel_kinds/registry.hpp). A test adds a kind of its own this way (its
    // config section read through a config::channel_kind_table it installed). Home Assistant
    // discovery maps the app's table's kinds whatever this is.
    const std::vector<const channel_group_kind*>* kinds = nullptr;
};

class gateway {
public:
    // `env.time` and `env.kinds`, when given, must outlive the gateway.
    gateway(boost::asio::io_context& io, const config::piogate_config& config, board& hardware,
            gateway_environment env = {});
    ~gateway();
    void start();
    // Applies a new, already validated config without a restart: MQTT reconnects only when
    // its settings changed; channels whose config did not change keep running (outputs keep
    // their line and level); changed ones are rebuilt. The board section must be unchanged
    // (the caller checks). Returns a one-line summary of what changed. A channel that fails to
    // come up is logged and left out; nothing throws.
    std::string reload(const config::piogate_config& next);
    // Failsafe outputs, "offline", DISCONNECT (flushing what is queued), then `done`; bounded.
    void stop(std::function<void()> done);
    // Called with a one-line state (broker, channel counts, buffer) whenever it changes; for
    // systemd's STATUS=.
    void on_status(std::function<void(const std::string&)> callback);

    struct impl;

private:
    std::unique_ptr<impl> impl_;
};

}  // namespace piogate::app
