#include "config/sensor_kind.hpp"
// SPDX-License-Identifier: Apache-2.0
namespace piogate::config {
namespace {
const sensor_kind_table* installed = nullptr;
}

void install_sensor_kinds(const sensor_kind_table& kinds) {
    installed = &kinds;
}

const sensor_kind_table& installed_sensor_kinds() {
    if (!installed) {
        throw std::logic_error("no sensor kinds installed: call app::install_sensor_kinds() first");
    }
    return *installed;
}

const sensor_kind* find_sensor_kind(const std::string& name) {
    for (const auto* k : installed_sensor_kinds()) {
        if (k->name() == name) return k;
    }
    return nullptr;
}

}  // namespace piogate::config
