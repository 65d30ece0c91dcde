#include "app/preflight_mqtt.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <boost/asio/io_context.hpp>

#include "app/gateway_client.hpp"
#include "config/bounded_file.hpp"
#include "log/log.hpp"
#include "piogate/mqtt/async_client.hpp"

namespace piogate::app {
namespace {

const log::logger config_log("config");

// Runs `read`; false (with a warning) when the file is missing, throws when it is unusable.
template <class Read>
bool check_file(const std::string& path, const std::string& pointer, Read read) {
    if (path.empty()) return true;
    try {
        read();
        return true;
    } catch (const config::file_error& e) {
        if (!e.missing()) throw config::config_error(pointer, e.what());
        config_log.warning(pointer + ": " + e.what() +
                           "; piogate cannot connect to the broker until it exists");
        return false;
    }
}

// The key a client construction error is about, from the TLS loader's wording
// ("TLS CA file '/etc/piogate/ca.pem': no certificate or crl found").
std::string pointer_of(const std::string& message) {
    if (message.rfind("TLS CA file", 0) == 0) return "/mqtt/tls/ca_file";
    if (message.rfind("TLS certificate", 0) == 0) return "/mqtt/tls/cert_file";
    if (message.rfind("TLS private key", 0) == 0) return "/mqtt/tls/key_file";
    if (message.rfind("TLS", 0) == 0) return "/mqtt/tls";
    return "/mqtt";
}

}  // namespace

void check_mqtt(const config::mqtt_config& m) {
    bool all_there = check_file(m.password_file, "/mqtt/password_file",
                                [&] { (void)config::read_password_file(m.password_file); });
    if (const auto& p = m.transport.proxy) {
        all_there &= check_file(p->password_file, "/mqtt/proxy/password_file",
                                [&] { (void)config::read_password_file(p->password_file); });
    }
    if (m.tls.enabled) {
        for (const auto& [path, key] :
             {std::pair{&m.tls.ca_file, "ca_file"}, std::pair{&m.tls.cert_file, "cert_file"},
              std::pair{&m.tls.key_file, "key_file"}}) {
            all_there &= check_file(*path, std::string("/mqtt/tls/") + key, [&] {
                config::check_bounded_file(*path, config::max_tls_file_bytes);
            });
        }
    }
    if (!all_there) return;  // start-up (or the connection) fails later, and is retried
    try {
        boost::asio::io_context io;
        mqtt::async_client probe(io, client_options_of(m));
    } catch (const std::exception& e) {
        throw config::config_error(pointer_of(e.what()), e.what());
    }
}

}  // namespace piogate::app
