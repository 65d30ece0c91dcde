// Test fixture: a real mosquitto broker (Debian 2.0.x) on free loopback ports.
//
// Each mosquitto_broker owns a fresh temp dir holding mosquitto.conf,
// mosquitto.log (mosquitto's log plus its stdout/stderr) and, with tls, the
// certificates generated for it with the openssl CLI (EC P-256, ~40 ms).
// The broker runs as a child process of the test; it is killed by SIGKILL if
// the thread that started it dies (PR_SET_PDEATHSIG), so a crashed test does
// not leave stray brokers behind: create brokers on a thread that outlives them.
// Not thread-safe: use one object from one thread at a time.
//
// Environment: PIOGATE_MOSQUITTO overrides the mosquitto binary (default: PATH,
// then /usr/sbin); PIOGATE_KEEP_BROKER_DIR=1 keeps the temp dir for debugging.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <sys/types.h>

#include <cstdint>
#include <string>

namespace piogate::test {

struct broker_options {
    bool tls = false;  // also open a TLS listener (server cert for DNS:localhost, IP:127.0.0.1)
    bool require_client_cert = false;  // TLS listener requires a client cert signed by the test CA
    bool foreign_server_name = false;  // server cert names only DNS:broker.example (host name checks fail)
    // Also open a plain websockets listener (ws_port()). mosquitto 2.0.11 passes neither the
    // listener's address nor bind_interface to libwebsockets: this one listens on ALL
    // interfaces (checked with ss and a connect to the machine's other address), on a random
    // port for the test's lifetime. So does the secure one.
    bool websockets = false;
    bool tls_websockets = false;  // also a websockets listener with TLS (wss_port(); needs tls)
    bool unix_socket = false;     // also a Unix-domain socket listener at socket_path()
    bool tcp_nodelay = true;  // mosquitto "set_tcp_nodelay"
    // Appended verbatim to mosquitto.conf, after the listeners. The plain TCP
    // listener is the last one, so listener-scoped options (max_connections,
    // mount_point, ...) apply to it; global options apply everywhere.
    std::string extra_config{};  // "{}": GCC 12 -Wextra warns on designated init otherwise
};

class mosquitto_broker {
public:
    // Creates the temp dir, generates certs (if tls), writes the config, starts
    // mosquitto and waits (<= 5 s) until all listeners accept. Picks new ports
    // and retries if another process grabbed one meanwhile. Throws
    // std::runtime_error (including mosquitto's log) on failure.
    explicit mosquitto_broker(broker_options opts = {});
    // Stops the broker (SIGTERM, SIGKILL after 3 s) and removes the temp dir.
    ~mosquitto_broker();
    mosquitto_broker(const mosquitto_broker&) = delete;
    mosquitto_broker& operator=(const mosquitto_broker&) = delete;

    std::uint16_t port() const { return port_; }          // plain TCP listener on 127.0.0.1
    std::uint16_t tls_port() const { return tls_port_; }  // 0 if no TLS
    std::uint16_t ws_port() const { return ws_port_; }    // 0 if no websockets
    std::uint16_t wss_port() const { return wss_port_; }  // 0 if no tls_websockets
    std::string socket_path() const;                      // dir()/mosquitto.sock
    const std::string& dir() const { return dir_; }       // the temp dir
    std::string conf_file() const;                        // dir()/mosquitto.conf

    // Certificate/key paths (PEM); empty strings when tls is false.
    std::string ca_file() const;        // CA that signed the server and client certs
    std::string other_ca_file() const;  // an unrelated CA ("unknown CA is refused")
    std::string client_cert_file()
        const;  // client cert (CN=piogate-test-client) signed by ca_file()
    std::string client_key_file() const;

    std::string log() const;  // mosquitto's log file so far (all start()s)

    pid_t pid() const { return pid_; }  // -1 when not started
    bool running();                     // started and not exited (reaps an exited broker)

    void stop();    // SIGTERM + wait (SIGKILL after 3 s); no-op if not running; ports are kept
    void start();   // start again on the SAME ports, waits until accepting; throws if running
    void kill();    // SIGKILL + wait (abnormal broker death); no-op if not running
    void pause();   // SIGSTOP: the broker stops answering (sockets stay open)
    void resume();  // SIGCONT

private:
    void generate_certs() const;
    void write_config() const;
    bool launch();  // false if a listener port was taken; throws on other failures
    void signal_and_wait(int sig);

    broker_options opts_;
    std::string dir_;
    std::string mosquitto_path_;
    std::uint16_t port_ = 0;
    std::uint16_t tls_port_ = 0;
    std::uint16_t ws_port_ = 0;
    std::uint16_t wss_port_ = 0;
    pid_t pid_ = -1;
};

// A port that was free on 127.0.0.1 a moment ago (bind to port 0, read it, close).
std::uint16_t free_loopback_port();

}  // namespace piogate::test
