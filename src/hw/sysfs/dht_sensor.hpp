// DHT11 / DHT22 (AM2302) humidity and temperature sensors through the kernel's dht11 IIO
// driver (dtoverlay=dht11,gpiopin=N; the driver reads both models and names the device
// "dht11", e.g. "dht11@4"). The driver bit-bangs a 4 ms exchange per read; a read often fails
// with EIO (checksum or missed edge) or ETIMEDOUT (no answer), and the sensor needs at least
// 2 s between exchanges (the driver returns its cached values for 2 s after a good read).
//
// measure(): reads in_temp_input and in_humidityrelative_input (one exchange, the second read
//   is served from the driver's cache): "temperature" °C, "humidity" %RH. A failed exchange is
//   an error whose code is hw_errc::io_error (EIO) or hw_errc::timeout (ETIMEDOUT): "try again
//   in 2 s" (see dht_retry_after), never a value. Values outside the model's range (DHT11
//   0..50 °C in the datasheet, accepted -5..60 °C; DHT22 -40..80 °C; both 0..100 %RH) are
//   out_of_range.
//
// Thread: open() and measure() block on sysfs: call them on a worker.
#pragma once

#include <chrono>
#include <filesystem>
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
    dht_sensor(std::filesystem::path root, dht_sensor_config config);
    const std::string& type() const override { return type_; }  // "dht11" / "dht22"
    util::result<void> open() override;
    util::result<reading> measure() override;

private:
    std::filesystem::path root_;
    dht_sensor_config config_;
    std::filesystem::path dir_;
    std::string type_;
};

// The least time between two exchanges with a DHT sensor.
inline constexpr std::chrono::milliseconds dht_min_read_gap{2000};
// Retries of one interval's reading, at most.
inline constexpr int dht_max_retries = 3;

// Whether a failed DHT reading is tried again before the next scheduled one, and when: after
// dht_min_read_gap (plus 100 ms of margin) for an io_error or a timeout, as long as fewer than
// dht_max_retries were made and the retry leaves the gap before the next scheduled read
// (`until_next_read`); nullopt (publish the error) otherwise. Pure.
std::optional<std::chrono::milliseconds> dht_retry_after(const util::error& failure,
                                                         int retries_made,
                                                         std::chrono::milliseconds until_next_read);

}  // namespace piogate::hw
