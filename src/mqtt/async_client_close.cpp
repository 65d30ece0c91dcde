// async_client's end of a connection (async_client_impl.hpp): lost or closed, the transport
// goes (after our DISCONNECT: half-closed and drained, so that the broker reads it), the
// session hears it, and the policy says what follows: fail over, report, reconnect later.
#include "mqtt/async_client_impl.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <array>

namespace piogate::mqtt {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using clock = std::chrono::steady_clock;

void async_client::impl::lost(const std::string& detail) {
    policy.on_lost(detail);
    log(log_level::warning, "connection to " + where() + " lost: " + detail);
    teardown(make_error_code(errc::connection_lost), detail);
}

void async_client::impl::teardown(std::error_code reason, std::string detail) {
    ++attempt;
    // After our DISCONNECT (5.0: also one with an error reason): half-close and drain,
    // so that the broker reads it rather than a reset.
    if (conn && (reason == errc::disconnected_by_user || (v5() && close_request))) {
        drain_and_close(std::move(conn));
    } else if (conn) {
        conn->close();
    }
    conn.reset();
    resolver.cancel();
    writing = false;
    close_request.reset();
    sess.on_transport_closed();
    timer.cancel();
    armed.reset();
    const close_decision d = policy.on_closed(clock::now(), reason, std::move(detail));
    if (d.log) log(d.log->level, d.log->text);
    switch (d.what) {
        case close_decision::action::fail_over:
            start_attempt();
            return;
        case close_decision::action::report_disconnect:
            events.disconnected(cb, reason);
            break;
        case close_decision::action::report_connect_fail:
            if (cb && cb->on_connect_fail) cb->on_connect_fail(reason, d.detail);
            break;
        case close_decision::action::report_nothing:
            break;
    }
    if (!cb) return;  // a callback destroyed the client
    // Nothing when a callback reconnected or disconnected, or auto_reconnect is off.
    if (const auto plan = policy.after_report(clock::now())) schedule_reconnect(*plan);
}

void async_client::impl::drain_and_close(std::shared_ptr<transport> c) {
    c->cancel();
    c->shutdown_send();
    auto timer = std::make_shared<asio::steady_timer>(io, std::chrono::seconds(1));
    timer->async_wait([c](const boost::system::error_code&) { c->close(); });
    auto sink = std::make_shared<std::array<std::uint8_t, 512>>();
    auto drain = std::make_shared<std::function<void()>>();
    *drain = [c, timer, sink, weak = std::weak_ptr<std::function<void()>>(drain)] {
        c->async_drain_some(asio::buffer(*sink),
                            [timer, weak](const boost::system::error_code& ec, std::size_t) {
                                if (ec) {
                                    timer->cancel();
                                    return;
                                }
                                if (auto next = weak.lock()) (*next)();
                            });
    };
    (*drain)();
    draining = drain;  // keeps the loop alive until it ends; replaced by the next drain
}

}  // namespace piogate::mqtt
