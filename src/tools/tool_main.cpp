#include "tool_main.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <cstdio>
#include <string>

namespace piogate::tools {

int report(std::string_view program, exit_code code, std::string_view text) {
    std::fflush(stdout);  // keep printed messages ahead of the error when both go to a terminal
    std::fprintf(stderr, "%.*s: %.*s\n", static_cast<int>(program.size()), program.data(),
                 static_cast<int>(text.size()), text.data());
    return code;
}

std::string connect_error_text(const mqtt::connect_error& e) {
    // std::system_error's what() is "<detail>: <code message>"; the detail says it all.
    std::string text = e.what();
    const std::string suffix = ": " + e.code().message();
    if (text.size() > suffix.size() && text.ends_with(suffix))
        text.resize(text.size() - suffix.size());
    return text;
}

int guarded_main(std::string_view program, const std::function<int()>& body) {
    try {
        return body();
    } catch (const usage_error& e) {
        return report(program, exit_usage, std::string("error: ") + e.what());
    } catch (const std::invalid_argument& e) {
        return report(program, exit_usage, std::string("error: ") + e.what());
    } catch (const mqtt::connect_error& e) {
        return report(program, exit_failure, "Connection error: " + connect_error_text(e));
    } catch (const std::exception& e) {
        return report(program, exit_failure, std::string("error: ") + e.what());
    }
}

}  // namespace piogate::tools
