// The TLS half of transport_factory: the TLS context (loaded once per client) and the stacks
// with a TLS layer (tcp or unix socket → TLS, optionally → WebSocket). The only part of the
// transports that calls OpenSSL, so it is a module of its own, libpiogate_tls.so, linked
// against OpenSSL and loaded with dlopen() when the first TLS client is made: a process
// without TLS maps neither it nor OpenSSL (1.5 MiB of resident memory).
//
// Thread: construction on any thread; create() on the client's event-loop thread.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <boost/asio/io_context.hpp>
#include <memory>
#include <string>
#include <vector>

#include "mqtt/transport.hpp"

namespace piogate::mqtt {

struct layer_config;

class tls_stacks {
public:
    virtual ~tls_stacks() = default;
    // A fresh transport of `kind` with a TLS layer over its socket.
    virtual std::unique_ptr<transport> create(boost::asio::io_context& io, transport_kind kind,
                                              const layer_config& config) = 0;
};

// Loads the module (once per process, never unloaded), then CA, certificate and key; sets
// ALPN. Throws std::runtime_error naming the module that cannot be loaded or the file that
// cannot be read, std::invalid_argument for a bad ALPN name. Thread-safe.
//
// The module is looked for at $PIOGATE_TLS_MODULE if set, else where this build put it (unless
// configured with PIOGATE_TLS_MODULE_IN_BUILD_TREE=OFF, as packages are), else where it is
// installed: ${libdir}/piogate/libpiogate_tls.so.
std::unique_ptr<tls_stacks> make_tls_stacks(const tls_options& options);

// ALPN's wire form (RFC 7301): each name prefixed by its length. Throws std::invalid_argument
// for an empty name or one over 255 bytes.
std::string alpn_wire_format(const std::vector<std::string>& protocols);

}  // namespace piogate::mqtt
