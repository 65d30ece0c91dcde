// One configured sensor: opened and measured on its source's worker (the I2C bus's, the sysfs
// one) at its interval, the reading published as PREFIX/sensors/ID (JSON, one member per
// quantity + "ts") through the deadband/heartbeat filter; failures logged once per streak,
// reported retained on PREFIX/sensors/ID/error, retried with backoff and cleared on recovery.
// A driver that answers "again" (hw::measure_result::again) is asked again after the delay it
// names, within the same interval: nothing is published for it unless the next attempt would
// fall at or after the next interval's start, when its reason is reported as the error. A
// conversion in progress (hw::measure_result::converting) is waited for even past the interval
// start, without an error: the cycle stretches, and the next starts when the reading is in.
//
// Thread: the event loop's; the sensor's I/O runs on the worker. Owned through a shared_ptr
// so that a job in flight keeps the channel alive after `retire()` (on reload or stop);
// a retired channel publishes nothing more.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <memory>

#include "app/channel.hpp"
#include "app/channel_host.hpp"
#include "app/filters/reading_chain.hpp"
#include "app/report_filter.hpp"
#include "app/sensor_kind.hpp"
#include "config/sensor_config.hpp"
#include "hw/i2c_worker.hpp"
#include "hw/sensor.hpp"
#include "util/backoff.hpp"
#include "util/scheduler.hpp"

namespace piogate::app {

class sensor_channel final : public channel, public std::enable_shared_from_this<sensor_channel> {
public:
    // `worker` runs the driver's blocking calls; it must outlive the channel's jobs. `time`
    // gives the intervals, retries and the heartbeat's clock; it must outlive the channel.
    sensor_channel(util::scheduler& time, channel_host& host, config::sensor_config config,
                   sensor_driver driver, hw::i2c_worker& worker);

    void start() override;
    // Publishes nothing more (reload, shutdown); a job in flight finishes unseen.
    void retire();

    // channel
    const std::string& id() const override { return config_.id; }
    void stop(stop_pass pass) override {
        if (pass == stop_pass::save) retire();
    }
    bool failing() const override { return failing_; }

    const config::sensor_config& config() const { return config_; }

private:
    void open();
    void schedule(std::chrono::milliseconds delay, bool measure_next, bool again = false);
    void measure(bool again = false);
    void publish(const hw::reading& r);
    void fail(const std::string& reason);

    channel_host& host_;
    config::sensor_config config_;
    std::shared_ptr<void> source_;  // the sensor refers to it (its I2C bus)
    std::unique_ptr<hw::sensor> sensor_;
    hw::i2c_worker& worker_;
    util::scheduler& time_;
    std::unique_ptr<util::timer> timer_;
    filters::reading_chain chain_;  // filters and rounding, before the deadband
    report_filter filter_;
    util::backoff retry_;
    util::steady_time cycle_start_;  // of the interval being measured
    bool busy_ = false;
    bool failing_ = false;
    bool retired_ = false;
};

// "2026-11-25T12:00:00.123Z" for a system_clock time.
std::string iso8601_utc(std::chrono::system_clock::time_point t);

}  // namespace piogate::app
