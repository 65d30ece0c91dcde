// async_client's session_handler (async_client_impl.hpp): what the session reports, turned
// into the policy's events and the owner's callbacks (async_client_events.hpp): CONNACK,
// messages (per-filter callbacks first), acks, the broker's DISCONNECT, a close it asks for.
#include "mqtt/async_client_impl.hpp"
// SPDX-License-Identifier: Apache-2.0
#include "piogate/mqtt/topic.hpp"

namespace piogate::mqtt {

void async_client::impl::on_connack(bool session_present, int rc) {
    on_connack_properties(session_present, rc, {});
}

void async_client::impl::on_connack_properties(bool session_present, int rc,
                                               const properties& props) {
    if (rc == 0) {
        policy.on_accepted(clock::now());
        log(log_level::info,
            "connected to " + where() + (session_present ? " (session resumed)" : ""));
    } else {
        std::string why = connack_text(v5(), rc);
        if (props.reason_string) why += " (" + *props.reason_string + ")";
        // The next address is tried at once; on_connect reports the round's last refusal.
        if (policy.on_refused("refused: " + why)) return;
        log(log_level::error, "broker " + where() + ": " + why);
    }
    events.connected(cb, rc, session_present, props);
}

void async_client::impl::on_message(const message& m) {
    bool matched = false;
    for (const auto& [filter, fn] : filter_callbacks) {
        if (topic_matches_sub(filter, m.topic)) {
            matched = true;
            fn(m);
        }
    }
    if (!matched && cb && cb->on_message) cb->on_message(m);
}

void async_client::impl::on_message_properties(const message& m, const properties& props) {
    if (opts.protocol != protocol_version::v5) return on_message(m);
    message with = m;
    with.props = &props;
    on_message(with);
}

void async_client::impl::on_published(int mid) {
    on_publish_complete(mid, reason_code::success, {});
}

void async_client::impl::on_subscribed(int mid, std::span<const int> granted) {
    on_subscribe_complete(mid, granted, {});
}

void async_client::impl::on_unsubscribed(int mid) {
    on_unsubscribe_complete(mid, {}, {});
}

void async_client::impl::on_publish_complete(int mid, reason_code rc, const properties& props) {
    events.published(cb, mid, rc, props);
}

void async_client::impl::on_subscribe_complete(int mid, std::span<const int> codes,
                                               const properties& props) {
    events.subscribed(cb, mid, codes, props);
}

void async_client::impl::on_unsubscribe_complete(int mid, std::span<const std::uint8_t> codes,
                                                 const properties& props) {
    std::size_t filters = 1;
    if (auto it = unsubscribe_filters.find(mid); it != unsubscribe_filters.end()) {
        filters = it->second;
        unsubscribe_filters.erase(it);
    }
    events.unsubscribed(cb, mid, codes, filters, props);
}

void async_client::impl::on_server_disconnect(reason_code rc, const properties& props) {
    log(log_level::warning, std::string("broker disconnected: ") + to_string(rc) +
                                (props.reason_string ? " (" + *props.reason_string + ")" : ""));
    events.server_disconnect(rc, props);
}

void async_client::impl::on_close(std::error_code reason, std::string_view detail) {
    if (reason != errc::disconnected_by_user && reason != errc::connection_refused) {
        log(log_level::error, "closing connection to " + where() + ": " + std::string(detail));
    }
    if (!close_request) {
        close_request.emplace(reason, std::string(detail));
        close_deadline = clock::now() + close_flush_limit;
    }
}

void async_client::impl::on_log(log_level level, std::string_view text) {
    log(level, text);
}

void async_client::impl::on_pingresp() {
    policy.on_healthy();
}

}  // namespace piogate::mqtt
