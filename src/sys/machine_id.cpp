#include "sys/machine_id.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <systemd/sd-id128.h>

namespace piogate::sys {

std::optional<std::string> app_specific_machine_id() {
    sd_id128_t app;
    if (sd_id128_from_string(piogate_app_id, &app) < 0) return std::nullopt;
    sd_id128_t id;
    if (sd_id128_get_machine_app_specific(app, &id) < 0) return std::nullopt;
    char text[SD_ID128_STRING_MAX];
    return std::string(sd_id128_to_string(id, text));
}

}  // namespace piogate::sys
