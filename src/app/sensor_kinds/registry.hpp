// The sensor kinds: one table, in app/sensor_kinds/registry.cpp.
//
// Contract of a kind (one file in app/sensor_kinds/, see app/sensor_kind.hpp): it defines
// `const app::sensor_kind& <name>_kind()` in namespace piogate::app::kinds, returning a
// static descriptor that
//   - names itself ("type" in the config) and its source (i2c_sensor_kind, sysfs_sensor_kind);
//   - reads its own keys from the entry (read_options(); any other key is refused as unknown,
//     with its JSON path) into a settings struct compared by value on reload;
//   - lists its quantities with unit, datasheet resolution and Home Assistant mapping;
//   - builds its driver over its source, and, when it has one, its simulated I2C chip and its
//     --scan-i2c probe.
// Adding a kind: that one file, plus its one line in the table in registry.cpp.
//
// Thread: the table is built on first use and read-only afterwards.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <string>
#include <vector>

#include "app/sensor_kind.hpp"

namespace piogate::app {

// Every kind, in the order a bad "type" lists them.
const std::vector<const sensor_kind*>& sensor_kinds();

// nullptr when no kind has this name.
const sensor_kind* find_sensor_kind(const std::string& name);

// The kind of a parsed entry; throws std::logic_error for an entry not read with the table.
const sensor_kind& kind_of(const config::sensor_config& c);

// Hands the table to the config loader (config::install_sensor_kinds): call once before
// loading a config (main; the tests' main).
void install_sensor_kinds();

}  // namespace piogate::app
