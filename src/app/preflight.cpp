#include "app/preflight.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <set>

#include "app/board.hpp"
#include "app/buffer_file.hpp"
#include "app/channel_kinds/registry.hpp"
#include "app/preflight_gpio.hpp"
#include "app/preflight_mqtt.hpp"
#include "app/preflight_paths.hpp"

namespace piogate::app {
namespace {

// A sensor on a bus the simulated board does not have fails start-up; say so at its "bus".
void check_sim_buses(const config::piogate_config& config) {
    if (config.board.kind != config::board_config::kind_t::sim) return;
    std::set<std::string> buses;
    std::string known;
    for (const auto& b : config.board.i2c) {
        buses.insert(bus_key(b.bus));
        known += (known.empty() ? "" : ", ") + b.bus;
    }
    for (const auto& s : config.sensors) {
        if (s.kind && s.kind->source() != config::sensor_source::i2c) continue;  // no bus
        if (buses.count(bus_key(s.bus))) continue;
        throw config::config_error(s.path + "/bus", "I2C bus " + s.bus +
                                                        " is not on the simulated board (it has: " +
                                                        (known.empty() ? "none" : known) + ")");
    }
}

}  // namespace

void preflight(const config::piogate_config& config) {
    try {
        check_mqtt(config.mqtt);
        check_gpio_lines(config);
        check_sim_buses(config);
        // The buffer file must be piogate's own: never used, so never truncated, otherwise.
        if (config.buffer.persist) check_buffer_file(config.buffer.file);
        // The same for each kind's state files ("initial": "restore", the counters' totals).
        for (const auto* kind : channel_group_kinds()) kind->preflight(config);
        check_state_paths(config);  // each of those files where this process may write it
    } catch (const config::config_error& e) {
        if (config.file.empty()) throw;
        throw config::config_error::in_file(config.file, e);
    }
}

}  // namespace piogate::app
