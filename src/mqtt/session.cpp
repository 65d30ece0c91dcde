// Session life cycle, timers and application requests. Inbound packet handling is in
// session_inbound.cpp.
#include "mqtt/session.hpp"

#include <algorithm>
#include <iterator>
#include <stdexcept>

#include "piogate/mqtt/topic.hpp"

namespace piogate::mqtt {

session::session(session_config config, session_handler& handler)
    : config_(std::move(config)), handler_(handler) {
    config_.max_inflight = std::clamp<std::uint16_t>(config_.max_inflight, 1, 65000);
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
    connect_packet c;
    c.version = config_.version;
    c.client_id = config_.client_id;
    c.clean_session = config_.clean_session;
    c.keepalive = config_.keepalive;
    c.will = config_.will;
    c.username = config_.username;
    c.password = config_.password;
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
        encode_empty({packet_type::disconnect}, out_);
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
    encode_publish({m.topic, m.payload, m.qos, m.retain, dup, packet_id}, out_);
    mark_sent();
    if (config_.log_packets) {
        log(log_level::debug, "Sending PUBLISH (d" + std::to_string(dup) + ", q" +
                                  std::to_string(m.qos) + ", r" + std::to_string(m.retain) +
                                  ", m" + std::to_string(packet_id) + "), '" + m.topic + "', ... (" +
                                  std::to_string(m.payload.size()) + " bytes)");
    }
}

void session::send_ack(packet_type type, std::uint16_t id) {
    encode_ack({type, id}, out_);
    mark_sent();
    if (config_.log_packets) {
        log(log_level::debug, std::string("Sending ") + to_string(type) + " (Mid: " +
                                  std::to_string(id) + ")");
    }
}

bool session::send_now(outbound&& m) {
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
        if (front.qos > 0 && inflight_.size() >= config_.max_inflight) return;
        // No free packet id (pending SUBSCRIBEs hold the rest): it waits for the next ack.
        if (!send_now(std::move(front))) return;
        queue_.pop_front();
    }
    maybe_send_disconnect();
}

publish_result session::publish(std::string_view topic, std::string_view payload, int qos,
                                bool retain, time_point now) {
    if (!is_valid_topic_name(topic)) {
        throw std::invalid_argument("invalid topic name for publish: '" + std::string(topic) + "'");
    }
    if (qos < 0 || qos > 2) throw std::invalid_argument("QoS must be 0, 1 or 2");
    if (payload.size() > max_remaining_length - 2 - topic.size() - 2) {
        throw std::invalid_argument("payload of " + std::to_string(payload.size()) +
                                    " bytes is too large for one MQTT packet");
    }
    now_ = now;
    const bool direct = state_ == session_state::connected && !disconnect_requested_ &&
                        (qos == 0 || (queue_.empty() && inflight_.size() < config_.max_inflight));
    if (!direct && config_.max_queued != 0 && queue_.size() >= config_.max_queued &&
        config_.when_full == queue_full_policy::reject) {
        log(log_level::warning, "queue full (" + std::to_string(config_.max_queued) +
                                    "): rejected message to '" + std::string(topic) + "'");
        return {0, make_error_code(errc::queue_full)};
    }
    const int mid = next_mid();
    if (direct && qos == 0) {
        // Hot path: encode straight into the output buffer without storing the message.
        encode_publish({topic, payload, 0, retain, false, 0}, out_);
        mark_sent();
        qos0_mids_.push_back(mid);
        return {mid, {}};
    }
    outbound m{std::string(topic), std::string(payload), static_cast<std::uint8_t>(qos), retain,
               mid};
    if (!direct || !send_now(std::move(m))) enqueue(std::move(m));
    return {mid, {}};
}

int session::subscribe(std::span<const std::pair<std::string, int>> filters, time_point now) {
    if (filters.empty()) throw std::invalid_argument("subscribe needs at least one filter");
    for (const auto& [filter, qos] : filters) {
        if (!is_valid_topic_filter(filter)) {
            throw std::invalid_argument("invalid topic filter: '" + filter + "'");
        }
        if (qos < 0 || qos > 2) throw std::invalid_argument("QoS must be 0, 1 or 2");
    }
    now_ = now;
    const int mid = next_mid();
    std::vector<subscription*> batch;
    for (const auto& request : filters) {
        const auto& [filter, qos] = request;
        // (clang 14 cannot capture a structured binding in a lambda)
        auto it = std::find_if(subscriptions_.begin(), subscriptions_.end(),
                               [&](const subscription& s) { return s.filter == request.first; });
        if (it == subscriptions_.end()) {
            subscriptions_.push_back({filter, qos});
            it = subscriptions_.end() - 1;
        }
        it->qos = qos;
        it->mid = mid;
        it->acked = false;
        it->sent_generation = 0;
    }
    if (state_ == session_state::connected) {
        for (auto& s : subscriptions_) {
            if (s.mid == mid) batch.push_back(&s);
        }
        send_subscribe(batch, mid);
    }
    return mid;
}

void session::send_subscribe(std::span<subscription* const> subs, int mid) {
    if (subs.empty()) return;
    auto id = ids_.acquire();
    if (!id) {
        log(log_level::error, "no free packet identifier for SUBSCRIBE");
        return;
    }
    subscribe_packet p{*id, {}};
    for (auto* s : subs) {
        p.filters.emplace_back(s->filter, static_cast<std::uint8_t>(s->qos));
        s->sent_generation = generation_;
    }
    encode_subscribe(p, out_);
    mark_sent();
    pending_request pending{*id, mid, {}};
    for (auto& f : p.filters) pending.filters.push_back(std::move(f.first));
    pending_subs_.push_back(std::move(pending));
    if (config_.log_packets) {
        log(log_level::debug, "Sending SUBSCRIBE (Mid: " + std::to_string(*id) + ") " +
                                  std::to_string(subs.size()) + " filter(s), first '" +
                                  subs.front()->filter + "'");
    }
}

void session::resubscribe(bool session_present) {
    // Requests the user made but the broker never acknowledged go again with their mid; when
    // the broker forgot the session, acknowledged subscriptions go too, in one request.
    std::vector<int> mids;
    for (const auto& s : subscriptions_) {
        if (s.sent_generation != generation_ && !s.acked && s.mid != 0 &&
            std::find(mids.begin(), mids.end(), s.mid) == mids.end()) {
            mids.push_back(s.mid);
        }
    }
    for (int mid : mids) {
        std::vector<subscription*> batch;
        for (auto& s : subscriptions_) {
            if (s.mid == mid && s.sent_generation != generation_) batch.push_back(&s);
        }
        send_subscribe(batch, mid);
    }
    if (!config_.resubscribe) return;
    // A kept session still lacks an automatic request whose SUBACK was lost with the link.
    std::vector<subscription*> batch;
    for (auto& s : subscriptions_) {
        if (s.sent_generation != generation_ && (!session_present || !s.acked)) {
            batch.push_back(&s);
        }
    }
    send_subscribe(batch, 0);
}

int session::unsubscribe(std::span<const std::string> filters, time_point now) {
    if (filters.empty()) throw std::invalid_argument("unsubscribe needs at least one filter");
    for (const auto& filter : filters) {
        if (!is_valid_topic_filter(filter)) {
            throw std::invalid_argument("invalid topic filter: '" + filter + "'");
        }
    }
    now_ = now;
    const int mid = next_mid();
    std::erase_if(subscriptions_, [&](const subscription& s) {
        return std::find(filters.begin(), filters.end(), s.filter) != filters.end();
    });
    unsent_unsubs_.push_back({mid, {filters.begin(), filters.end()}});
    if (state_ == session_state::connected) send_pending_unsubscribes();
    return mid;
}

void session::send_pending_unsubscribes() {
    std::size_t sent = 0;
    for (; sent < unsent_unsubs_.size(); ++sent) {
        auto& u = unsent_unsubs_[sent];
        auto id = ids_.acquire();
        if (!id) {
            log(log_level::error, "no free packet identifier for UNSUBSCRIBE");
            break;
        }
        encode_unsubscribe({*id, u.filters}, out_);
        mark_sent();
        pending_unsubs_.push_back({*id, u.mid, std::move(u.filters)});
    }
    unsent_unsubs_.erase(unsent_unsubs_.begin(),
                         unsent_unsubs_.begin() + static_cast<std::ptrdiff_t>(sent));
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
    encode_empty({packet_type::disconnect}, out_);
    mark_sent();
    if (config_.log_packets) log(log_level::debug, "Sending DISCONNECT");
    fail(errc::disconnected_by_user, "disconnect requested");
}

}  // namespace piogate::mqtt
