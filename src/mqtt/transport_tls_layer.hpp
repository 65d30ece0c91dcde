// The TLS layer of a transport stack (see transport_layers.hpp): after the layer below, the
// TLS handshake with SNI and the certificate checks of tls_options. Included only by the
// TLS translation unit (transport_tls.cpp), which is the only one that sees OpenSSL.
//
// Thread: the client's event-loop thread only.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <openssl/ssl.h>

#include <boost/asio/ssl.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include "mqtt/transport_layers.hpp"

namespace piogate::mqtt {

template <class Next>
struct layer<boost::asio::ssl::stream<Next>> {
    using stream_type = boost::asio::ssl::stream<Next>;

    static void handshake(stream_type& s, const handshake_target& t, const layer_config& c,
                          handshake_handler done) {
        layer<Next>::handshake(s.next_layer(), t, c,
                               [&s, t, &c, done = std::move(done)](handshake_failure f,
                                                                   std::string detail) mutable {
                                   if (f != handshake_failure::none) return done(f, std::move(detail));
                                   tls_handshake(s, t, *c.tls, std::move(done));
                               });
    }

    static void tls_handshake(stream_type& s, const handshake_target& t, const tls_options& o,
                              handshake_handler done) {
        namespace ssl = boost::asio::ssl;
        // SNI always, so brokers behind a TLS proxy pick the right certificate.
        SSL_set_tlsext_host_name(s.native_handle(), t.host.c_str());
        if (o.verify_peer) {
            s.set_verify_mode(ssl::verify_peer);
            if (!o.insecure) s.set_verify_callback(ssl::host_name_verification(t.host));
        } else {
            s.set_verify_mode(ssl::verify_none);
        }
        s.async_handshake(ssl::stream_base::client,
                          [where = authority(t), done = std::move(done)](const boost::system::error_code& ec) {
                              if (!ec) return done(handshake_failure::none, {});
                              done(handshake_failure::tls,
                                   "TLS handshake with " + where + " failed: " + ec.message());
                          });
    }
    static void write(stream_type& s, boost::asio::const_buffer b, io_handler done) {
        boost::asio::async_write(s, b, std::move(done));
    }
    static void drain(stream_type& s, boost::asio::mutable_buffer b, io_handler done) {
        s.async_read_some(b, std::move(done));
    }
};

}  // namespace piogate::mqtt
