// Session life cycle, timers and application requests. Inbound packet handling is in
// session_inbound.cpp.
#include "mqtt/session.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <iterator>
#include <stdexcept>

#include "piogate/mqtt/topic.hpp"

namespace piogate::mqtt {

session::session(session_config config, session_handler& handler)
    : config_(std::move(config)), handler_(handler) {
    config_.max_inflight = std::clamp<std::uint16_t>(config_.max_inflight, 1, 65000);
    send_window_ = config_.max_inflight;
}

int session::next_mid() {
    last_mid_ = last_mid_ == 0x7FFFFFFF ? 1 : last_mid_ + 1;
    return last_mid_;
}

void session::on_transport_open(time_point now) {
    now_ = now;
    state_ = session_state::connecting;
    opened_at_ = now;
    last_in_ = now;
    ping_outstanding_ = false;
    ++generation_;
    // Topic aliases and the broker's limits belong to one connection.
    connack_props_ = {};
    send_window_ = config_.max_inflight;
    limits_ = {};
    alias_out_max_ = 0;
    aliases_out_.clear();
    aliases_in_.assign(v5() ? config_.mqtt5.topic_alias_maximum + 1u : 0u, std::string());
    const connect_packet c = make_connect();
    encode_connect(c, out_);
    mark_sent();
    if (config_.log_packets) log(log_level::debug, "Sending CONNECT (c" + std::to_string(c.clean_session) + ", k" + std::to_string(c.keepalive) + ") client id '" + c.client_id + "'");
}

void session::on_transport_closed() {
    state_ = session_state::idle;
    ping_outstanding_ = false;
    // Requests whose acknowledgement can no longer come: subscriptions stay stored unacked
    // and UNSUBSCRIBEs go back to the front of the line; both are sent on the next connection.
    for (const auto& p : pending_subs_) ids_.release(p.packet_id);
    pending_subs_.clear();
    std::vector<pending_unsubscribe> again;
    for (auto& p : pending_unsubs_) {
        ids_.release(p.packet_id);
        again.push_back({p.mid, std::move(p.filters)});
    }
    pending_unsubs_.clear();
    unsent_unsubs_.insert(unsent_unsubs_.begin(), std::make_move_iterator(again.begin()),
                          std::make_move_iterator(again.end()));
    out_.clear();
    qos0_mids_.clear();
}

void session::fail(errc reason, std::string detail) {
    if (state_ == session_state::closing || state_ == session_state::idle) return;
    state_ = session_state::closing;
    handler_.on_close(make_error_code(reason), detail);
}

std::optional<session::time_point> session::next_deadline() const {
    std::optional<time_point> next;
    auto consider = [&next](time_point t) {
        if (!next || t < *next) next = t;
    };
    if (state_ == session_state::connecting) consider(opened_at_ + config_.connect_timeout);
    if (state_ == session_state::connected && config_.keepalive > 0) {
        const auto ka = std::chrono::seconds(config_.keepalive);
        if (ping_outstanding_) {
            consider(ping_sent_at_ + ka);
        } else {
            consider(std::min(last_out_, last_in_) + ka);
        }
    }
    if (disconnect_requested_ && state_ == session_state::connected) consider(disconnect_deadline_);
    return next;
}

void session::on_tick(time_point now) {
    now_ = now;
    if (state_ == session_state::connecting && now >= opened_at_ + config_.connect_timeout) {
        fail(errc::connect_timeout, "no CONNACK within " +
                                        std::to_string(config_.connect_timeout.count()) + " ms");
        return;
    }
    if (state_ != session_state::connected) return;
    if (disconnect_requested_ && now >= disconnect_deadline_) {
        log(log_level::warning, "disconnect: " + std::to_string(inflight_.size()) +
                                    " in-flight and " + std::to_string(queue_.size()) +
                                    " queued messages not acknowledged, " +
                                    std::to_string(drain_qos2_count_) +
                                    " received QoS 2 messages without PUBREL before the timeout");
        send_disconnect();
        fail(errc::disconnected_by_user, "disconnect requested");
        return;
    }
    if (config_.keepalive == 0) return;
    const auto ka = std::chrono::seconds(config_.keepalive);
    if (ping_outstanding_) {
        if (now >= ping_sent_at_ + ka) {
            fail(errc::keepalive_timeout,
                 "no PINGRESP within " + std::to_string(config_.keepalive) + " s");
        }
        return;
    }
    if (now >= std::min(last_out_, last_in_) + ka) {
        encode_empty({packet_type::pingreq}, out_);
        if (config_.log_packets) log(log_level::debug, "Sending PINGREQ");
        ping_outstanding_ = true;
        ping_sent_at_ = now;
        mark_sent();
    }
}

void session::take_output(byte_buffer& out, std::vector<int>& qos0_mids) {
    out.clear();
    qos0_mids.clear();
    out.swap(out_);
    qos0_mids.swap(qos0_mids_);
}

void session::send_publish(const outbound& m, std::uint16_t packet_id, bool dup) {
    if (!v5()) {
        encode_publish({m.topic, m.payload, m.qos, m.retain, dup, packet_id}, out_);
    } else {
        publish_packet p{m.topic, m.payload, m.qos, m.retain, dup, packet_id};
        if (m.props) p.props = *m.props;
        if (alias_out_max_ > 0) {
            auto it = aliases_out_.find(m.topic);
            if (it != aliases_out_.end()) {
                p.topic = {};
                p.props.topic_alias = it->second;
            } else if (aliases_out_.size() < alias_out_max_) {
                const auto alias = static_cast<std::uint16_t>(aliases_out_.size() + 1);
                aliases_out_.emplace(m.topic, alias);
                p.props.topic_alias = alias;
            }
        }
        encode_publish(p, out_, config_.version);
    }
    mark_sent();
    if (config_.log_packets) {
        log(log_level::debug, "Sending PUBLISH (d" + std::to_string(dup) + ", q" +
                                  std::to_string(m.qos) + ", r" + std::to_string(m.retain) +
                                  ", m" + std::to_string(packet_id) + "), '" + m.topic + "', ... (" +
                                  std::to_string(m.payload.size()) + " bytes)");
    }
}

void session::send_ack(packet_type type, std::uint16_t id) {
    encode_ack({type, id}, out_, config_.version);
    mark_sent();
    if (config_.log_packets) {
        log(log_level::debug, std::string("Sending ") + to_string(type) + " (Mid: " +
                                  std::to_string(id) + ")");
    }
}

bool session::send_now(outbound&& m) {
    if (const std::error_code ec = mqtt::check_publish(limits_, m.topic, m.payload.size(), m.qos,
                                                       m.retain, m.props.get())) {
        // Queued before the CONNACK told the limits: it can never go to this broker.
        const reason_code why = refusal_reason(limits_, m.qos, m.retain, ec);
        log(log_level::warning, "message mid " + std::to_string(m.mid) + " to '" + m.topic +
                                    "' is refused by the broker's CONNACK (" + to_string(why) +
                                    (why == reason_code::packet_too_large
                                         ? ": Maximum Packet Size " +
                                               std::to_string(limits_.maximum_packet_size) +
                                               " bytes"
                                         : std::string()) +
                                    "): dropped");
        if (m.qos == 0) {
            qos0_mids_.push_back(m.mid);
        } else {
            handler_.on_publish_complete(m.mid, why, {});
        }
        return true;
    }
    if (m.qos == 0) {
        send_publish(m, 0, false);
        qos0_mids_.push_back(m.mid);
        return true;
    }
    auto id = ids_.acquire();
    if (!id) return false;
    send_publish(m, *id, false);
    const stage first_stage = m.qos == 1 ? stage::await_puback : stage::await_pubrec;
    inflight_.push_back({std::move(m), *id, first_stage});
    return true;
}

void session::enqueue(outbound&& m) {
    if (config_.max_queued != 0 && queue_.size() >= config_.max_queued) {
        // Only reached with drop_oldest; publish() rejects before for `reject`.
        const outbound& old = queue_.front();
        log(log_level::warning, "queue full (" + std::to_string(config_.max_queued) +
                                    "): dropped oldest message mid " + std::to_string(old.mid) +
                                    " to '" + old.topic + "'");
        queue_.pop_front();
    }
    queue_.push_back(std::move(m));
}

void session::pump_queue() {
    while (state_ == session_state::connected && !queue_.empty()) {
        outbound& front = queue_.front();
        if (front.qos > 0 && inflight_.size() >= send_window_) return;
        // No free packet id (pending SUBSCRIBEs hold the rest): it waits for the next ack.
        if (!send_now(std::move(front))) return;
        queue_.pop_front();
    }
    maybe_send_disconnect();
}

publish_result session::publish(std::string_view topic, std::string_view payload, int qos,
                                bool retain, time_point now) {
    return publish(topic, payload, qos, retain, properties{}, now);
}

publish_result session::publish(std::string_view topic, std::string_view payload, int qos,
                                bool retain, const properties& props, time_point now) {
    if (!is_valid_topic_name(topic)) {
        throw std::invalid_argument("invalid topic name for publish: '" + std::string(topic) + "'");
    }
    if (qos < 0 || qos > 2) throw std::invalid_argument("QoS must be 0, 1 or 2");
    if (payload.size() > max_remaining_length - 2 - topic.size() - 2) {
        throw std::invalid_argument("payload of " + std::to_string(payload.size()) +
                                    " bytes is too large for one MQTT packet");
    }
    const bool has_props = v5() && !props.empty();
    if (has_props && (props.topic_alias || !props.subscription_identifiers.empty())) {
        throw std::invalid_argument(
            "publish properties must not set a topic alias or subscription identifier");
    }
    if (has_props && props.payload_format_indicator == 1 && !is_valid_utf8(payload)) {
        throw std::invalid_argument("payload format indicator 1 (UTF-8) with a payload that is "
                                    "not UTF-8");
    }
    if (const std::error_code ec =
            check_publish(topic, payload.size(), qos, retain, has_props ? &props : nullptr)) {
        log(log_level::warning, "publish to '" + std::string(topic) + "' refused: " + ec.message());
        return {0, ec};
    }
    now_ = now;
    const bool direct = state_ == session_state::connected && !disconnect_requested_ &&
                        (qos == 0 || (queue_.empty() && inflight_.size() < send_window_));
    if (!direct && config_.max_queued != 0 && queue_.size() >= config_.max_queued &&
        config_.when_full == queue_full_policy::reject) {
        log(log_level::warning, "queue full (" + std::to_string(config_.max_queued) +
                                    "): rejected message to '" + std::string(topic) + "'");
        return {0, make_error_code(errc::queue_full)};
    }
    const int mid = next_mid();
    if (direct && qos == 0 && !has_props && alias_out_max_ == 0) {
        // Hot path: encode straight into the output buffer without storing the message.
        encode_publish({topic, payload, 0, retain, false, 0}, out_, config_.version);
        mark_sent();
        qos0_mids_.push_back(mid);
        return {mid, {}};
    }
    outbound m{std::string(topic), std::string(payload), static_cast<std::uint8_t>(qos), retain,
               mid, has_props ? std::make_shared<const properties>(props) : nullptr};
    if (!direct || !send_now(std::move(m))) enqueue(std::move(m));
    return {mid, {}};
}

void session::disconnect(time_point now, reason_code reason, properties props) {
    disconnect_reason_ = reason;
    disconnect_props_ = std::move(props);
    disconnect(now);
}

void session::disconnect(time_point now) {
    now_ = now;
    if (!disconnect_requested_) {
        drain_qos2_ = inbound_qos2_;
        drain_qos2_count_ = drain_qos2_.count();
    }
    disconnect_requested_ = true;
    disconnect_deadline_ = now + config_.disconnect_timeout;
    if (state_ == session_state::connected) {
        maybe_send_disconnect();
    } else if (state_ == session_state::connecting) {
        fail(errc::disconnected_by_user, "disconnect requested before CONNACK");
    }
}

void session::maybe_send_disconnect() {
    if (!disconnect_requested_ || state_ != session_state::connected) return;
    if (!queue_.empty() || !inflight_.empty() || drain_qos2_count_ != 0) return;
    send_disconnect();
    fail(errc::disconnected_by_user, "disconnect requested");
}

void session::send_disconnect() {
    empty_packet d;
    d.type = packet_type::disconnect;
    d.reason_code = static_cast<std::uint8_t>(disconnect_reason_);
    d.props = disconnect_props_;
    encode_empty(d, out_, config_.version);
    mark_sent();
    if (config_.log_packets) log(log_level::debug, "Sending DISCONNECT");
}

}  // namespace piogate::mqtt
