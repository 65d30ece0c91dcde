// The stacks with a TLS layer, and the TLS context they share: the TLS module,
// libpiogate_tls.so, linked against OpenSSL and loaded on first use (transport_tls_loader.cpp).
#include "mqtt/transport_tls.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <cerrno>
#include <cstring>
#include <functional>
#include <stdexcept>

#include <unistd.h>

#include "mqtt/transport_tls_layer.hpp"

namespace piogate::mqtt {
namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
namespace websocket = boost::beast::websocket;
using tcp = asio::ip::tcp;

namespace {

void load(const std::string& what, const std::string& file,
          const std::function<void(boost::system::error_code&)>& f) {
    if (file != "default" && ::access(file.c_str(), R_OK) != 0) {
        throw std::runtime_error("TLS " + what + " '" + file + "': " + std::strerror(errno));
    }
    boost::system::error_code ec;
    f(ec);
    if (ec) throw std::runtime_error("TLS " + what + " '" + file + "': " + ec.message());
}

class tls_stacks_impl final : public tls_stacks {
public:
    explicit tls_stacks_impl(const tls_options& t) : ctx_(ssl::context::tls_client) {
        ctx_.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                         ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                         ssl::context::no_tlsv1_1);
        if (!t.ca_file.empty()) {
            load("CA file", t.ca_file, [&](auto& ec) { ctx_.load_verify_file(t.ca_file, ec); });
        }
        if (!t.ca_path.empty()) {
            load("CA path", t.ca_path, [&](auto& ec) { ctx_.add_verify_path(t.ca_path, ec); });
        }
        if (t.ca_file.empty() && t.ca_path.empty()) {
            load("system CA store", "default",
                 [&](auto& ec) { ctx_.set_default_verify_paths(ec); });
        }
        if (!t.cert_file.empty()) {
            load("certificate", t.cert_file,
                 [&](auto& ec) { ctx_.use_certificate_chain_file(t.cert_file, ec); });
            const std::string& key = t.key_file.empty() ? t.cert_file : t.key_file;
            load("private key", key,
                 [&](auto& ec) { ctx_.use_private_key_file(key, ssl::context::pem, ec); });
        } else if (!t.key_file.empty()) {
            throw std::runtime_error("TLS private key '" + t.key_file +
                                     "' given without a certificate");
        }
        if (!t.alpn_protocols.empty()) {
            const std::string wire = alpn_wire_format(t.alpn_protocols);
            // 0 is success here, unlike most of OpenSSL.
            if (SSL_CTX_set_alpn_protos(ctx_.native_handle(),
                                        reinterpret_cast<const unsigned char*>(wire.data()),
                                        static_cast<unsigned>(wire.size())) != 0) {
                throw std::runtime_error("TLS: cannot set the ALPN protocols");
            }
        }
    }

    std::unique_ptr<transport> create(asio::io_context& io, transport_kind kind,
                                      const layer_config& config) override {
        using tls_tcp = ssl::stream<tcp::socket>;
        using tls_unix = ssl::stream<unix_socket>;
        switch (kind) {
            case transport_kind::tcp:
                return std::make_unique<stream_transport<tls_tcp>>(config, "TLS", io, ctx_);
            case transport_kind::websockets:
                return std::make_unique<stream_transport<websocket::stream<tls_tcp>>>(
                    config, "TLS, WebSocket", io, ctx_);
            case transport_kind::unix_socket:
                return std::make_unique<stream_transport<tls_unix>>(config, "unix, TLS", io, ctx_);
        }
        throw std::invalid_argument("unknown transport");
    }

private:
    ssl::context ctx_;
};

}  // namespace

}  // namespace piogate::mqtt

// The module's one entry point (the only symbol it exports), looked up by name. Throws as
// make_tls_stacks() does; the caller owns the result.
extern "C" __attribute__((visibility("default"))) piogate::mqtt::tls_stacks*
piogate_tls_make_stacks(const piogate::mqtt::tls_options& options) {
    return new piogate::mqtt::tls_stacks_impl(options);
}
