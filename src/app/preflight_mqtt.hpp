// The MQTT part of app::preflight: the files the connection needs, then the client itself.
//
// Files: the password file and the TLS CA, certificate and key files (when TLS is enabled)
// must be regular, readable and within their bounds (config/bounded_file.hpp: password 4 KiB,
// TLS files 4 MiB), so /dev/zero, a directory or a huge file is refused by --check-config and
// at start-up alike (exit 2). A file that does not exist yet is only warned about (log domain
// "config"): credentials are often provisioned by another unit after boot, and start-up then
// fails with exit 1 (a missing password file) or the connection fails and is retried (a
// missing TLS file), which systemd and the client retry, where 2 would stop the retries.
//
// Client: when every file exists, the gateway's MQTT client is built from the config the way
// start-up builds it (app::client_options_of, mqtt::async_client) and dropped at once; nothing
// connects. So what the client refuses at start-up, a CA file that holds no certificate, a
// key that does not match its certificate, is refused here with the key's JSON path.
//
// Thread: any (builds a private io_context). Errors: config::config_error with the JSON path.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include "config/mqtt_config.hpp"

namespace piogate::app {

void check_mqtt(const config::mqtt_config& mqtt);

}  // namespace piogate::app
