// The gateway: sensors read on their intervals (on the buses' I2C workers) and published to
// MQTT, availability on PREFIX/status. Runs entirely on one io_context thread.
//
// Topics: PREFIX/sensors/ID (JSON: one member per quantity + "ts", UTC ISO 8601 with ms),
// PREFIX/sensors/ID/error (a short reason while the sensor fails; cleared when it recovers),
// PREFIX/status ("online" retained on connect; "offline" retained on stop and as the will).
// Errors: the constructor throws std::runtime_error for start-up problems (a bus that cannot
// be opened, an unreadable password file); at run time failures are logged once per streak,
// published on the error topic and retried with backoff.
#pragma once

#include <boost/asio/io_context.hpp>
#include <functional>
#include <memory>

#include "app/board.hpp"
#include "config/config.hpp"

namespace piogate::app {

class gateway {
public:
    gateway(boost::asio::io_context& io, const config::piogate_config& config, board& hardware);
    ~gateway();
    void start();
    // Publishes "offline", disconnects (flushing what is queued), then calls `done`; bounded.
    void stop(std::function<void()> done);

    struct impl;

private:
    std::unique_ptr<impl> impl_;
};

// "2026-11-25T12:00:00.123Z" for a system_clock time.
std::string iso8601_utc(std::chrono::system_clock::time_point t);

}  // namespace piogate::app
