// The files app::preflight checks for the MQTT connection: the password file and the TLS CA,
// certificate and key files (when TLS is enabled). Each must be a regular, readable file
// within its bound (config/bounded_file.hpp: password 4 KiB, TLS files 4 MiB), so /dev/zero,
// a directory or a huge file is refused by --check-config and at start-up alike (exit 2).
//
// A file that does not exist yet is only warned about (log domain "config"): credentials are
// often provisioned by another unit after boot, and start-up then fails with exit 1, which
// systemd retries, instead of 2, which it does not.
//
// Thread: any. Errors: config::config_error naming the key's JSON path.
#pragma once

#include "config/config.hpp"

namespace piogate::app {

void check_mqtt_files(const config::mqtt_config& mqtt);

}  // namespace piogate::app
