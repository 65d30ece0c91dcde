// Test helper: a shell command run in the background, its output (stdout and stderr) read
// line by line through popen(). The destructor waits for the command to end (pclose): give
// commands a bound of their own (mosquitto_sub -C/-W).
// Not thread-safe: one object from one thread.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <unistd.h>

#include <cstdio>
#include <stdexcept>
#include <string>

namespace piogate::test {

class shell_command {
public:
    explicit shell_command(const std::string& cmd) : pipe_(::popen((cmd + " 2>&1").c_str(), "r")) {
        if (!pipe_) throw std::runtime_error("cannot run " + cmd);
    }
    ~shell_command() {
        if (pipe_) ::pclose(pipe_);
    }
    shell_command(const shell_command&) = delete;
    shell_command& operator=(const shell_command&) = delete;

    // The next line without its '\n'; false at the end of the output.
    bool line(std::string& out) {
        out.clear();
        for (int c; (c = std::fgetc(pipe_)) != EOF;) {
            if (c == '\n') return true;
            out += static_cast<char>(c);
        }
        return !out.empty();
    }

private:
    FILE* pipe_;
};

// The path of a mosquitto client tool (mosquitto_pub, mosquitto_sub).
inline std::string tool_path(const char* name) {
    for (const char* dir : {"/usr/bin/", "/usr/local/bin/"}) {
        const std::string p = std::string(dir) + name;
        if (::access(p.c_str(), X_OK) == 0) return p;
    }
    return name;
}

}  // namespace piogate::test
