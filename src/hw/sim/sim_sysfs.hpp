// The simulated board's sysfs: a directory tree laid out as the kernel's drivers lay out
// theirs, so the sysfs readers (hw/sysfs/) run on the simulated board unchanged, pointed at the
// tree's root instead of "/":
//   sys/bus/w1/devices/w1_bus_master1, <ROM id>/{temperature|w1_slave, resolution}
//   sys/bus/iio/devices/iio:deviceN/{name, in_temp_input, in_humidityrelative_input,
//       in_pressure_input, in_illuminance_input, in_voltageM_raw + in_voltage_scale}
//   sys/class/hwmon/hwmonN/{name, <channel>_input, <channel>_label}
//   sys/class/thermal/thermal_zoneN/{type, temp}
// Values are given in published units (°C, %RH, hPa, lx, V, A, W, RPM) and written in the
// kernel's (m°C, milli-%RH, kPa, mV, mA, µW). Each follows a wave: base + amplitude *
// sin(2π t / period), so the demo looks alive; time is injected (update(t)).
//
// Faults, as a real device shows them: a DHT (iio "dht11") with fail_one_in = N fails about one
// second in N: its value files then fail to read with EIO exactly as the driver's do (they are
// symlinks to /proc/self/mem, whose offset 0 is never mapped: read(2) returns EIO in whichever
// process reads). A w1 probe can read 85.000 °C (power_on) or "crc=.. NO" (crc).
// A w1 probe's resolution file is honoured: its temperature is rounded to 9..12 bits.
//
// Every file is written atomically (a temporary file, then rename(2)), so a reader never sees a
// half-written value. Blocking file I/O: call from the thread that owns the simulation (the
// board's timer on the event loop: small files, no fsync).
// Errors: the constructor throws std::runtime_error (with the path) if the tree cannot be
// made; update() returns false after a failed write (the demo keeps running).
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace piogate::hw {

struct sim_wave {
    double base = 0;
    double amplitude = 0;
    std::chrono::milliseconds period{600000};
    double at(std::chrono::milliseconds t) const;

    bool operator==(const sim_wave&) const = default;
};

struct sim_w1_probe {
    enum class fault_t { none, power_on, crc };
    std::string rom;  // "28-0316a2794aff"
    sim_wave temperature{21.5};
    bool w1_slave_only = false;  // an older kernel: no temperature / resolution files
    fault_t fault = fault_t::none;

    bool operator==(const sim_w1_probe&) const = default;
};

struct sim_iio_device {
    std::string name;                          // "dht11", "bmp280", "ads1015"
    std::map<std::string, sim_wave> channels;  // "temp" °C, "humidityrelative" %RH,
                                               // "pressure" hPa, "illuminance" lx, "voltage0" V
    int fail_one_in = 0;                       // about one second in N reads fail with EIO

    bool operator==(const sim_iio_device&) const = default;
};

struct sim_hwmon_device {
    std::string name;                           // "rpi_volt", "ina3221"
    std::map<std::string, sim_wave> channels;   // "temp1" °C, "in0" V, "curr1" A, "power1" W,
                                                // "fan1" RPM
    std::map<std::string, std::string> labels;  // "temp1" -> "board"

    bool operator==(const sim_hwmon_device&) const = default;
};

struct sim_thermal_zone {
    std::string type = "cpu-thermal";
    sim_wave temperature{48.0, 4.0, std::chrono::milliseconds(120000)};

    bool operator==(const sim_thermal_zone&) const = default;
};

struct sim_sysfs_config {
    std::vector<sim_w1_probe> w1;
    std::vector<sim_iio_device> iio;
    std::vector<sim_hwmon_device> hwmon;
    std::vector<sim_thermal_zone> thermal;

    bool operator==(const sim_sysfs_config&) const = default;
};

class sim_sysfs {
public:
    // Makes the tree under `root` (created if missing) and writes the values for t = 0.
    sim_sysfs(std::filesystem::path root, sim_sysfs_config config);

    const std::filesystem::path& root() const { return root_; }
    // Writes every value for time `t` since the simulation started. false: a write failed.
    bool update(std::chrono::milliseconds t);
    // Whether `device` (fail_one_in > 0) fails its reads at `t`: one-second slots, chosen by
    // a hash of the slot number, so a test can ask instead of guessing.
    bool failing(const sim_iio_device& device, std::chrono::milliseconds t) const;

    // Writes `text` to `file` through a temporary and rename(2). Throws std::runtime_error.
    static void write_atomic(const std::filesystem::path& file, const std::string& text);

private:
    void write_w1(const sim_w1_probe& probe, std::chrono::milliseconds t);
    void write_iio(std::size_t index, std::chrono::milliseconds t);
    void write_hwmon(std::size_t index, std::chrono::milliseconds t);
    void write_thermal(std::size_t index, std::chrono::milliseconds t);

    std::filesystem::path root_;
    sim_sysfs_config config_;
};

// The 8-byte-plus-CRC scratchpad a DS18B20 would hold at `celsius` (12-bit), as w1_slave
// prints it: "72 01 4b 46 7f ff 0e 10 57". Exposed for tests.
std::string sim_w1_scratchpad(double celsius);

}  // namespace piogate::hw
