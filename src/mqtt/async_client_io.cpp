// async_client's reading, writing and deadline timer (async_client_impl.hpp): bytes read go to
// the session, what it has to send goes out in one write at a time (service() after every
// event), and one timer waits for the earliest of the session's deadlines (keepalive, acks),
// the connect timeout and the 5.0 close flush.
#include "mqtt/async_client_impl.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <cstring>

namespace piogate::mqtt {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using clock = std::chrono::steady_clock;
namespace {

// End of stream, also when reported by the TLS module (libpiogate_tls.so), whose Asio error
// categories are its own copies (equal in name and value, not in address).
bool is_eof(const boost::system::error_code& ec) {
    return ec.value() == asio::error::eof &&
           std::strcmp(ec.category().name(), asio::error::get_misc_category().name()) == 0;
}

const properties no_properties{};

}  // namespace

void async_client::impl::start_read() {
    const std::size_t want = sess.bytes_wanted({rx.data(), rx_len});
    const std::size_t min_free = 16 * 1024;
    if (rx.size() < std::max(want, rx_len + min_free)) {
        rx.resize(std::max<std::size_t>({want, rx_len + min_free, 64 * 1024}));
    }
    conn->async_read_some(asio::buffer(rx.data() + rx_len, rx.size() - rx_len),
                          [self = shared_from_this(), a = attempt, c = conn](
                              const boost::system::error_code& ec, std::size_t n) {
                              if (a != self->attempt || !self->cb) return;
                              self->on_read(ec, n);
                          });
}

void async_client::impl::on_read(const boost::system::error_code& ec, std::size_t n) {
    if (ec) {
        lost(is_eof(ec) ? "broker closed the connection" : "read failed: " + ec.message());
        return;
    }
    rx_len += n;
    const std::uint64_t a = attempt;
    std::size_t used = sess.on_data({rx.data(), rx_len}, clock::now());
    if (a != attempt || !conn) return;  // a callback reconnected or disconnected
    if (used > 0) {
        std::memmove(rx.data(), rx.data() + used, rx_len - used);
        rx_len -= used;
    }
    // Give memory back after a large packet.
    if (rx.size() > 1024 * 1024 && rx_len < 64 * 1024) {
        rx.resize(64 * 1024);
        rx.shrink_to_fit();
    }
    service();
    if (a != attempt || !conn || close_request) return;
    // With nothing of ours on the way (no write carrying the ACK for what we read, no
    // message awaiting an acknowledgement), ACK at once: else a broker with Nagle on
    // holds its next packet to us, such as the next command after the PUBACK of a
    // state, until our delayed ACK, ~40 ms. While messages are in flight our next
    // write comes soon and carries the ACK; a syscall per read there costs ~10 % CPU.
    if (!writing && sess.inflight() == 0 && sess.queued() == 0) conn->quick_ack();
    start_read();
}

void async_client::impl::flush() {
    if (writing || !conn || sess.state() == session_state::idle || !sess.has_output()) return;
    sess.take_output(tx, tx_mids);
    writing = true;
    conn->async_write(asio::buffer(tx), [self = shared_from_this(), a = attempt, c = conn](
                                            const boost::system::error_code& ec, std::size_t) {
        if (a != self->attempt || !self->cb) return;
        self->writing = false;
        if (ec) {
            self->lost("write failed: " + ec.message());
            return;
        }
        self->done_mids.swap(self->tx_mids);
        for (int mid : self->done_mids) {
            self->events.published(self->cb, mid, reason_code::success, no_properties);
        }
        self->done_mids.clear();
        self->service();
    });
}

void async_client::impl::service() {
    if (!conn) return;
    flush();
    if (close_request) {
        const bool user = close_request->first == errc::disconnected_by_user;
        const bool flushing =
            (user || (v5() && clock::now() < close_deadline)) && (writing || sess.has_output());
        if (!flushing) {
            auto [reason, detail] = *close_request;
            teardown(reason, detail);
            return;
        }
    }
    arm_timer();
}

void async_client::impl::arm_timer() {
    std::optional<clock::time_point> next = sess.next_deadline();
    if (const auto deadline = policy.connect_deadline(); deadline && (!next || *deadline < *next))
        next = deadline;
    if (close_request && v5() && (!next || close_deadline < *next)) next = close_deadline;
    if (!next) return;  // a stale wait firing early is harmless
    if (armed && *armed <= *next) return;
    armed = next;
    timer.expires_at(*next);
    timer.async_wait([self = shared_from_this(), a = attempt](const boost::system::error_code& ec) {
        if (ec || a != self->attempt || !self->cb) return;
        self->armed.reset();
        self->on_timer();
    });
}

void async_client::impl::on_timer() {
    const auto now = clock::now();
    if (auto why = policy.connect_timed_out(now)) {
        // Not `..." + *why, std::move(*why)`: the order the arguments are made in is
        // unspecified, and GCC moved `why` out before building the detail from it.
        std::string detail = "connecting to " + where() + " " + *why;
        attempt_failed(make_error_code(errc::connect_timeout), detail, std::move(*why));
        return;
    }
    sess.on_tick(now);
    service();
}

}  // namespace piogate::mqtt
