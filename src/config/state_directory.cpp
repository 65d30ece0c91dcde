#include "config/state_directory.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <cstdlib>

namespace piogate::config {

std::string state_directory() {
    const char* dir = std::getenv("STATE_DIRECTORY");
    std::string base = dir && *dir ? std::string(dir) : std::string("/var/lib/piogate");
    if (auto colon = base.find(':'); colon != std::string::npos) base.resize(colon);
    while (base.size() > 1 && base.back() == '/') base.pop_back();
    return base;
}

std::string state_file_path(const std::string& name) {
    return state_directory() + "/" + name;
}

}  // namespace piogate::config
