// DHT11 / DHT22 (AM2302) humidity and temperature sensors through the kernel's dht11 IIO
// driver (dtoverlay=dht11,gpiopin=N; the driver reads both models and names the device
// "dht11", e.g. "dht11@4"). The driver bit-bangs a 4 ms exchange per read; a read often fails
// with EIO (checksum or missed edge) or ETIMEDOUT (no answer), and the sensor needs at least
// 2 s between exchanges (the driver returns its cached values for 2 s after a good read).
//
// attempt(): reads in_temp_input and in_humidityrelative_input (one exchange, the second read
//   is served from the driver's cache): "temperature" °C, "humidity" %RH. A failed exchange
//   (EIO: checksum or missed edge; ETIMEDOUT: no answer) answers measure_result::again(2.1 s)
//   so the channel asks again within its interval; a call sooner than 2 s after a failed
//   exchange answers again(the rest of the 2 s) without touching the sensor. Never a value
//   from a failed exchange. Values outside the model's range (DHT11 0..50 °C in the
//   datasheet, accepted -5..60 °C; DHT22 -40..80 °C; both 0..100 %RH) are out_of_range.
//
// Thread: open(), measure() and attempt() block on sysfs: call them on a worker.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "hw/sensor.hpp"

namespace piogate::hw {

enum class dht_model { dht11, dht22 };

struct dht_sensor_config {
    dht_model model = dht_model::dht22;
    std::string device = "dht11";  // the IIO device: name, "iio:deviceN" or path
};

class dht_sensor final : public sensor {
public:
    using clock = std::function<std::chrono::steady_clock::time_point()>;
    // `now`: the time source (steady_clock::now by default; tests inject one).
    dht_sensor(std::filesystem::path root, dht_sensor_config config, clock now = {});
    const std::string& type() const override { return type_; }  // "dht11" / "dht22"
    util::result<void> open() override;
    // One exchange; a failure that attempt() would retry is an io_error / timeout here.
    util::result<reading> measure() override;
    // What the channel calls: one exchange, or "again" as described above.
    measure_result attempt() override;

private:
    std::filesystem::path root_;
    dht_sensor_config config_;
    std::filesystem::path dir_;
    std::string type_;
    clock now_;
    std::optional<std::chrono::steady_clock::time_point> failed_at_;  // last failed exchange
};

// The least time between two exchanges with a DHT sensor.
inline constexpr std::chrono::milliseconds dht_min_read_gap{2000};
// A retry waits this long: the gap plus a margin for timer and worker latency.
inline constexpr std::chrono::milliseconds dht_retry_delay{2100};

// Before an exchange: how long to wait first, 0 = go (pure). `since_failed` is the time since
// the last failed exchange (nullopt: none, or a good one since: the driver's cache answers).
std::chrono::milliseconds dht_wait_before_read(
    std::optional<std::chrono::milliseconds> since_failed);
// After a failed exchange: dht_retry_delay for the driver's transient failures (io_error from
// EIO, timeout from ETIMEDOUT), nullopt (report it) for anything else (pure).
std::optional<std::chrono::milliseconds> dht_retry_after(const util::error& failure);

}  // namespace piogate::hw
