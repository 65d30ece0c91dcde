#include "mqtt/transport.hpp"

#include <openssl/ssl.h>

#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <cerrno>
#include <cstring>
#include <stdexcept>

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

struct transport_factory::state {
    asio::io_context& io;
    std::optional<tls_options> tls;
    std::optional<ssl::context> ctx;
};

transport_factory::transport_factory(asio::io_context& io, const client_options& options)
    : state_(std::make_unique<state>(state{io, options.tls, std::nullopt})) {
    if (!options.tls) return;
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
