// Inbound packets: framing, CONNACK, PUBLISH and the acknowledgement flows.
#include <algorithm>
// SPDX-License-Identifier: Apache-2.0
#include "mqtt/session.hpp"

namespace piogate::mqtt {

std::size_t session::bytes_wanted(std::span<const std::uint8_t> buffered) const {
    header_result h = decode_header(buffered);
    if (h.status != decode_status::ok) return buffered.size() + 1;
    return h.header.total_size();
}

std::size_t session::on_data(std::span<const std::uint8_t> in, time_point now) {
    now_ = now;
    std::size_t consumed = 0;
    while (state_ == session_state::connecting || state_ == session_state::connected) {
        auto rest = in.subspan(consumed);
        header_result h = decode_header(rest);
        if (h.status == decode_status::incomplete) break;
        if (h.status == decode_status::malformed) {
            fail(errc::malformed_packet, h.error);
            break;
        }
        if (h.header.total_size() > config_.max_packet_size) {
            fail(errc::packet_too_large, reason_code::packet_too_large,
                 "inbound packet of " + std::to_string(h.header.total_size()) +
                     " bytes exceeds the limit of " + std::to_string(config_.max_packet_size));
            break;
        }
        if (rest.size() < h.header.total_size()) break;
        decode_result r = decode_packet(rest, config_.version);
        if (r.status != decode_status::ok) {
            const bool protocol = v5() && r.reason != reason_code::malformed_packet;
            fail(protocol ? errc::protocol_error : errc::malformed_packet, r.reason, r.error);
            break;
        }
        consumed += r.consumed;
        last_in_ = now;
        dispatch(r.pkt, now);
    }
    return consumed;
}

void session::dispatch(const packet& p, time_point now) {
    const packet_type type = type_of(p);
    if (state_ == session_state::connecting && type != packet_type::connack &&
        type != packet_type::auth) {
        fail(errc::protocol_error, std::string(to_string(type)) + " before CONNACK");
        return;
    }
    switch (type) {
        case packet_type::connack: handle_connack(std::get<connack_packet>(p), now); break;
        case packet_type::publish: handle_publish(std::get<publish_packet>(p)); break;
        case packet_type::puback:
        case packet_type::pubrec:
        case packet_type::pubrel:
        case packet_type::pubcomp:
        case packet_type::unsuback: handle_ack(std::get<ack_packet>(p)); break;
        case packet_type::suback: handle_suback(std::get<suback_packet>(p)); break;
        case packet_type::disconnect:
            if (!v5()) goto not_from_broker;
            handle_server_disconnect(std::get<empty_packet>(p));
            break;
        case packet_type::auth: handle_auth(std::get<auth_packet>(p)); break;
        case packet_type::pingresp:
            if (config_.log_packets) log(log_level::debug, "Received PINGRESP");
            ping_outstanding_ = false;
            handler_.on_pingresp();
            break;
        default:
        not_from_broker:
            fail(errc::protocol_error, reason_code::protocol_error,
                 std::string("a broker must not send ") + to_string(type) + " to a client");
            break;
    }
}

void session::handle_connack(const connack_packet& p, time_point) {
    if (state_ != session_state::connecting) {
        fail(errc::protocol_error, "second CONNACK on one connection");
        return;
    }
    if (config_.log_packets) {
        log(log_level::debug, "Received CONNACK (" + std::to_string(p.session_present) + ", " +
                                  std::to_string(p.return_code) + ")");
    }
    if (p.return_code != 0) {
        handler_.on_connack_properties(false, p.return_code, p.props);
        std::string why = v5() ? to_string(static_cast<reason_code>(p.return_code))
                               : connack_string(p.return_code);
        if (p.props.reason_string) why += " (" + *p.props.reason_string + ")";
        fail(errc::connection_refused, why);
        return;
    }
    state_ = session_state::connected;
    if (v5()) apply_connack(p);
    if (p.session_present) {
        // The broker kept our session: resend what it has not acknowledged, in order
        // (MQTT 3.1.1 section 4.4). PUBLISH goes with DUP; after PUBREC only PUBREL goes.
        for (const auto& e : inflight_) {
            if (e.at == stage::await_pubcomp) {
                send_ack(packet_type::pubrel, e.packet_id);
            } else {
                send_publish(e.msg, e.packet_id, true);
            }
        }
    } else {
        // A new session: the broker's half of every exchange is gone. Messages it never
        // accepted go again as new publishes, first in line; past PUBREC it holds them.
        inbound_qos2_.reset();
        inbound_qos2_count_ = 0;
        drain_qos2_.reset();
        drain_qos2_count_ = 0;
        for (auto it = inflight_.rbegin(); it != inflight_.rend(); ++it) {
            ids_.release(it->packet_id);
            if (it->at == stage::await_pubcomp) {
                log(log_level::warning, "session not kept by the broker: QoS 2 message mid " +
                                            std::to_string(it->msg.mid) +
                                            " was past PUBREC; not sent again");
                handler_.on_publish_complete(it->msg.mid, reason_code::success, {});
            } else {
                queue_.push_front(std::move(it->msg));
            }
        }
        inflight_.clear();
        for (auto& s : subscriptions_) {
            if (s.mid == 0) s.acked = false;
        }
    }
    handler_.on_connack_properties(p.session_present, 0, p.props);
    if (state_ != session_state::connected) return;  // the handler disconnected
    // Unsubscribes first: `subscriptions_` already holds the latest wish for every filter,
    // so an UNSUBSCRIBE older than a SUBSCRIBE of the same filter must not come after it.
    send_pending_unsubscribes();
    resubscribe(p.session_present);
    pump_queue();
}

void session::handle_publish(const publish_packet& p) {
    if (config_.log_packets) {
        log(log_level::debug, "Received PUBLISH (d" + std::to_string(p.dup) + ", q" +
                                  std::to_string(p.qos) + ", r" + std::to_string(p.retain) +
                                  ", m" + std::to_string(p.packet_id) + "), '" +
                                  std::string(p.topic) + "', ... (" +
                                  std::to_string(p.payload.size()) + " bytes)");
    }
    std::string_view topic;
    if (v5() && !resolve_alias(p, topic)) return;
    if (!v5()) topic = p.topic;
    message m{topic, p.payload, p.qos, p.retain, p.dup, p.packet_id};
    // The acknowledgement is queued before the handler runs: a disconnect() from on_message
    // puts DISCONNECT in the output, and nothing may follow it (MQTT 3.1.1 section 3.14.4).
    switch (p.qos) {
        case 0: handler_.on_message_properties(m, p.props); break;
        case 1:
            send_ack(packet_type::puback, p.packet_id);
            handler_.on_message_properties(m, p.props);
            break;
        case 2:
            // Exactly once: deliver on first receipt, remember the id until PUBREL.
            if (!inbound_qos2_[p.packet_id] && v5() &&
                inbound_qos2_count_ >= config_.mqtt5.receive_maximum.value_or(65535)) {
                fail(errc::protocol_error, reason_code::receive_maximum_exceeded,
                     "broker sent more than our Receive Maximum of " +
                         std::to_string(*config_.mqtt5.receive_maximum) +
                         " unacknowledged QoS 2 messages");
                return;
            }
            send_ack(packet_type::pubrec, p.packet_id);
            if (!inbound_qos2_[p.packet_id]) {
                inbound_qos2_[p.packet_id] = true;
                ++inbound_qos2_count_;
                handler_.on_message_properties(m, p.props);
            }
            break;
    }
}

void session::complete(std::deque<inflight_entry>::iterator it, reason_code rc,
                       const properties& props) {
    const int mid = it->msg.mid;
    ids_.release(it->packet_id);
    inflight_.erase(it);
    if (is_error(rc)) {
        std::string why = std::string("broker refused message mid ") + std::to_string(mid) +
                          ": " + to_string(rc);
        if (props.reason_string) why += " (" + *props.reason_string + ")";
        log(log_level::warning, why);
    }
    handler_.on_publish_complete(mid, rc, props);
    pump_queue();
}

void session::handle_ack(const ack_packet& p) {
    if (config_.log_packets) {
        log(log_level::debug, std::string("Received ") + to_string(p.type) + " (Mid: " +
                                  std::to_string(p.packet_id) + ")");
    }
    if (p.type == packet_type::pubrel) {
        if (inbound_qos2_[p.packet_id]) --inbound_qos2_count_;
        inbound_qos2_[p.packet_id] = false;
        send_ack(packet_type::pubcomp, p.packet_id);
        if (drain_qos2_[p.packet_id]) {
            drain_qos2_[p.packet_id] = false;
            --drain_qos2_count_;
            maybe_send_disconnect();
        }
        return;
    }
    if (p.type == packet_type::unsuback) {
        auto it = std::find_if(pending_unsubs_.begin(), pending_unsubs_.end(),
                               [&](const pending_request& r) { return r.packet_id == p.packet_id; });
        if (it == pending_unsubs_.end()) {
            log(log_level::warning, "UNSUBACK for unknown packet id " + std::to_string(p.packet_id));
            return;
        }
        const int mid = it->mid;
        ids_.release(it->packet_id);
        pending_unsubs_.erase(it);
        handler_.on_unsubscribe_complete(mid, p.reason_codes, p.props);
        return;
    }
    // Acks usually come in order, so the entry is almost always the first.
    auto it = std::find_if(inflight_.begin(), inflight_.end(),
                           [&](const inflight_entry& e) { return e.packet_id == p.packet_id; });
    if (it == inflight_.end()) {
        if (p.type == packet_type::pubrec && p.reason_code < 0x80) {
            send_ack(packet_type::pubrel, p.packet_id);
        }
        log(log_level::warning, std::string(to_string(p.type)) + " for unknown packet id " +
                                    std::to_string(p.packet_id) + " ignored");
        return;
    }
    switch (p.type) {
        case packet_type::puback:
            if (it->at != stage::await_puback) break;
            complete(it, static_cast<reason_code>(p.reason_code), p.props);
            return;
        case packet_type::pubrec:
            if (it->at == stage::await_puback) break;
            if (p.reason_code >= 0x80) {  // 5.0: the exchange ends here, no PUBREL
                complete(it, static_cast<reason_code>(p.reason_code), p.props);
                return;
            }
            it->at = stage::await_pubcomp;
            send_ack(packet_type::pubrel, p.packet_id);
            return;
        case packet_type::pubcomp:
            if (it->at != stage::await_pubcomp) break;
            complete(it, static_cast<reason_code>(p.reason_code), p.props);
            return;
        default: break;
    }
    fail(errc::protocol_error, std::string(to_string(p.type)) + " for packet id " +
                                   std::to_string(p.packet_id) + " out of order in its QoS " +
                                   std::to_string(it->msg.qos) + " exchange");
}

void session::handle_suback(const suback_packet& p) {
    auto it = std::find_if(pending_subs_.begin(), pending_subs_.end(),
                           [&](const pending_request& r) { return r.packet_id == p.packet_id; });
    if (it == pending_subs_.end()) {
        log(log_level::warning, "SUBACK for unknown packet id " + std::to_string(p.packet_id));
        return;
    }
    if (p.return_codes.size() != it->filters.size()) {
        fail(errc::protocol_error, "SUBACK has " + std::to_string(p.return_codes.size()) +
                                       " return codes for " + std::to_string(it->filters.size()) +
                                       " filters");
        return;
    }
    const int mid = it->mid;
    const std::vector<std::string> filters = std::move(it->filters);
    ids_.release(it->packet_id);
    pending_subs_.erase(it);
    // Codes follow the filters as sent. A filter unsubscribed or requested again since then
    // is no longer this request's to settle.
    std::vector<int> granted(p.return_codes.begin(), p.return_codes.end());
    for (std::size_t i = 0; i < filters.size(); ++i) {
        auto s = std::find_if(subscriptions_.begin(), subscriptions_.end(),
                              [&](const subscription& x) { return x.filter == filters[i]; });
        if (s == subscriptions_.end() || s->acked || s->mid != mid) continue;
        if (granted[i] >= 0x80) {
            log(log_level::warning, "broker refused subscription to '" + s->filter + "'" +
                                        (v5() ? std::string(": ") +
                                                    to_string(static_cast<reason_code>(granted[i]))
                                              : std::string()));
            subscriptions_.erase(s);
        } else {
            s->acked = true;
            s->mid = 0;
        }
    }
    if (mid != 0) handler_.on_subscribe_complete(mid, granted, p.props);
}

}  // namespace piogate::mqtt
