// The user tool `piogate --scan-w1`: the 1-Wire probes the kernel's w1 drivers found
// (<sysfs root>/sys/bus/w1/devices), each with its ROM id, model and one reading, so a user can
// copy the ROM id into the config. Runs at start-up time on the calling thread (blocking reads
// are fine: no event loop runs yet; a DS18B20 conversion takes up to 750 ms per probe).
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <filesystem>
#include <ostream>

namespace piogate::app {

// Prints every probe and its temperature (or why it cannot be read). Returns the number of
// probes, or -1 when there is no 1-Wire bus master at all (the w1-gpio overlay is not loaded),
// after printing nothing.
int scan_w1(const std::filesystem::path& sysfs_root, std::ostream& out);

}  // namespace piogate::app
