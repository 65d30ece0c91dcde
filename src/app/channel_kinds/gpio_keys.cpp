#include "app/channel_kinds/gpio_keys.hpp"
// SPDX-License-Identifier: Apache-2.0
namespace piogate::app {

config::line_claim read_gpio_line(config::object_reader& r) {
    config::line_claim l;
    l.chip = r.get_string("chip", std::string());
    l.line = r.get_string("line");
    if (l.line.empty())
        r.fail("line", "must not be empty (a line name like \"GPIO17\", or an offset)");
    return l;
}

std::string read_gpio_bias(config::object_reader& r) {
    const std::vector<std::string> biases{"as_is", "disabled", "pull_up", "pull_down"};
    return biases[r.get_choice("bias", biases, 0)];
}

bool read_on_off(config::object_reader& r, const char* key, bool fallback) {
    return r.get_choice(key, {"OFF", "ON"}, fallback ? 1 : 0) == 1;
}

}  // namespace piogate::app
