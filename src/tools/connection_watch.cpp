#include "connection_watch.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <cstdio>

#include "tool_main.hpp"

namespace piogate::tools {
namespace {

const char* level_name(mqtt::log_level level) {
    switch (level) {
        case mqtt::log_level::debug:
            return "debug";
        case mqtt::log_level::info:
            return "info";
        case mqtt::log_level::notice:
            return "notice";
        case mqtt::log_level::warning:
            return "warning";
        case mqtt::log_level::error:
            return "error";
    }
    return "log";
}

}  // namespace

connection_watch::connection_watch(std::string_view program, mqtt::client& c, bool debug)
    : program_(program) {
    c.on_log = [this, debug](mqtt::client&, std::any&, mqtt::log_level level,
                             std::string_view text) {
        if (level == mqtt::log_level::warning || level == mqtt::log_level::error)
            last_problem_ = text;
        if (debug)
            std::fprintf(stderr, "%s: %s: %.*s\n", program_.c_str(), level_name(level),
                         static_cast<int>(text.size()), text.data());
    };
    // flags.cause is only the error code; the library logs the detail just before.
    c.on_disconnect = [this](mqtt::client& c, std::any&, const mqtt::disconnect_flags& flags,
                             mqtt::reason_code, const mqtt::properties&) {
        const std::error_code reason = flags.cause;
        if (reason != mqtt::errc::disconnected_by_user) {
            report(program_, exit_failure,
                   "error: " + (last_problem_.empty() ? reason.message() : last_problem_));
            failed_ = true;
            c.disconnect();  // no reconnect: loop_forever() returns
        }
        if (on_end) on_end();
    };
}

}  // namespace piogate::tools
