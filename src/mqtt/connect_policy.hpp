// When and where the client connects: the decisions of async_client's connection life
// cycle, without I/O or a clock (issue 10: the Asio shell carries them out).
//
// - connect()/reconnect() start a round at the first broker of the list at once.
// - An attempt must open its transport (resolve, TCP, proxy, TLS, WebSocket) and receive
//   CONNACK within connect_timeout of its start (connect_deadline()): one budget for the
//   whole attempt, however it is spent between the handshakes and the broker.
// - A failed attempt (no transport, timed out, CONNACK refused, lost before CONNACK) moves
//   on to the next broker of the round at once, logging "broker A unreachable (why); trying
//   B". When the last one failed, the round is over: one on_connect_fail, whose detail names
//   every address and why when there are several ("no broker reachable: A (why), B (why)").
// - A lost connection reports on_disconnect, and the next round starts at the first broker
//   again (back to the primary).
// - After a failed round or a lost connection, with auto_reconnect on and no disconnect()
//   asked for, the next round waits: util::reconnect_backoff's delay (exponential with
//   jitter, reset by a healthy connection, storm handling for accept-then-drop), and after a
//   drop reconnect_spread's delay instead (first_delay_after_drop).
//
// Pure: events come in with `now`, decisions go out; randomness comes from the injected
// source. The shell reports callbacks between on_closed() and after_report(), so a callback
// that calls reconnect(), disconnect() or set_auto_reconnect() is honoured.
// Not thread-safe (the client's io_context thread). Units are milliseconds.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "mqtt/broker_rotation.hpp"
#include "piogate/mqtt/broker_address.hpp"
#include "piogate/mqtt/types.hpp"
#include "util/backoff.hpp"

namespace piogate::mqtt {

struct connect_timing {
    std::chrono::milliseconds connect_timeout{10000};  // attempt start -> CONNACK
    std::chrono::milliseconds reconnect_min_delay{1000};
    std::chrono::milliseconds reconnect_max_delay{120000};
    std::chrono::milliseconds reconnect_spread{0};  // after a drop; 0: the backoff's delay
};

// async_client's connection_state, value for value.
enum class connect_phase : std::uint8_t { idle, connecting, connected, waiting };

struct policy_log_line {
    log_level level;
    std::string text;
};

// What the shell does once the connection or attempt is closed (connect_policy::on_closed).
struct close_decision {
    enum class action : std::uint8_t {
        fail_over,            // the round goes on: start an attempt on current() now, no callback
        report_connect_fail,  // on_connect_fail(reason, detail), then after_report()
        report_disconnect,    // on_disconnect(reason), then after_report()
        report_nothing,       // no callback (nothing was connecting or connected); after_report()
    };
    action what = action::report_nothing;
    std::string detail;                  // report_connect_fail: the detail or the round's summary
    std::optional<policy_log_line> log;  // log this first (failover, round over)
};

struct retry_plan {
    std::chrono::milliseconds delay;           // for "reconnecting in N ms"
    std::chrono::steady_clock::time_point at;  // the attempt starts then (retry_due)
};

class connect_policy {
public:
    using clock = std::chrono::steady_clock;
    using time_point = clock::time_point;

    // unit_random: uniform in [0, 1), drawn for the backoff's jitter and the spread.
    connect_policy(connect_timing timing, std::function<double()> unit_random);

    // ---- from the user ----
    // connect(): a new broker list (not checked here); the next start() uses its first address.
    void set_brokers(std::vector<broker_address> brokers);
    // connect() and reconnect(): forget disconnect(), start a round at the first address now
    // (phase connecting, whatever it was). Throws std::invalid_argument before set_brokers().
    void start(time_point now);
    enum class disconnect_action : std::uint8_t {
        send_disconnect,  // connected: the session's graceful DISCONNECT, then on_closed
        abort_attempt,    // connecting: close the attempt, on_closed(disconnected_by_user)
        none,             // waiting (the wait is cancelled, phase idle) or idle
    };
    disconnect_action disconnect();
    void set_auto_reconnect(bool on) noexcept { auto_reconnect_ = on; }
    void set_delays(std::chrono::milliseconds min, std::chrono::milliseconds max);

    // ---- from the attempt ----
    void on_transport_open() noexcept;  // the handshakes are done; CONNACK is awaited
    void on_accepted(time_point now);   // CONNACK 0: phase connected
    void on_healthy() noexcept;         // a PINGRESP: the link works (resets the backoff)
    // CONNACK refused, `why` as "refused: not authorized". true: the round goes on at the
    // next address (the shell does not report on_connect for this refusal).
    bool on_refused(std::string why);
    // The short reason of the failing attempt for the failover log, before on_closed():
    // on_failed replaces an earlier one, on_lost keeps it.
    void on_failed(std::string why) { failure_why_ = std::move(why); }
    void on_lost(std::string why);

    // ---- timers ----
    // While connecting (until CONNACK): when the attempt times out.
    std::optional<time_point> connect_deadline() const noexcept;
    // When connect_deadline() has passed at `now`: "timed out after N ms" before the transport
    // was open, "no CONNACK within N ms" after.
    std::optional<std::string> connect_timed_out(time_point now) const;
    // While waiting: when the next round starts.
    std::optional<time_point> retry_at() const noexcept;
    // The retry timer fired: true when waiting and retry_at() has come; the round then starts
    // at current() (phase connecting) and the shell starts the attempt.
    bool retry_due(time_point now);

    // ---- the end of a connection or attempt ----
    // The transport is closed (the shell has torn it down) for `reason`
    // (errc::disconnected_by_user after disconnect()); `detail` as the shell would report it.
    close_decision on_closed(time_point now, std::error_code reason, std::string detail);
    // After the report of on_closed: the wait before the next round (phase waiting), or
    // nothing (auto_reconnect off, disconnect(), a callback already reconnected).
    std::optional<retry_plan> after_report(time_point now);

    // ---- state ----
    connect_phase phase() const noexcept { return phase_; }
    const broker_address& current() const noexcept { return rotation_.current(); }
    const std::vector<broker_address>& brokers() const noexcept { return rotation_.brokers(); }
    const util::reconnect_backoff& backoff() const noexcept { return retry_; }

private:
    void begin_attempt(time_point now);
    // A failed attempt: fail over (true) or end the round (detail becomes the summary).
    bool fail_over_or_end_round(std::string& detail, std::optional<policy_log_line>& log);

    connect_timing timing_;
    std::function<double()> unit_random_;
    broker_rotation rotation_;
    util::reconnect_backoff retry_;
    connect_phase phase_ = connect_phase::idle;
    bool auto_reconnect_ = true;
    bool user_disconnect_ = false;
    bool transport_open_ = false;
    time_point deadline_{};       // connecting: the connect deadline; waiting: retry_at
    std::string failure_why_;     // the short reason of the failing attempt
    std::string round_failures_;  // "A (why), B (why)" of the round so far (several brokers)
    // Between on_closed and after_report:
    std::optional<connect_phase> closed_from_;
    bool closed_by_user_ = false;
};

}  // namespace piogate::mqtt
