// A scripted in-memory broker for session tests: it decodes what the session sends with the
// real decoder and lets the test script the replies with the real encoders, including traffic
// no real broker would send. Time is virtual: tests pass made-up time points.
//
// Not thread-safe; one test drives one peer and one session.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mqtt/session.hpp"
#include "piogate/mqtt/codec.hpp"
#include "piogate/mqtt/error.hpp"

namespace piogate::mqtt {
// Lets gtest print packet types by name.
inline void PrintTo(packet_type t, std::ostream* os) {
    *os << to_string(t);
}
}  // namespace piogate::mqtt

namespace piogate::mqtt::test {

using namespace std::chrono_literals;
using time_point = session::time_point;

// A fixed, arbitrary origin for virtual time; `at(5s)` is five seconds after it.
inline time_point at(std::chrono::milliseconds offset) {
    return time_point{} + std::chrono::hours(1000) + offset;
}

// One packet the session sent, decoded and copied so it outlives the output buffer.
struct wire_packet {
    byte_buffer raw;  // the packet's bytes as sent
    packet_type type = packet_type::connect;
    std::uint16_t id = 0;  // packet identifier where the type has one
    // PUBLISH
    std::string topic;
    std::string payload;
    int qos = 0;
    bool dup = false;
    bool retain = false;
    // CONNECT
    connect_packet connect;
    // SUBSCRIBE (filter, QoS; the options byte in 5.0) and UNSUBSCRIBE (filter, 0)
    std::vector<std::pair<std::string, int>> filters;
    // 5.0: the packet's properties and reason code (acks, DISCONNECT, AUTH)
    properties props;
    std::uint8_t reason = 0;

    bool is(packet_type t) const { return type == t; }
};

inline wire_packet to_wire(const packet& p, std::span<const std::uint8_t> raw) {
    wire_packet w;
    w.raw.assign(raw.begin(), raw.end());
    w.type = type_of(p);
    if (const auto* c = std::get_if<connect_packet>(&p)) {
        w.connect = *c;
        w.props = c->props;
    }
    if (const auto* pub = std::get_if<publish_packet>(&p)) {
        w.topic = pub->topic;
        w.payload = pub->payload;
        w.qos = pub->qos;
        w.dup = pub->dup;
        w.retain = pub->retain;
        w.id = pub->packet_id;
        w.props = pub->props;
    }
    if (const auto* a = std::get_if<ack_packet>(&p)) {
        w.id = a->packet_id;
        w.reason = a->reason_code;
        w.props = a->props;
    }
    if (const auto* e = std::get_if<empty_packet>(&p)) {
        w.reason = e->reason_code;
        w.props = e->props;
    }
    if (const auto* au = std::get_if<auth_packet>(&p)) {
        w.reason = au->reason_code;
        w.props = au->props;
    }
    if (const auto* s = std::get_if<subscribe_packet>(&p)) {
        w.id = s->packet_id;
        w.props = s->props;
        for (const auto& [f, q] : s->filters) w.filters.emplace_back(f, q);
    }
    if (const auto* u = std::get_if<unsubscribe_packet>(&p)) {
        w.id = u->packet_id;
        for (const auto& f : u->filters) w.filters.emplace_back(f, 0);
    }
    return w;
}

inline std::string describe(const wire_packet& w) {
    std::string s = to_string(w.type);
    if (w.type == packet_type::publish) {
        s += " '" + w.topic + "' q" + std::to_string(w.qos) + " d" + std::to_string(w.dup) +
             " id " + std::to_string(w.id);
    } else if (w.id != 0) {
        s += " id " + std::to_string(w.id);
    }
    return s;
}

// An owned copy of an inbound message (the session's views die with the receive buffer).
struct owned_message {
    std::string topic;
    std::string payload;
    int qos = 0;
    bool retain = false;
    bool dup = false;
    int mid = 0;
};

struct close_record {
    std::error_code reason;
    std::string detail;
};

// Records every callback; hooks let a test call back into the session from a callback.
class recording_handler : public session_handler {
public:
    std::vector<std::pair<bool, int>> connacks;  // session_present, return code
    std::vector<owned_message> messages;
    std::vector<int> published;
    std::vector<std::pair<int, std::vector<int>>> subscribed;
    std::vector<int> unsubscribed;
    std::vector<close_record> closes;
    std::vector<std::pair<log_level, std::string>> logs;
    std::function<void(bool, int)> connack_hook;
    std::function<void(const message&)> message_hook;
    // 5.0 forms
    std::vector<std::pair<int, reason_code>> publish_reasons;  // mid, reason
    std::vector<properties> message_props;
    std::vector<std::pair<reason_code, properties>> server_disconnects;
    std::vector<std::pair<int, std::vector<std::uint8_t>>> unsubscribe_codes;

    void on_message_properties(const message& m, const properties& p) override {
        message_props.push_back(p);
        session_handler::on_message_properties(m, p);
    }
    void on_publish_complete(int mid, reason_code rc, const properties& p) override {
        publish_reasons.emplace_back(mid, rc);
        session_handler::on_publish_complete(mid, rc, p);
    }
    void on_unsubscribe_complete(int mid, std::span<const std::uint8_t> codes,
                                 const properties& p) override {
        unsubscribe_codes.emplace_back(mid, std::vector<std::uint8_t>(codes.begin(), codes.end()));
        session_handler::on_unsubscribe_complete(mid, codes, p);
    }
    void on_server_disconnect(reason_code rc, const properties& p) override {
        server_disconnects.emplace_back(rc, p);
    }

    void on_connack(bool session_present, int return_code) override {
        connacks.emplace_back(session_present, return_code);
        if (connack_hook) connack_hook(session_present, return_code);
    }
    void on_message(const message& m) override {
        messages.push_back(
            {std::string(m.topic), std::string(m.payload), m.qos, m.retain, m.dup, m.mid});
        if (message_hook) message_hook(m);
    }
    void on_published(int mid) override { published.push_back(mid); }
    void on_subscribed(int mid, std::span<const int> granted) override {
        subscribed.emplace_back(mid, std::vector<int>(granted.begin(), granted.end()));
    }
    void on_unsubscribed(int mid) override { unsubscribed.push_back(mid); }
    void on_close(std::error_code reason, std::string_view detail) override {
        closes.push_back({reason, std::string(detail)});
    }
    void on_log(log_level level, std::string_view text) override {
        logs.emplace_back(level, std::string(text));
    }

    bool logged(log_level level, std::string_view needle) const {
        for (const auto& [l, t] : logs) {
            if (l == level && t.find(needle) != std::string::npos) return true;
        }
        return false;
    }
};

// Plays the broker: reads the session's output, feeds it scripted packets.
class scripted_peer {
public:
    explicit scripted_peer(session& s) : session_(s) {}

    // Takes everything the session has to send and decodes it; a malformed packet fails the
    // test. The QoS 0 message ids of the batch land in `qos0_mids`.
    std::vector<wire_packet> take() {
        byte_buffer out;
        session_.take_output(out, qos0_mids);
        std::vector<wire_packet> packets;
        std::span<const std::uint8_t> rest(out);
        while (!rest.empty()) {
            decode_result r = decode_packet(rest, session_.config().version);
            if (r.status != decode_status::ok) {
                ADD_FAILURE() << "session sent an undecodable packet: " << r.error;
                break;
            }
            packets.push_back(to_wire(r.pkt, rest.first(r.consumed)));
            rest = rest.subspan(r.consumed);
        }
        return packets;
    }

    // Takes the output and expects exactly one packet of type `t`.
    wire_packet take_one(packet_type t) {
        auto packets = take();
        EXPECT_EQ(packets.size(), 1u) << "expected one " << to_string(t);
        if (packets.empty()) return {};
        EXPECT_EQ(packets.front().type, t) << describe(packets.front());
        return packets.front();
    }

    // Offers the whole buffer; returns what the session consumed.
    std::size_t feed(std::span<const std::uint8_t> bytes, time_point now) {
        return session_.on_data(bytes, now);
    }
    // Sends one encoded packet and expects the session to consume all of it.
    void send(const packet& p, time_point now) {
        byte_buffer b;
        encode(p, b, session_.config().version);
        EXPECT_EQ(session_.on_data(b, now), b.size()) << "session did not consume the packet";
    }

    void connack(bool session_present, std::uint8_t rc, time_point now) {
        send(connack_packet{session_present, rc}, now);
    }
    void connack(bool session_present, std::uint8_t rc, const properties& props, time_point now) {
        connack_packet a{session_present, rc};
        a.props = props;
        send(a, now);
    }
    void ack(packet_type t, std::uint16_t id, time_point now) { send(ack_packet{t, id}, now); }
    void puback(std::uint16_t id, time_point now) { ack(packet_type::puback, id, now); }
    void pubrec(std::uint16_t id, time_point now) { ack(packet_type::pubrec, id, now); }
    void pubrel(std::uint16_t id, time_point now) { ack(packet_type::pubrel, id, now); }
    void pubcomp(std::uint16_t id, time_point now) { ack(packet_type::pubcomp, id, now); }
    void unsuback(std::uint16_t id, time_point now) { ack(packet_type::unsuback, id, now); }
    void suback(std::uint16_t id, std::vector<std::uint8_t> codes, time_point now) {
        send(suback_packet{id, std::move(codes)}, now);
    }
    void pingresp(time_point now) { send(empty_packet{packet_type::pingresp}, now); }
    void publish(std::string_view topic, std::string_view payload, std::uint8_t qos,
                 std::uint16_t id, time_point now, bool dup = false, bool retain = false) {
        send(publish_packet{topic, payload, qos, retain, dup, id}, now);
    }

    // Opens the transport, checks that CONNECT goes out and answers with CONNACK.
    void connect(time_point now, bool session_present = false) {
        session_.on_transport_open(now);
        take_one(packet_type::connect);
        connack(session_present, 0, now);
    }
    // The link drops and comes back; CONNECT goes out again; the CONNACK is the test's.
    void reconnect(time_point now, bool session_present) {
        session_.on_transport_closed();
        connect(now, session_present);
    }

    std::vector<int> qos0_mids;

private:
    session& session_;
};

// A session wired to a recording handler and a scripted peer.
struct session_rig {
    explicit session_rig(session_config c = default_config()) : s(std::move(c), handler), peer(s) {}

    static session_config default_config() {
        session_config c;
        c.client_id = "piogate-test";
        c.clean_session = false;
        c.keepalive = 60;
        return c;
    }

    recording_handler handler;
    session s;
    scripted_peer peer;
};

inline bool is_code(const close_record& c, errc e) {
    return c.reason == make_error_code(e);
}

}  // namespace piogate::mqtt::test
