#include "app/preflight_files.hpp"

#include "config/bounded_file.hpp"
#include "log/log.hpp"

namespace piogate::app {
namespace {

const log::logger config_log("config");

template <class Read>
void check(const std::string& path, const std::string& pointer, Read read) {
    if (path.empty()) return;
    try {
        read();
    } catch (const config::file_error& e) {
        if (!e.missing()) throw config::config_error(pointer, e.what());
        config_log.warning(pointer + ": " + e.what() +
                           "; piogate cannot connect to the broker until it exists");
    }
}

}  // namespace

void check_mqtt_files(const config::mqtt_config& m) {
    check(m.password_file, "/mqtt/password_file",
          [&] { (void)config::read_password_file(m.password_file); });
    if (!m.tls.enabled) return;
    for (const auto& [path, key] :
         {std::pair{&m.tls.ca_file, "ca_file"}, std::pair{&m.tls.cert_file, "cert_file"},
          std::pair{&m.tls.key_file, "key_file"}}) {
        check(*path, std::string("/mqtt/tls/") + key,
              [&] { config::check_bounded_file(*path, config::max_tls_file_bytes); });
    }
}

}  // namespace piogate::app
