#include "app/channel_kinds/registry.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <algorithm>

namespace piogate::app {

// The table: one line per kind (declared in registry.hpp, defined in channel_kinds/<kind>.cpp),
// in the order of the announcements.
const std::vector<const channel_group_kind*>& channel_group_kinds() {
    static const std::vector<const channel_group_kind*> table = {
        &kinds::gpio_input_kind(),       // inputs: PREFIX/inputs/ID
        &kinds::gpio_output_kind(),      // actuators: PREFIX/actuators/ID/state, .../set
        &kinds::sensor_channels_kind(),  // sensors: PREFIX/sensors/ID
        &kinds::pwm_output_kind(),       // PWM outputs: PREFIX/pwm/ID/state, .../set
        &kinds::pulse_counter_kind(),    // pulse counters: PREFIX/counters/ID
    };
    return table;
}

void install_channel_kinds() {
    static const config::channel_kind_table table = [] {
        config::channel_kind_table t;
        for (const auto* k : channel_group_kinds()) {
            if (const auto* c = k->config_kind()) t.push_back(c);
        }
        return t;
    }();
    config::install_channel_kinds(table);
}

std::string channel_counts(const config::piogate_config& cfg) {
    auto kinds = channel_group_kinds();
    std::stable_sort(kinds.begin(), kinds.end(), [](const auto* a, const auto* b) {
        return a->status().rank < b->status().rank;
    });
    std::string out;
    for (const auto* k : kinds) {
        const std::size_t n = k->count(cfg);
        if (n == 0 && !k->status().always) continue;
        out += (out.empty() ? "" : ", ") + std::to_string(n) + " " + k->status().singular +
               (n == 1 ? "" : "s");  // as on the status line
    }
    return out;
}

}  // namespace piogate::app
