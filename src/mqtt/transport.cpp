// Transports, and OpenSSL loaded only when TLS is used (see "OpenSSL on demand" below).
#include "mqtt/transport.hpp"

#include <openssl/opensslv.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include <dlfcn.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace piogate::mqtt {
namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;

namespace {

class tcp_transport final : public transport {
public:
    explicit tcp_transport(asio::io_context& io) : socket_(io) {}
    tcp::socket& socket() override { return socket_; }
    void async_handshake(const std::string&,
                         std::function<void(const boost::system::error_code&)> done) override {
        asio::post(socket_.get_executor(), [done = std::move(done)] { done({}); });
    }
    void async_read_some(asio::mutable_buffer buffer, io_handler done) override {
        socket_.async_read_some(buffer, std::move(done));
    }
    void async_write(asio::const_buffer buffer, io_handler done) override {
        asio::async_write(socket_, buffer, std::move(done));
    }
    void close() noexcept override {
        boost::system::error_code ignored;
        socket_.shutdown(tcp::socket::shutdown_both, ignored);
        socket_.close(ignored);
    }

private:
    tcp::socket socket_;
};

class tls_transport final : public transport {
public:
    tls_transport(asio::io_context& io, ssl::context& ctx, const tls_options& opts)
        : stream_(io, ctx), opts_(opts) {}
    tcp::socket& socket() override { return stream_.next_layer(); }
    void async_handshake(const std::string& host,
                         std::function<void(const boost::system::error_code&)> done) override {
        // SNI, so brokers behind a TLS proxy pick the right certificate.
        SSL_set_tlsext_host_name(stream_.native_handle(), host.c_str());
        if (opts_.verify_peer) {
            stream_.set_verify_mode(ssl::verify_peer);
            if (!opts_.insecure) stream_.set_verify_callback(ssl::host_name_verification(host));
        } else {
            stream_.set_verify_mode(ssl::verify_none);
        }
        stream_.async_handshake(ssl::stream_base::client, std::move(done));
    }
    void async_read_some(asio::mutable_buffer buffer, io_handler done) override {
        stream_.async_read_some(buffer, std::move(done));
    }
    void async_write(asio::const_buffer buffer, io_handler done) override {
        asio::async_write(stream_, buffer, std::move(done));
    }
    void close() noexcept override {
        // No TLS close_notify round trip: MQTT's DISCONNECT already ended the session.
        boost::system::error_code ignored;
        stream_.next_layer().shutdown(tcp::socket::shutdown_both, ignored);
        stream_.next_layer().close(ignored);
    }

private:
    ssl::stream<tcp::socket> stream_;
    const tls_options& opts_;
};

void load(const std::string& what, const std::string& file,
          const std::function<void(boost::system::error_code&)>& f) {
    if (file != "default" && ::access(file.c_str(), R_OK) != 0) {
        throw std::runtime_error("TLS " + what + " '" + file + "': " + std::strerror(errno));
    }
    boost::system::error_code ec;
    f(ec);
    if (ec) throw std::runtime_error("TLS " + what + " '" + file + "': " + ec.message());
}

}  // namespace

void transport::quick_ack() noexcept {
#ifdef TCP_QUICKACK
    const int one = 1;
    ::setsockopt(socket().native_handle(), IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
#endif
}

// ---- OpenSSL on demand ----
// Linking libssl and libcrypto costs a process 1.5 MiB of resident memory whether it uses
// TLS or not: the dynamic loader maps and relocates them at start-up (the daemon on the demo
// config: VmHWM about 8,200 kB with them linked, 6,700 kB without). So they are loaded when a
// transport_factory with TLS options is made, with dlopen(), and the OpenSSL functions this
// file calls, itself and through Asio's SSL stream, are defined at the end of the file as
// forwarders into the loaded library. For the saving, neither piogate_mqtt
// (src/mqtt/CMakeLists.txt) nor anything else in the executable may link OpenSSL. Asio's
// own OpenSSL set-up (ssl::detail::openssl_init) calls nothing on OpenSSL 3, which
// initialises itself on first use. A function Asio starts to use is a link error naming
// it: add its forwarder.
#if !defined(OPENSSL_VERSION_MAJOR) || OPENSSL_VERSION_MAJOR < 3
#error "the OpenSSL forwarders below follow OpenSSL 3's API"
#endif
namespace {

#define PIOGATE_STRINGIFY2(x) #x
#define PIOGATE_STRINGIFY(x) PIOGATE_STRINGIFY2(x)
constexpr const char* libssl_name = "libssl.so." PIOGATE_STRINGIFY(OPENSSL_SHLIB_VERSION);

struct openssl_library {
    void* handle = nullptr;
    std::string error;
};

// Thread-safe (a function-local static); loaded once, never unloaded.
const openssl_library& openssl() {
    static const openssl_library lib = [] {
        openssl_library l;
        // libssl brings libcrypto; dlsym() on libssl's handle searches both.
        l.handle = ::dlopen(libssl_name, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
        if (!l.handle) {
            const char* e = ::dlerror();
            l.error = std::string("cannot load ") + libssl_name + " (OpenSSL " +
                      OPENSSL_VERSION_TEXT + "'s TLS library): " + (e ? e : "unknown error");
        }
        return l;
    }();
    return lib;
}

// Used by the forwarders, which have no error path: a missing library or function is fatal
// there. transport_factory checks the library first, so that TLS configured on a system
// without it is an exception at start-up instead.
void* openssl_function(const char* name) {
    const openssl_library& lib = openssl();
    void* fn = lib.handle ? ::dlsym(lib.handle, name) : nullptr;
    if (!fn) {
        std::fprintf(stderr, "piogate: fatal: %s\n",
                     lib.handle ? (std::string(libssl_name) + " has no " + name).c_str()
                                : lib.error.c_str());
        std::abort();
    }
    return fn;
}

}  // namespace

struct transport_factory::state {
    asio::io_context& io;
    std::optional<tls_options> tls;
    std::optional<ssl::context> ctx;
};

transport_factory::transport_factory(asio::io_context& io, const client_options& options)
    : state_(std::make_unique<state>(state{io, options.tls, std::nullopt})) {
    if (!options.tls) return;
    if (!openssl().handle) throw std::runtime_error("TLS: " + openssl().error);
    const tls_options& t = *options.tls;
    auto& ctx = state_->ctx.emplace(ssl::context::tls_client);
    ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                    ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    if (!t.ca_file.empty()) {
        load("CA file", t.ca_file, [&](auto& ec) { ctx.load_verify_file(t.ca_file, ec); });
    }
    if (!t.ca_path.empty()) {
        load("CA path", t.ca_path, [&](auto& ec) { ctx.add_verify_path(t.ca_path, ec); });
    }
    if (t.ca_file.empty() && t.ca_path.empty()) {
        load("system CA store", "default", [&](auto& ec) { ctx.set_default_verify_paths(ec); });
    }
    if (!t.cert_file.empty()) {
        load("certificate", t.cert_file,
             [&](auto& ec) { ctx.use_certificate_chain_file(t.cert_file, ec); });
        const std::string& key = t.key_file.empty() ? t.cert_file : t.key_file;
        load("private key", key, [&](auto& ec) { ctx.use_private_key_file(key, ssl::context::pem, ec); });
    } else if (!t.key_file.empty()) {
        throw std::runtime_error("TLS private key '" + t.key_file + "' given without a certificate");
    }
}

transport_factory::~transport_factory() = default;

bool transport_factory::uses_tls() const { return state_->ctx.has_value(); }

std::unique_ptr<transport> transport_factory::create() {
    if (state_->ctx) return std::make_unique<tls_transport>(state_->io, *state_->ctx, *state_->tls);
    return std::make_unique<tcp_transport>(state_->io);
}

}  // namespace piogate::mqtt

// ---- the OpenSSL functions used above, forwarded into the dlopen()ed libssl ----
// Their types are the OpenSSL headers' (a definition that disagrees does not compile).
// Hidden: other code in the process that links OpenSSL keeps calling it directly.
#define PIOGATE_OPENSSL_FORWARDER extern "C" __attribute__((visibility("hidden")))
// The real function, looked up once per function.
#define PIOGATE_REAL(name)                                                                    \
    ([] {                                                                                     \
        static const auto fn = reinterpret_cast<decltype(&::name)>(                           \
            piogate::mqtt::openssl_function(#name));                                          \
        return fn;                                                                            \
    }())

// clang-format off
PIOGATE_OPENSSL_FORWARDER long BIO_ctrl(BIO* b, int cmd, long larg, void* parg) { return PIOGATE_REAL(BIO_ctrl)(b, cmd, larg, parg); }
PIOGATE_OPENSSL_FORWARDER size_t BIO_ctrl_pending(BIO* b) { return PIOGATE_REAL(BIO_ctrl_pending)(b); }
PIOGATE_OPENSSL_FORWARDER int BIO_free(BIO* a) { return PIOGATE_REAL(BIO_free)(a); }
PIOGATE_OPENSSL_FORWARDER int BIO_new_bio_pair(BIO** b1, size_t w1, BIO** b2, size_t w2) { return PIOGATE_REAL(BIO_new_bio_pair)(b1, w1, b2, w2); }
PIOGATE_OPENSSL_FORWARDER int BIO_read(BIO* b, void* data, int len) { return PIOGATE_REAL(BIO_read)(b, data, len); }
PIOGATE_OPENSSL_FORWARDER int BIO_write(BIO* b, const void* data, int len) { return PIOGATE_REAL(BIO_write)(b, data, len); }
PIOGATE_OPENSSL_FORWARDER void CRYPTO_free(void* p, const char* file, int line) { PIOGATE_REAL(CRYPTO_free)(p, file, line); }
PIOGATE_OPENSSL_FORWARDER void ERR_clear_error(void) { PIOGATE_REAL(ERR_clear_error)(); }
PIOGATE_OPENSSL_FORWARDER unsigned long ERR_get_error(void) { return PIOGATE_REAL(ERR_get_error)(); }
// Used by newer Boost's SSL error messages (Debian 13's 1.83), not by 1.74's.
PIOGATE_OPENSSL_FORWARDER const char* ERR_lib_error_string(unsigned long e) { return PIOGATE_REAL(ERR_lib_error_string)(e); }
PIOGATE_OPENSSL_FORWARDER const char* ERR_reason_error_string(unsigned long e) { return PIOGATE_REAL(ERR_reason_error_string)(e); }
PIOGATE_OPENSSL_FORWARDER long SSL_CTX_ctrl(SSL_CTX* c, int cmd, long larg, void* parg) { return PIOGATE_REAL(SSL_CTX_ctrl)(c, cmd, larg, parg); }
PIOGATE_OPENSSL_FORWARDER void SSL_CTX_free(SSL_CTX* c) { PIOGATE_REAL(SSL_CTX_free)(c); }
PIOGATE_OPENSSL_FORWARDER void* SSL_CTX_get_default_passwd_cb_userdata(SSL_CTX* c) { return PIOGATE_REAL(SSL_CTX_get_default_passwd_cb_userdata)(c); }
PIOGATE_OPENSSL_FORWARDER void* SSL_CTX_get_ex_data(const SSL_CTX* c, int i) { return PIOGATE_REAL(SSL_CTX_get_ex_data)(c, i); }
PIOGATE_OPENSSL_FORWARDER int SSL_CTX_load_verify_locations(SSL_CTX* c, const char* file, const char* path) { return PIOGATE_REAL(SSL_CTX_load_verify_locations)(c, file, path); }
PIOGATE_OPENSSL_FORWARDER SSL_CTX* SSL_CTX_new(const SSL_METHOD* m) { return PIOGATE_REAL(SSL_CTX_new)(m); }
PIOGATE_OPENSSL_FORWARDER void SSL_CTX_set_default_passwd_cb_userdata(SSL_CTX* c, void* u) { PIOGATE_REAL(SSL_CTX_set_default_passwd_cb_userdata)(c, u); }
PIOGATE_OPENSSL_FORWARDER int SSL_CTX_set_default_verify_paths(SSL_CTX* c) { return PIOGATE_REAL(SSL_CTX_set_default_verify_paths)(c); }
PIOGATE_OPENSSL_FORWARDER int SSL_CTX_set_ex_data(SSL_CTX* c, int i, void* d) { return PIOGATE_REAL(SSL_CTX_set_ex_data)(c, i, d); }
PIOGATE_OPENSSL_FORWARDER uint64_t SSL_CTX_set_options(SSL_CTX* c, uint64_t op) { return PIOGATE_REAL(SSL_CTX_set_options)(c, op); }
PIOGATE_OPENSSL_FORWARDER int SSL_CTX_use_PrivateKey_file(SSL_CTX* c, const char* file, int type) { return PIOGATE_REAL(SSL_CTX_use_PrivateKey_file)(c, file, type); }
PIOGATE_OPENSSL_FORWARDER int SSL_CTX_use_certificate_chain_file(SSL_CTX* c, const char* file) { return PIOGATE_REAL(SSL_CTX_use_certificate_chain_file)(c, file); }
PIOGATE_OPENSSL_FORWARDER int SSL_accept(SSL* s) { return PIOGATE_REAL(SSL_accept)(s); }
PIOGATE_OPENSSL_FORWARDER int SSL_connect(SSL* s) { return PIOGATE_REAL(SSL_connect)(s); }
PIOGATE_OPENSSL_FORWARDER long SSL_ctrl(SSL* s, int cmd, long larg, void* parg) { return PIOGATE_REAL(SSL_ctrl)(s, cmd, larg, parg); }
PIOGATE_OPENSSL_FORWARDER void SSL_free(SSL* s) { PIOGATE_REAL(SSL_free)(s); }
PIOGATE_OPENSSL_FORWARDER int SSL_get_error(const SSL* s, int ret) { return PIOGATE_REAL(SSL_get_error)(s, ret); }
PIOGATE_OPENSSL_FORWARDER void* SSL_get_ex_data(const SSL* s, int i) { return PIOGATE_REAL(SSL_get_ex_data)(s, i); }
PIOGATE_OPENSSL_FORWARDER int SSL_get_ex_data_X509_STORE_CTX_idx(void) { return PIOGATE_REAL(SSL_get_ex_data_X509_STORE_CTX_idx)(); }
PIOGATE_OPENSSL_FORWARDER int SSL_get_shutdown(const SSL* s) { return PIOGATE_REAL(SSL_get_shutdown)(s); }
PIOGATE_OPENSSL_FORWARDER SSL_verify_cb SSL_get_verify_callback(const SSL* s) { return PIOGATE_REAL(SSL_get_verify_callback)(s); }
PIOGATE_OPENSSL_FORWARDER int SSL_get_verify_mode(const SSL* s) { return PIOGATE_REAL(SSL_get_verify_mode)(s); }
PIOGATE_OPENSSL_FORWARDER SSL* SSL_new(SSL_CTX* c) { return PIOGATE_REAL(SSL_new)(c); }
PIOGATE_OPENSSL_FORWARDER int SSL_read(SSL* s, void* buf, int num) { return PIOGATE_REAL(SSL_read)(s, buf, num); }
PIOGATE_OPENSSL_FORWARDER void SSL_set_bio(SSL* s, BIO* rbio, BIO* wbio) { PIOGATE_REAL(SSL_set_bio)(s, rbio, wbio); }
PIOGATE_OPENSSL_FORWARDER int SSL_set_ex_data(SSL* s, int i, void* d) { return PIOGATE_REAL(SSL_set_ex_data)(s, i, d); }
PIOGATE_OPENSSL_FORWARDER void SSL_set_verify(SSL* s, int mode, SSL_verify_cb cb) { PIOGATE_REAL(SSL_set_verify)(s, mode, cb); }
PIOGATE_OPENSSL_FORWARDER int SSL_write(SSL* s, const void* buf, int num) { return PIOGATE_REAL(SSL_write)(s, buf, num); }
PIOGATE_OPENSSL_FORWARDER const SSL_METHOD* TLS_client_method(void) { return PIOGATE_REAL(TLS_client_method)(); }
PIOGATE_OPENSSL_FORWARDER const SSL_METHOD* TLS_method(void) { return PIOGATE_REAL(TLS_method)(); }
PIOGATE_OPENSSL_FORWARDER const SSL_METHOD* TLS_server_method(void) { return PIOGATE_REAL(TLS_server_method)(); }
PIOGATE_OPENSSL_FORWARDER X509* X509_STORE_CTX_get_current_cert(const X509_STORE_CTX* c) { return PIOGATE_REAL(X509_STORE_CTX_get_current_cert)(c); }
PIOGATE_OPENSSL_FORWARDER int X509_STORE_CTX_get_error_depth(const X509_STORE_CTX* c) { return PIOGATE_REAL(X509_STORE_CTX_get_error_depth)(c); }
PIOGATE_OPENSSL_FORWARDER void* X509_STORE_CTX_get_ex_data(const X509_STORE_CTX* c, int i) { return PIOGATE_REAL(X509_STORE_CTX_get_ex_data)(c, i); }
PIOGATE_OPENSSL_FORWARDER int X509_check_host(X509* x, const char* name, size_t len, unsigned int flags, char** peer) { return PIOGATE_REAL(X509_check_host)(x, name, len, flags, peer); }
PIOGATE_OPENSSL_FORWARDER int X509_check_ip_asc(X509* x, const char* ip, unsigned int flags) { return PIOGATE_REAL(X509_check_ip_asc)(x, ip, flags); }
// clang-format on
