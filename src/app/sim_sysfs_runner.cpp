#include "app/sim_sysfs_runner.hpp"
// SPDX-License-Identifier: Apache-2.0
#include "log/log.hpp"

namespace piogate::app {

namespace {

hw::sim_wave wave(const config::sim_wave_config& w) {
    return {w.value, w.amplitude,
            std::chrono::milliseconds(static_cast<std::int64_t>(w.period_s * 1000.0))};
}

std::map<std::string, hw::sim_wave> waves(const std::map<std::string, config::sim_wave_config>& m) {
    std::map<std::string, hw::sim_wave> out;
    for (const auto& [name, w] : m) out[name] = wave(w);
    return out;
}

}  // namespace

hw::sim_sysfs_config to_sim_sysfs(const config::sim_sysfs_section& s) {
    hw::sim_sysfs_config c;
    for (const auto& p : s.w1) {
        hw::sim_w1_probe probe{p.rom, wave(p.temperature), p.w1_slave_only, {}};
        if (p.fault == "power_on") probe.fault = hw::sim_w1_probe::fault_t::power_on;
        if (p.fault == "crc") probe.fault = hw::sim_w1_probe::fault_t::crc;
        c.w1.push_back(std::move(probe));
    }
    for (const auto& d : s.iio) c.iio.push_back({d.name, waves(d.channels), d.fail_one_in});
    for (const auto& d : s.hwmon) c.hwmon.push_back({d.name, waves(d.channels), d.labels});
    for (const auto& z : s.thermal) c.thermal.push_back({z.type, wave(z.temperature)});
    return c;
}

sim_sysfs_runner::sim_sysfs_runner(util::scheduler& time, const std::filesystem::path& root,
                                   const config::sim_sysfs_section& section)
    : tree_(root, to_sim_sysfs(section)),
      time_(time),
      start_(time.now()),
      timer_(time.make_timer()) {
    arm();
}

void sim_sysfs_runner::arm() {
    timer_->wait_for(tick, [this] {
        const auto t = std::chrono::duration_cast<std::chrono::milliseconds>(time_.now() - start_);
        const bool ok = tree_.update(t);
        if (!ok && !failing_) {
            log::logger("sim").warning("simulated sysfs: updating " + tree_.root().string() +
                                       " failed; the values stay as they were");
        }
        failing_ = !ok;
        arm();
    });
}

}  // namespace piogate::app
