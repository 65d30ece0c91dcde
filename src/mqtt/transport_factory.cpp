// transport_factory: the stacks without TLS here, those with TLS from transport_tls.cpp.
#include <boost/asio/io_context.hpp>
#include <stdexcept>
// SPDX-License-Identifier: Apache-2.0
#include "mqtt/transport.hpp"
#include "mqtt/transport_layers.hpp"
#include "mqtt/transport_tls.hpp"

namespace piogate::mqtt {
namespace asio = boost::asio;
namespace websocket = boost::beast::websocket;
using tcp = asio::ip::tcp;

struct transport_factory::state {
    asio::io_context& io;
    layer_config config;
    std::unique_ptr<tls_stacks> tls;
};

transport_factory::transport_factory(asio::io_context& io, const client_options& options)
    : state_(std::make_unique<state>(state{io, {options.tls, options.websocket}, nullptr})) {
    if (options.websocket.path.empty() || options.websocket.path.front() != '/') {
        throw std::invalid_argument("WebSocket path '" + options.websocket.path +
                                    "' must start with '/'");
    }
    if (options.tls) state_->tls = make_tls_stacks(*options.tls);
}

transport_factory::~transport_factory() = default;

bool transport_factory::uses_tls() const { return state_->tls != nullptr; }

std::unique_ptr<transport> transport_factory::create(transport_kind kind) {
    if (state_->tls) return state_->tls->create(state_->io, kind, state_->config);
    asio::io_context& io = state_->io;
    switch (kind) {
        case transport_kind::tcp:
            return std::make_unique<stream_transport<tcp::socket>>(state_->config, "", io);
        case transport_kind::websockets:
            return std::make_unique<stream_transport<websocket::stream<tcp::socket>>>(
                state_->config, "WebSocket", io);
        case transport_kind::unix_socket:
            return std::make_unique<stream_transport<unix_socket>>(state_->config, "unix", io);
    }
    throw std::invalid_argument("unknown transport");
}

}  // namespace piogate::mqtt
