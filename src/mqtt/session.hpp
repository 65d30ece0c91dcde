// The MQTT client protocol state machine (MQTT 3.1 / 3.1.1 / 5.0), free of I/O.
//
// Events in: the transport opened or closed, bytes received, time passed, application requests.
// Actions out: bytes to send (take_output), callbacks on `session_handler`, and "close the
// transport" (session_handler::on_close). The caller owns the socket and the timer; this class
// never touches either, so tests drive it with byte vectors and made-up times.
//
// Thread: not thread-safe; one owner calls everything (the client's event-loop thread).
// Errors: publish/subscribe/unsubscribe throw std::invalid_argument for invalid arguments;
// everything else reports through the handler and never throws.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <bitset>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <unordered_map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "mqtt/packet_id_pool.hpp"
#include "mqtt/publish_limits.hpp"
#include "piogate/mqtt/codec.hpp"
#include "piogate/mqtt/error.hpp"
#include "piogate/mqtt/mqtt5_options.hpp"
#include "piogate/mqtt/properties.hpp"
#include "piogate/mqtt/reason_code.hpp"
#include "piogate/mqtt/types.hpp"

namespace piogate::mqtt {

struct session_config {
    protocol_version version = protocol_version::v311;
    std::string client_id;
    bool clean_session = true;
    std::uint16_t keepalive = 60;  // seconds; 0 turns keepalive off
    std::optional<will_message> will;
    std::optional<std::string> username;
    std::optional<std::string> password;
    std::uint16_t max_inflight = 20;  // QoS 1/2 publishes awaiting acknowledgement (1..65000)
    std::size_t max_queued = 100000;  // messages waiting to be sent; 0 = unbounded
    queue_full_policy when_full = queue_full_policy::reject;
    std::uint32_t max_packet_size = 16 * 1024 * 1024;  // inbound packets above this close the link
    std::chrono::milliseconds connect_timeout{10000};  // transport open -> CONNACK
    std::chrono::milliseconds disconnect_timeout{5000};  // wait for in-flight acks on disconnect()
    bool resubscribe = true;   // subscribe again when the broker did not keep the session
    bool log_packets = false;  // a debug log line per packet sent and received
    connect_properties mqtt5;  // 5.0 only: CONNECT properties, topic aliases, AUTH hook
};

// Receives the session's actions. Called synchronously from inside session calls.
class session_handler {
public:
    virtual ~session_handler() = default;
    virtual void on_connack(bool session_present, int return_code) = 0;
    virtual void on_message(const message& m) = 0;
    virtual void on_published(int mid) = 0;  // QoS 1 PUBACK / QoS 2 PUBCOMP (QoS 0: the caller)
    virtual void on_subscribed(int mid, std::span<const int> granted_qos) = 0;
    virtual void on_unsubscribed(int mid) = 0;
    // The session wants the transport closed (after flushing output for disconnected_by_user).
    virtual void on_close(std::error_code reason, std::string_view detail) = 0;
    virtual void on_log(log_level level, std::string_view text) = 0;
    // A PINGRESP arrived: the link carried a round trip after a keepalive period.
    virtual void on_pingresp() {}

    // The forms with reason codes and properties (5.0; for 3.1.1 the codes are the return
    // codes and the properties empty). The session calls these; by default they call the forms
    // above, so a handler overrides whichever it wants.
    virtual void on_connack_properties(bool session_present, int return_code,
                                       const properties&) {
        on_connack(session_present, return_code);
    }
    virtual void on_message_properties(const message& m, const properties&) { on_message(m); }
    // QoS 1/2 done: success, or the broker's error reason (>= 0x80 in PUBACK/PUBREC), or
    // packet_too_large for a queued message the broker's Maximum Packet Size refuses.
    virtual void on_publish_complete(int mid, reason_code, const properties&) {
        on_published(mid);
    }
    virtual void on_subscribe_complete(int mid, std::span<const int> codes, const properties&) {
        on_subscribed(mid, codes);
    }
    virtual void on_unsubscribe_complete(int mid, std::span<const std::uint8_t> /*codes*/,
                                         const properties&) {
        on_unsubscribed(mid);
    }
    // A 5.0 broker sent DISCONNECT; on_close(connection_lost) follows.
    virtual void on_server_disconnect(reason_code, const properties&) {}
};

enum class session_state : std::uint8_t { idle, connecting, connected, closing };

class session {
public:
    using clock = std::chrono::steady_clock;
    using time_point = clock::time_point;

    session(session_config config, session_handler& handler);

    const session_config& config() const { return config_; }
    void set_keepalive(std::uint16_t seconds) { config_.keepalive = seconds; }
    session_state state() const { return state_; }

    // --- transport events ---
    void on_transport_open(time_point now);  // sends CONNECT
    // Consumes whole packets from the start of `in`; returns the bytes consumed. Unconsumed
    // bytes must be offered again with more appended. Returns 0 once the session is closing.
    std::size_t on_data(std::span<const std::uint8_t> in, time_point now);
    void on_transport_closed();  // keeps in-flight and queued messages for the next connection
    // The smallest size the caller's receive buffer must reach to complete the current packet.
    std::size_t bytes_wanted(std::span<const std::uint8_t> buffered) const;

    // --- timers ---
    void on_tick(time_point now);
    std::optional<time_point> next_deadline() const;

    // --- application requests ---
    publish_result publish(std::string_view topic, std::string_view payload, int qos, bool retain,
                           time_point now);
    // 5.0: with properties (no topic alias or subscription identifier: the session manages
    // aliases; a payload format indicator of 1 needs a UTF-8 payload; both invalid_argument).
    // Refused with a result once the CONNACK told: QoS above the broker's Maximum QoS or retain
    // where Retain Available is 0 (std::errc::not_supported), a packet above its Maximum
    // Packet Size (errc::packet_too_large; sized with the full topic).
    publish_result publish(std::string_view topic, std::string_view payload, int qos, bool retain,
                           const properties& props, time_point now);
    int subscribe(std::span<const std::pair<std::string, int>> filters, time_point now);
    // 5.0: subscription options per filter; `props` may carry one subscription identifier and
    // user properties. Throws std::system_error(std::errc::not_supported) when the CONNACK said
    // the broker has no wildcard / shared subscriptions / subscription identifiers.
    int subscribe(std::span<const std::pair<std::string, subscribe_options>> filters,
                  const properties& props, time_point now);
    int unsubscribe(std::span<const std::string> filters, time_point now);
    // Graceful: once the queue and in-flight window drain and every inbound QoS 2 message
    // received before the call has had its PUBREL and our PUBCOMP (inbound QoS 1 PUBACKs go out
    // as the message arrives), or disconnect_timeout passes, DISCONNECT is sent and
    // on_close(disconnected_by_user) follows.
    void disconnect(time_point now);
    // 5.0: DISCONNECT with this reason and properties (session expiry, reason string, user
    // properties); ignored for 3.1.1.
    void disconnect(time_point now, reason_code reason, properties props);
    // Forget a pending disconnect (reconnect() after disconnect()).
    void clear_disconnect() {
        disconnect_requested_ = false;
        drain_qos2_.reset();
        drain_qos2_count_ = 0;
    }

    // --- output ---
    bool has_output() const { return !out_.empty(); }
    // Swaps the pending bytes into `out` and the QoS 0 message ids they carry into `mids`.
    void take_output(byte_buffer& out, std::vector<int>& qos0_mids);

    // 5.0: what the last CONNACK said (empty before and for 3.1.1), and the window in use:
    // max_inflight capped by the broker's Receive Maximum.
    const properties& connack_properties() const { return connack_props_; }
    std::uint16_t send_window() const { return send_window_; }

    std::size_t queued() const { return queue_.size(); }
    // User SUBSCRIBE / UNSUBSCRIBE requests whose SUBACK / UNSUBACK has not arrived yet
    // (also those waiting for a connection to be sent on).
    std::size_t awaiting_acks() const;
    std::size_t inflight() const { return inflight_.size(); }
    bool disconnect_requested() const { return disconnect_requested_; }
    // Inbound QoS 2 messages a requested disconnect still waits to see PUBREL for.
    std::size_t draining_inbound() const { return drain_qos2_count_; }

private:
    struct outbound {
        std::string topic;
        std::string payload;
        std::uint8_t qos = 0;
        bool retain = false;
        int mid = 0;
        std::shared_ptr<const properties> props{};  // 5.0, null when none
    };
    enum class stage : std::uint8_t { await_puback, await_pubrec, await_pubcomp };
    struct inflight_entry {
        outbound msg;
        std::uint16_t packet_id = 0;
        stage at = stage::await_puback;
    };
    struct subscription {
        std::string filter;
        int qos = 0;
        std::uint8_t options = 0;  // 5.0 subscription options byte (QoS in the low bits)
        std::uint32_t sub_id = 0;  // 5.0 subscription identifier, 0 none
        int mid = 0;        // user's request id while its SUBACK is outstanding, else 0
        bool acked = false;
        std::uint32_t sent_generation = 0;  // connection in which it was last sent
    };
    struct pending_request {
        std::uint16_t packet_id = 0;
        int mid = 0;
        std::vector<std::string> filters;  // in the order sent: SUBACK codes follow it
    };
    struct pending_unsubscribe {
        int mid = 0;
        std::vector<std::string> filters;
    };

    int next_mid();
    void dispatch(const packet& p, time_point now);
    void handle_connack(const connack_packet& p, time_point now);
    void handle_publish(const publish_packet& p);
    void handle_ack(const ack_packet& p);
    void handle_suback(const suback_packet& p);
    void handle_server_disconnect(const empty_packet& p);
    void handle_auth(const auth_packet& p);
    bool resolve_alias(const publish_packet& p, std::string_view& topic);
    void apply_connack(const connack_packet& p);
    connect_packet make_connect() const;
    void fail(errc reason, std::string detail);
    // 5.0: DISCONNECT with `code` goes out first (when the link is up).
    void fail(errc reason, reason_code code, std::string detail);
    void send_disconnect();
    bool v5() const { return config_.version == protocol_version::v5; }
    std::size_t publish_size(std::string_view topic, std::size_t payload, int qos,
                             const properties* props) const;
    std::error_code check_publish(std::string_view topic, std::size_t payload, int qos,
                                  bool retain, const properties* props) const;
    void send_publish(const outbound& m, std::uint16_t packet_id, bool dup);
    void send_ack(packet_type type, std::uint16_t id);
    bool send_now(outbound&& m);  // false when no packet id is free
    void pump_queue();
    void enqueue(outbound&& m);
    void complete(std::deque<inflight_entry>::iterator it,
                  reason_code rc = reason_code::success, const properties& props = {});
    void send_subscribe(std::span<subscription* const> subs, int mid,
                        const properties* props = nullptr);
    void resubscribe(bool session_present);
    void send_pending_unsubscribes();
    void maybe_send_disconnect();
    void mark_sent() { last_out_ = now_; }
    void log(log_level level, std::string_view text) { handler_.on_log(level, text); }

    session_config config_;
    session_handler& handler_;
    session_state state_ = session_state::idle;
    time_point now_{};
    time_point opened_at_{};
    time_point last_out_{};
    time_point last_in_{};
    time_point ping_sent_at_{};
    bool ping_outstanding_ = false;
    bool disconnect_requested_ = false;
    time_point disconnect_deadline_{};
    std::uint32_t generation_ = 0;
    int last_mid_ = 0;

    byte_buffer out_;
    std::vector<int> qos0_mids_;
    packet_id_pool ids_;
    std::deque<outbound> queue_;
    std::deque<inflight_entry> inflight_;
    std::bitset<65536> inbound_qos2_;  // ids received at QoS 2, awaiting PUBREL
    // Inbound QoS 2 exchanges a graceful disconnect waits for (those open when it was asked
    // for): DISCONNECT goes only after their PUBREL came and our PUBCOMP went.
    std::bitset<65536> drain_qos2_;
    std::size_t drain_qos2_count_ = 0;
    std::vector<subscription> subscriptions_;
    std::vector<pending_request> pending_subs_;
    std::vector<pending_request> pending_unsubs_;
    std::vector<pending_unsubscribe> unsent_unsubs_;

    // 5.0 state of the connection (reset on every transport open / CONNACK).
    properties connack_props_;
    std::uint16_t send_window_ = 0;           // max_inflight capped by the broker
    publish_limits limits_;  // the CONNACK's Maximum QoS, Retain Available, Maximum Packet Size
    std::uint16_t alias_out_max_ = 0;
    std::unordered_map<std::string, std::uint16_t> aliases_out_;
    std::vector<std::string> aliases_in_;     // index = alias
    std::size_t inbound_qos2_count_ = 0;
    reason_code disconnect_reason_ = reason_code::normal_disconnection;
    properties disconnect_props_;
};

}  // namespace piogate::mqtt
