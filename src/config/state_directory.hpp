// Where piogate keeps what must survive a restart (the outage buffer, actuator states, counter
// totals): systemd's StateDirectory= as $STATE_DIRECTORY (its first entry when systemd lists
// several, ':'-separated), else /var/lib/piogate.
//
// Thread: any (reads the environment). Throws nothing.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <string>

namespace piogate::config {

// The directory, without a trailing '/'.
std::string state_directory();

// state_directory() + "/" + name.
std::string state_file_path(const std::string& name);

}  // namespace piogate::config
