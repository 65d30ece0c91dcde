// Test fixture: a real proxy (Debian's tinyproxy for HTTP CONNECT, microsocks for SOCKS5) on
// a free loopback port, started as a child process of the test.
//
// Each proxy_process owns a fresh temp dir holding its config (tinyproxy) and proxy.log (its
// log, stdout and stderr). The child is killed by SIGKILL if the thread that started it dies
// (PR_SET_PDEATHSIG): create proxies on a thread that outlives them. Not thread-safe: one
// object, one thread at a time. PIOGATE_KEEP_PROXY_DIR=1 keeps the temp dir for debugging.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace piogate::test {

enum class proxy_program : std::uint8_t {
    tinyproxy,   // HTTP CONNECT; Allow 127.0.0.1 only
    microsocks,  // SOCKS5 (RFC 1928), username/password (RFC 1929) when a username is set
};

struct proxy_process_options {
    proxy_program program = proxy_program::tinyproxy;
    // tinyproxy BasicAuth / microsocks -u -P. Without them the proxy asks for nothing.
    std::optional<std::string> username{};
    std::optional<std::string> password{};
    // tinyproxy only: the ports CONNECT may reach (ConnectPort); empty: any port.
    std::vector<std::uint16_t> connect_ports{};
};

class proxy_process {
public:
    // Writes the config, starts the proxy on a free 127.0.0.1 port and waits (<= 5 s) until
    // it accepts connections; picks another port if that one was taken meanwhile. Throws
    // std::runtime_error (with the proxy's log) when the program is missing or does not start.
    explicit proxy_process(proxy_process_options opts);
    // SIGTERM, SIGKILL after 3 s; removes the temp dir.
    ~proxy_process();
    proxy_process(const proxy_process&) = delete;
    proxy_process& operator=(const proxy_process&) = delete;

    std::uint16_t port() const { return port_; }  // listening on 127.0.0.1
    const std::string& dir() const { return dir_; }
    std::string log() const;  // the proxy's log so far
    pid_t pid() const { return pid_; }

private:
    bool launch();  // false when the port was taken or it did not come up
    void stop();

    proxy_process_options opts_;
    std::string dir_;
    std::uint16_t port_ = 0;
    pid_t pid_ = -1;
};

}  // namespace piogate::test
