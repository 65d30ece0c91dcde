#include "app/sensor_channel.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <ctime>
#include <nlohmann/json.hpp>

#include "app/filters/reading_json.hpp"
#include "app/filters/sensor_decimals.hpp"
#include "log/log.hpp"

namespace piogate::app {
using namespace std::chrono_literals;

namespace {
const log::logger sensor_log("sensor");
}

std::string iso8601_utc(std::chrono::system_clock::time_point t) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch());
    const std::time_t secs = static_cast<std::time_t>(ms.count() / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[96];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                  static_cast<int>(ms.count() % 1000));
    return buf;
}

sensor_channel::sensor_channel(util::scheduler& time, channel_host& host,
                               config::sensor_config config, sensor_driver driver,
                               hw::i2c_worker& worker)
    : host_(host),
      config_(std::move(config)),
      source_(std::move(driver.source)),
      sensor_(std::move(driver.sensor)),
      worker_(worker),
      time_(time),
      timer_(time.make_timer()),
      chain_(config_.filters, filters::sensor_decimals(config_)),
      filter_(config_.deadband, config_.heartbeat),
      retry_(1s, 60s) {}

void sensor_channel::start() {
    open();
}

void sensor_channel::retire() {
    retired_ = true;
    timer_->cancel();
}

void sensor_channel::open() {
    busy_ = true;
    hw::sensor* sensor = sensor_.get();
    worker_.submit([sensor] { return sensor->open(); },
                   [self = shared_from_this()](util::result<void> r) {
                       self->busy_ = false;
                       if (self->retired_) return;
                       if (!r) {
                           self->fail(r.err().message);
                           self->schedule(self->retry_.next(), false);
                           return;
                       }
                       self->schedule(0ms, true);
                   });
}

void sensor_channel::schedule(std::chrono::milliseconds delay, bool measure_next, bool again) {
    timer_->wait_for(delay, [self = shared_from_this(), measure_next, again] {
        if (self->retired_) return;
        if (measure_next) {
            self->measure(again);
        } else {
            self->open();
        }
    });
}

void sensor_channel::measure(bool again) {
    if (busy_) return;
    busy_ = true;
    if (!again) cycle_start_ = time_.now();
    hw::sensor* sensor = sensor_.get();
    worker_.submit(
        [sensor] { return sensor->attempt(); },
        [self = shared_from_this()](hw::measure_result r) {
            self->busy_ = false;
            if (self->retired_) return;
            const auto now = self->time_.now();
            const auto next_cycle = self->cycle_start_ + self->config_.interval;
            const auto until_next = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::max(next_cycle - now, std::chrono::steady_clock::duration{}));
            if (r.is_again() && (r.is_converting() || now + r.retry_after() < next_cycle)) {
                // Still within this interval, or a conversion running: wait for it (past the
                // interval if it takes longer; the driver bounds its polls).
                self->schedule(r.retry_after(), true, true);
                return;
            }
            if (r.is_again()) {
                // Out of retries for this interval: report why, measure at the next.
                self->fail(r.err().message);
                self->schedule(until_next, true);
                return;
            }
            if (!r) {
                self->fail(r.err().message);
                self->schedule(std::min(self->retry_.next(), self->config_.interval), true);
                return;
            }
            self->publish(*r);
            self->schedule(until_next, true);
        });
}

void sensor_channel::publish(const hw::reading& r) {
    const std::string topic = host_.prefix() + "/sensors/" + config_.id;
    if (failing_) {
        failing_ = false;
        retry_.reset();
        sensor_log.info("sensor " + config_.id + " recovered", {{"PIOGATE_CHANNEL", config_.id}});
        host_.publish(topic + "/error", "", 1, true);  // clears the retained error
        host_.health_changed();
    }
    // source -> filters -> rounding -> (local rules) -> deadband/heartbeat -> MQTT
    // (app/filters/reading_chain.hpp)
    const auto now = time_.now();
    const auto filtered = chain_.apply(r, now);
    if (!filtered) return;
    host_.on_reading(config_.id, *filtered);  // the local rules see every filtered reading
    if (!filter_.admit(*filtered, now)) return;
    const std::string payload = filters::reading_json(
        *filtered, [this](const std::string& q) { return chain_.decimals(q); },
        iso8601_utc(std::chrono::system_clock::now()));
    host_.publish_reading({topic, payload, config_.qos, config_.retain});
}

void sensor_channel::fail(const std::string& reason) {
    if (!failing_) {
        sensor_log.warning("sensor " + config_.id + ": " + reason,
                           {{"PIOGATE_CHANNEL", config_.id}});
        host_.publish(host_.prefix() + "/sensors/" + config_.id + "/error", reason, 1, true);
        failing_ = true;
        host_.health_changed();
    }
}

}  // namespace piogate::app
