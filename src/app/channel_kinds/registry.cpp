#include "app/channel_kinds/registry.hpp"
// SPDX-License-Identifier: Apache-2.0

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

}  // namespace piogate::app
