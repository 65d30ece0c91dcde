// The non-template helpers of the transport layers.
#include "mqtt/transport_layers.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <stdexcept>

#include "mqtt/transport_tls.hpp"

namespace piogate::mqtt {

std::string authority(const handshake_target& t) {
    const bool v6 = t.host.find(':') != std::string::npos;
    std::string text = v6 ? "[" + t.host + "]" : t.host;
    if (t.port != 0) text += ":" + std::to_string(t.port);
    return text;
}

std::string websocket_url(const handshake_target& t, const layer_config& c, bool local) {
    return std::string(c.tls ? "wss://" : "ws://") + (local ? "unix:" + t.host : authority(t)) +
           c.websocket.path;
}

const char* websocket_subprotocol(protocol_version v) {
    return v == protocol_version::v31 ? "mqttv3.1" : "mqtt";
}

std::string alpn_wire_format(const std::vector<std::string>& protocols) {
    std::string wire;
    for (const auto& p : protocols) {
        if (p.empty() || p.size() > 255) {
            throw std::invalid_argument("ALPN protocol name '" + p +
                                        "': must be 1 to 255 bytes long");
        }
        wire += static_cast<char>(p.size());
        wire += p;
    }
    return wire;
}

}  // namespace piogate::mqtt
