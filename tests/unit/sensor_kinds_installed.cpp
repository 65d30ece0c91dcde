// Every unit test loads configs as piogate does: with the app's sensor kinds installed
// (main() does the same before its first config::load_config).
#include "app/sensor_kinds/registry.hpp"
// SPDX-License-Identifier: Apache-2.0
namespace {
const bool installed = [] {
    piogate::app::install_sensor_kinds();
    return true;
}();
}  // namespace
