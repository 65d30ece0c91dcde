#include "hw/sysfs/dht_sensor.hpp"

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

dht_sensor::dht_sensor(std::filesystem::path root, dht_sensor_config config)
    : root_(std::move(root)),
      config_(std::move(config)),
      type_(config_.model == dht_model::dht11 ? "dht11" : "dht22") {}

util::result<void> dht_sensor::open() {
    auto dir = find_iio_device(root_, config_.device);
    if (!dir) return util::error{dir.err().code, type_ + ": " + dir.err().message};
    dir_ = *dir;
    return {};
}

util::result<reading> dht_sensor::measure() {
    const std::string where = type_ + " (" + dir_.filename().string() + ")";
    if (dir_.empty()) return hw_fail(hw_errc::not_found, type_ + ": not opened");
    auto t = read_iio_measurement(dir_, "temp");
    if (!t) return util::error{t.err().code, where + ": " + t.err().message};
    auto h = read_iio_measurement(dir_, "humidityrelative");
    if (!h) return util::error{h.err().code, where + ": " + h.err().message};
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

std::optional<std::chrono::milliseconds> dht_retry_after(
    const util::error& failure, int retries_made, std::chrono::milliseconds until_next_read) {
    const bool transient = failure.code == make_error_code(hw_errc::io_error) ||
                           failure.code == make_error_code(hw_errc::timeout);
    constexpr auto after = dht_min_read_gap + std::chrono::milliseconds(100);
    if (!transient || retries_made >= dht_max_retries) return std::nullopt;
    if (until_next_read < after + dht_min_read_gap) return std::nullopt;
    return after;
}

}  // namespace piogate::hw
