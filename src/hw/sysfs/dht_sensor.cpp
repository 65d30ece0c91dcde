#include "hw/sysfs/dht_sensor.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <cstdio>

#include "hw/hw_error.hpp"
#include "hw/sysfs/iio_device.hpp"

namespace piogate::hw {

namespace {

struct dht_limits {
    double t_min, t_max, h_min, h_max;
};
// DHT11: 0..50 °C and 20..90 %RH per the datasheet; clones read a little beyond, so the
// humidity margin is wide. DHT22: -40..80 °C, 0..100 %RH.
constexpr dht_limits dht11_limits{-5, 60, 0, 100};
constexpr dht_limits dht22_limits{-40, 80, 0, 100};

std::string number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    return buf;
}

}  // namespace

dht_sensor::dht_sensor(std::filesystem::path root, dht_sensor_config config, clock now)
    : root_(std::move(root)),
      config_(std::move(config)),
      type_(config_.model == dht_model::dht11 ? "dht11" : "dht22"),
      now_(now ? std::move(now) : clock([] { return std::chrono::steady_clock::now(); })) {}

util::result<void> dht_sensor::open() {
    auto dir = find_iio_device(root_, config_.device);
    if (!dir) return util::error{dir.err().code, type_ + ": " + dir.err().message};
    dir_ = *dir;
    return {};
}

measure_result dht_sensor::attempt() {
    using std::chrono::milliseconds;
    const std::string where = type_ + " (" + dir_.filename().string() + ")";
    if (dir_.empty()) return hw_fail(hw_errc::not_found, type_ + ": not opened");
    const auto now = now_();
    std::optional<milliseconds> since_failed;
    if (failed_at_) since_failed = std::chrono::duration_cast<milliseconds>(now - *failed_at_);
    if (const auto wait = dht_wait_before_read(since_failed); wait.count() > 0) {
        return measure_result::again(wait, where + ": the last exchange failed less than 2 s ago");
    }
    auto failed = [&](const util::error& e) -> measure_result {
        const util::error named{e.code, where + ": " + e.message};
        if (auto retry = dht_retry_after(named)) {
            failed_at_ = now;
            return measure_result::again(*retry, named.message);
        }
        return named;
    };
    auto t = read_iio_measurement(dir_, "temp");
    if (!t) return failed(t.err());
    auto h = read_iio_measurement(dir_, "humidityrelative");
    if (!h) return failed(h.err());
    failed_at_.reset();
    const auto& lim = config_.model == dht_model::dht11 ? dht11_limits : dht22_limits;
    if (t->value < lim.t_min || t->value > lim.t_max) {
        return hw_fail(hw_errc::out_of_range, where + ": " + number(t->value) +
                                                  " °C is outside the sensor's range " +
                                                  number(lim.t_min) + ".." + number(lim.t_max));
    }
    if (h->value < lim.h_min || h->value > lim.h_max) {
        return hw_fail(hw_errc::out_of_range,
                       where + ": " + number(h->value) + " %RH is outside 0..100");
    }
    return reading{std::move(*t), std::move(*h)};
}

util::result<reading> dht_sensor::measure() {
    auto r = attempt();
    if (!r.is_again()) return r;
    return hw_fail(hw_errc::io_error, r.err().message);
}

std::chrono::milliseconds dht_wait_before_read(
    std::optional<std::chrono::milliseconds> since_failed) {
    if (!since_failed || *since_failed >= dht_min_read_gap) return std::chrono::milliseconds(0);
    return dht_min_read_gap - *since_failed;
}

std::optional<std::chrono::milliseconds> dht_retry_after(const util::error& failure) {
    const bool transient = failure.code == make_error_code(hw_errc::io_error) ||
                           failure.code == make_error_code(hw_errc::timeout);
    if (!transient) return std::nullopt;
    return dht_retry_delay;
}

}  // namespace piogate::hw
