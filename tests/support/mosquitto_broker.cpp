#include "support/mosquitto_broker.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "util/unique_fd.hpp"

namespace piogate::test {
namespace {

using steady = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr auto start_timeout = 5s;
constexpr auto stop_timeout = 3s;
constexpr int launch_attempts = 5;

[[noreturn]] void throw_errno(const std::string& what) {
    throw std::system_error(errno, std::generic_category(), what);
}

using util::unique_fd;

// Contents of `path` from byte `offset` on; empty if the file does not exist.
std::string read_file(const std::string& path, std::streamoff offset = 0) {
    std::ifstream in(path, std::ios::binary);
    if (!in || !in.seekg(offset)) return {};
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

void write_file(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) throw std::runtime_error("cannot write " + path);
}

std::streamoff file_size(const std::string& path) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    return ec ? 0 : static_cast<std::streamoff>(size);
}

// `env_var` if set, else the first executable `name` in $PATH or the sbin dirs
// (Debian installs mosquitto in /usr/sbin, which is not in a user's PATH).
std::string find_program(const std::string& name, const char* env_var) {
    if (const char* path = std::getenv(env_var); path != nullptr && *path != '\0') return path;
    const char* env_path = std::getenv("PATH");
    std::istringstream dirs(std::string(env_path != nullptr ? env_path : "") +
                            ":/usr/local/sbin:/usr/sbin:/sbin:/usr/local/bin:/usr/bin");
    for (std::string dir; std::getline(dirs, dir, ':');) {
        const std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
        if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    }
    throw std::runtime_error(name + " not found in PATH or /usr/sbin (set " + env_var + ")");
}

std::string describe_status(int status) {
    if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status)) return "was killed by signal " + std::to_string(WTERMSIG(status));
    return "ended with wait status " + std::to_string(status);
}

// Reaps `pid` if it exits within `timeout`: returns true and stores its wait
// status in `*status` (0 if it was reaped elsewhere). Returns false otherwise.
bool wait_exit(pid_t pid, std::chrono::milliseconds timeout, int* status = nullptr) {
    const auto deadline = steady::now() + timeout;
    for (;;) {
        int st = 0;
        const pid_t r = ::waitpid(pid, &st, WNOHANG);
        if (r == pid || (r < 0 && errno == ECHILD)) {
            if (status != nullptr) *status = r == pid ? st : 0;
            return true;
        }
        if (r < 0 && errno != EINTR) throw_errno("waitpid");
        if (steady::now() >= deadline) return false;
        std::this_thread::sleep_for(1ms);
    }
}

// Starts `argv` (argv[0] is a path) with stdin from /dev/null, stdout and
// stderr appended to `out_path`, no other inherited fds, default signal
// handling, and SIGKILL when the calling thread dies. Throws if exec fails.
pid_t spawn(const std::vector<std::string>& argv, const std::string& out_path) {
    std::vector<char*> args;
    for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);

    const unique_fd out(::open(out_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600));
    if (out.get() < 0) throw_errno("open " + out_path);
    const unique_fd null(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    if (null.get() < 0) throw_errno("open /dev/null");
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw_errno("pipe2");
    const unique_fd err_read(fds[0]);
    unique_fd err_write(fds[1]);

    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid < 0) throw_errno("fork");
    if (pid == 0) {  // child: async-signal-safe calls only
        const auto fail = [&] {
            const int e = errno;
            [[maybe_unused]] const ssize_t n = ::write(err_write.get(), &e, sizeof e);
            ::_exit(127);
        };
        if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) fail();
        if (::getppid() != parent) ::_exit(127);  // parent already gone
        sigset_t none;
        ::sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        struct sigaction dfl {};
        dfl.sa_handler = SIG_DFL;
        for (int sig = 1; sig < NSIG; ++sig)
            ::sigaction(sig, &dfl, nullptr);  // EINVAL for some: fine
        if (::dup2(null.get(), 0) < 0 || ::dup2(out.get(), 1) < 0 || ::dup2(out.get(), 2) < 0)
            fail();
        ::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);  // best effort (Linux >= 5.11)
        ::execv(args[0], args.data());
        fail();
    }
    err_write.reset();
    int child_errno = 0;
    ssize_t n;
    do n = ::read(err_read.get(), &child_errno, sizeof child_errno);
    while (n < 0 && errno == EINTR);
    if (n > 0) {
        ::waitpid(pid, nullptr, 0);
        errno = child_errno;
        throw_errno("cannot start " + argv[0]);
    }
    return pid;
}

// Runs a short-lived tool to completion; throws with its output on failure.
void run_tool(const std::vector<std::string>& argv, const std::string& out_path) {
    const pid_t pid = spawn(argv, out_path);
    int status = 0;
    if (!wait_exit(pid, 10s, &status)) {
        ::kill(pid, SIGKILL);
        wait_exit(pid, 10s);
        throw std::runtime_error(argv[0] + " timed out; output:\n" + read_file(out_path));
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        throw std::runtime_error(argv[0] + " " + argv[1] + " " + describe_status(status) +
                                 "; output:\n" + read_file(out_path));
}

// A TCP socket bound to 127.0.0.1:0, and the port it got.
std::pair<unique_fd, std::uint16_t> bind_loopback_port() {
    unique_fd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (fd.get() < 0) throw_errno("socket");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0)
        throw_errno("bind 127.0.0.1:0");
    socklen_t len = sizeof addr;
    if (::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&addr), &len) != 0)
        throw_errno("getsockname");
    return {std::move(fd), ntohs(addr.sin_port)};
}

// True once mosquitto logged "mosquitto version X running" (all listeners open).
bool startup_complete(std::string_view log) {
    for (auto pos = log.find("mosquitto version "); pos != std::string_view::npos;
         pos = log.find("mosquitto version ", pos + 1)) {
        const auto line = log.substr(pos, log.find('\n', pos) - pos);
        if (line.ends_with(" running")) return true;
    }
    return false;
}

bool port_taken(std::string_view log) {
    return log.find("Address already in use") != std::string_view::npos ||
           log.find("Unable to create websockets listener") != std::string_view::npos;
}

// Extension sections for `openssl req -x509 -config`; independent of the
// system openssl.cnf (whose v3_ca would mark every cert as a CA).
constexpr const char* openssl_config = R"(
[req]
distinguished_name = dn
prompt = no
[dn]
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[server]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = @SAN@
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[client]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
)";

}  // namespace

std::uint16_t free_loopback_port() {
    return bind_loopback_port().second;
}

mosquitto_broker::mosquitto_broker(broker_options opts)
    : opts_(std::move(opts)), mosquitto_path_(find_program("mosquitto", "PIOGATE_MOSQUITTO")) {
    const char* tmp = std::getenv("TMPDIR");
    std::string templ =
        std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/piogate-mosquitto-XXXXXX";
    if (::mkdtemp(templ.data()) == nullptr) throw_errno("mkdtemp " + templ);
    dir_ = templ;
    try {
        if (opts_.tls_websockets && !opts_.tls)
        throw std::invalid_argument("mosquitto_broker: tls_websockets needs tls");
    if (opts_.tls) generate_certs();
        for (int attempt = 1;; ++attempt) {
            // Hold all sockets until every port is chosen so they are distinct.
            auto plain = bind_loopback_port();
            auto tls =
                opts_.tls ? bind_loopback_port() : std::pair{unique_fd(-1), std::uint16_t{0}};
            auto ws = opts_.websockets ? bind_loopback_port()
                                       : std::pair{unique_fd(-1), std::uint16_t{0}};
            auto wss = opts_.tls_websockets ? bind_loopback_port()
                                            : std::pair{unique_fd(-1), std::uint16_t{0}};
            port_ = plain.second;
            tls_port_ = tls.second;
            ws_port_ = ws.second;
            wss_port_ = wss.second;
            plain.first.reset();
            tls.first.reset();
            ws.first.reset();
            wss.first.reset();
            write_config();
            if (launch()) break;
            if (attempt == launch_attempts)
                throw std::runtime_error("mosquitto: listener ports kept being taken; log:\n" +
                                         log());
        }
    } catch (...) {
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
        throw;
    }
}

mosquitto_broker::~mosquitto_broker() {
    try {
        stop();
    } catch (...) {
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
    }
    const char* keep = std::getenv("PIOGATE_KEEP_BROKER_DIR");
    if (keep == nullptr || std::string_view(keep) != "1") {
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }
}

std::string mosquitto_broker::conf_file() const {
    return dir_ + "/mosquitto.conf";
}
std::string mosquitto_broker::socket_path() const {
    return dir_ + "/mosquitto.sock";
}
std::string mosquitto_broker::ca_file() const {
    return opts_.tls ? dir_ + "/ca.crt" : "";
}
std::string mosquitto_broker::other_ca_file() const {
    return opts_.tls ? dir_ + "/other_ca.crt" : "";
}
std::string mosquitto_broker::client_cert_file() const {
    return opts_.tls ? dir_ + "/client.crt" : "";
}
std::string mosquitto_broker::client_key_file() const {
    return opts_.tls ? dir_ + "/client.key" : "";
}
std::string mosquitto_broker::log() const {
    return read_file(dir_ + "/mosquitto.log");
}

bool mosquitto_broker::running() {
    if (pid_ < 0) return false;
    if (!wait_exit(pid_, 0ms)) return true;
    pid_ = -1;
    return false;
}

void mosquitto_broker::stop() {
    signal_and_wait(SIGTERM);
}
void mosquitto_broker::kill() {
    signal_and_wait(SIGKILL);
}

void mosquitto_broker::start() {
    if (running()) throw std::logic_error("mosquitto_broker::start: already running");
    if (!launch()) throw std::runtime_error("mosquitto: a listener port is taken; log:\n" + log());
}

void mosquitto_broker::pause() {
    if (pid_ < 0) throw std::logic_error("mosquitto_broker::pause: not running");
    if (::kill(pid_, SIGSTOP) != 0) throw_errno("kill SIGSTOP");
    int status = 0;
    while (::waitpid(pid_, &status, WUNTRACED) < 0)
        if (errno != EINTR) throw_errno("waitpid");
    if (!WIFSTOPPED(status)) {
        pid_ = -1;
        throw std::runtime_error("mosquitto " + describe_status(status) + " instead of pausing");
    }
}

void mosquitto_broker::resume() {
    if (pid_ < 0) throw std::logic_error("mosquitto_broker::resume: not running");
    if (::kill(pid_, SIGCONT) != 0) throw_errno("kill SIGCONT");
}

void mosquitto_broker::generate_certs() const {
    const std::string openssl = find_program("openssl", "PIOGATE_OPENSSL");
    const std::string conf = dir_ + "/openssl.cnf";
    const std::string out = dir_ + "/openssl.log";
    std::string config_text = openssl_config;
    const std::string san = opts_.foreign_server_name ? "DNS:broker.example" : "DNS:localhost, IP:127.0.0.1";
    config_text.replace(config_text.find("@SAN@"), 5, san);
    write_file(conf, config_text);
    const auto make_cert = [&](const std::string& name, const std::string& cn,
                               const std::string& section, const std::string& issuer) {
        std::vector<std::string> argv{openssl,
                                      "req",
                                      "-x509",
                                      "-config",
                                      conf,
                                      "-extensions",
                                      section,
                                      "-newkey",
                                      "ec",
                                      "-pkeyopt",
                                      "ec_paramgen_curve:P-256",
                                      "-noenc",
                                      "-keyout",
                                      dir_ + "/" + name + ".key",
                                      "-out",
                                      dir_ + "/" + name + ".crt",
                                      "-subj",
                                      "/CN=" + cn,
                                      "-days",
                                      "7"};
        if (!issuer.empty())
            argv.insert(argv.end(), {"-CA", issuer + ".crt", "-CAkey", issuer + ".key"});
        run_tool(argv, out);
    };
    make_cert("ca", "piogate-test-ca", "ca", "");
    make_cert("other_ca", "piogate-other-ca", "ca", "");
    make_cert("server", "localhost", "server", dir_ + "/ca");
    make_cert("client", "piogate-test-client", "client", dir_ + "/ca");
}

void mosquitto_broker::write_config() const {
    std::ostringstream c;
    c << "# generated by piogate::test::mosquitto_broker\n"
      << "per_listener_settings false\n"
      << "allow_anonymous true\n"
      << "persistence false\n"
      << "# as root, mosquitto would switch to user mosquitto before opening the log\n"
      << "# and certs in this 0700 dir; 'root' means no switch (ignored if not root)\n"
      << "user root\n"
      << "log_dest file " << dir_ << "/mosquitto.log\n"
      << "log_type all\n"
      << "set_tcp_nodelay " << (opts_.tcp_nodelay ? "true" : "false") << "\n"
      << "max_queued_messages 1000000\n";
    if (opts_.tls) {
        c << "listener " << tls_port_ << " 127.0.0.1\n"
          << "cafile " << dir_ << "/ca.crt\n"
          << "certfile " << dir_ << "/server.crt\n"
          << "keyfile " << dir_ << "/server.key\n"
          << "require_certificate " << (opts_.require_client_cert ? "true" : "false") << "\n";
    }
    if (opts_.websockets) {
        c << "# mosquitto 2.0.11 ignores the address here and binds all interfaces\n"
          << "listener " << ws_port_ << " 127.0.0.1\n"
          << "protocol websockets\n";
    }
    if (opts_.tls_websockets) {
        c << "listener " << wss_port_ << " 127.0.0.1\n"
          << "protocol websockets\n"
          << "cafile " << dir_ << "/ca.crt\n"
          << "certfile " << dir_ << "/server.crt\n"
          << "keyfile " << dir_ << "/server.key\n"
          << "require_certificate " << (opts_.require_client_cert ? "true" : "false") << "\n";
    }
    if (opts_.unix_socket) c << "listener 0 " << socket_path() << "\n";
    c << "listener " << port_ << " 127.0.0.1\n" << opts_.extra_config << "\n";
    write_file(conf_file(), c.str());
}

bool mosquitto_broker::launch() {
    const std::string log_path = dir_ + "/mosquitto.log";
    const std::streamoff offset = file_size(log_path);
    pid_ = spawn({mosquitto_path_, "-c", conf_file()}, log_path);
    const auto deadline = steady::now() + start_timeout;
    for (;;) {
        const std::string text = read_file(log_path, offset);
        if (startup_complete(text)) return true;
        int status = 0;
        if (wait_exit(pid_, 0ms, &status)) {
            pid_ = -1;
            const std::string final_text = read_file(log_path, offset);
            if (port_taken(final_text)) return false;
            throw std::runtime_error("mosquitto " + describe_status(status) +
                                     " during startup; log:\n" + final_text);
        }
        if (steady::now() >= deadline) {
            signal_and_wait(SIGKILL);
            throw std::runtime_error("mosquitto did not start within 5 s; log:\n" + text);
        }
        std::this_thread::sleep_for(1ms);
    }
}

// mosquitto 2.0 sets its run flag *after* logging "running", so a SIGTERM sent
// right after startup can be lost: repeat it until the broker exits. It acts on
// signals only between 100 ms epoll_waits, so a stop takes ~100 ms.
void mosquitto_broker::signal_and_wait(int sig) {
    if (pid_ < 0) return;
    const auto deadline = steady::now() + stop_timeout;
    for (;;) {
        if (::kill(pid_, sig) != 0 && errno != ESRCH) throw_errno("kill");
        ::kill(pid_, SIGCONT);  // a paused broker must run to handle SIGTERM
        if (wait_exit(pid_, 50ms)) break;
        if (steady::now() >= deadline) {
            ::kill(pid_, SIGKILL);
            wait_exit(pid_, 10s);
            break;
        }
    }
    pid_ = -1;
}

}  // namespace piogate::test
