// What both tools' main() share: one-line error reports and the exception-to-exit-status map.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <functional>
#include <string_view>

#include "cli_options.hpp"
#include "piogate/mqtt/error.hpp"

namespace piogate::tools {

// Prints "<program>: <text>" as one line on stderr and returns `code`.
int report(std::string_view program, exit_code code, std::string_view text);

// What a connect_error says without the error category's restatement: for a refusal
// "connection refused: not authorized", for DNS "cannot resolve 'x': Host not found ...".
std::string connect_error_text(const mqtt::connect_error& e);

// Runs `body` and maps what escapes it to one line and an exit status:
//   usage_error, std::invalid_argument (the library rejected an argument) -> exit_usage,
//   mqtt::connect_error -> "Connection error: ..." and exit_failure,
//   any other std::exception (unreadable file, TLS files) -> exit_failure.
int guarded_main(std::string_view program, const std::function<int()>& body);

}  // namespace piogate::tools
