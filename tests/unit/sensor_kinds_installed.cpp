// Every unit test loads configs as piogate does: with the app's sensor and channel kinds installed
// (main() does the same before its first config::load_config).
#include "app/channel_kinds/registry.hpp"
#include "app/sensor_kinds/registry.hpp"
// SPDX-License-Identifier: Apache-2.0
namespace {
const bool installed = [] {
    piogate::app::install_sensor_kinds();
    piogate::app::install_channel_kinds();
    return true;
}();
}  // namespace
