// Subscriptions: SUBSCRIBE / UNSUBSCRIBE requests, resubscribing on a new connection, and the
// 5.0 subscription options and identifiers. SUBACK / UNSUBACK are in session_inbound.cpp.
#include <algorithm>
#include <stdexcept>
#include <system_error>
// SPDX-License-Identifier: Apache-2.0
#include "mqtt/session.hpp"
#include "piogate/mqtt/topic.hpp"

namespace piogate::mqtt {

int session::subscribe(std::span<const std::pair<std::string, int>> filters, time_point now) {
    for (const auto& [filter, qos] : filters) {
        if (qos < 0 || qos > 2) throw std::invalid_argument("QoS must be 0, 1 or 2");
    }
    std::vector<std::pair<std::string, subscribe_options>> with_options;
    with_options.reserve(filters.size());
    for (const auto& [filter, qos] : filters) {
        with_options.emplace_back(filter, subscribe_options{static_cast<std::uint8_t>(qos)});
    }
    return subscribe(with_options, properties{}, now);
}

int session::subscribe(std::span<const std::pair<std::string, subscribe_options>> filters,
                       const properties& props, time_point now) {
    if (filters.empty()) throw std::invalid_argument("subscribe needs at least one filter");
    auto unsupported = [](const std::string& what) {
        throw std::system_error(std::make_error_code(std::errc::not_supported), what);
    };
    for (const auto& [filter, o] : filters) {
        if (!is_valid_topic_filter(filter)) {
            throw std::invalid_argument("invalid topic filter: '" + filter + "'");
        }
        if (o.qos > 2) throw std::invalid_argument("QoS must be 0, 1 or 2");
        if (o.retain_handling > 2) throw std::invalid_argument("retain handling must be 0, 1 or 2");
        const bool shared = filter.starts_with("$share/");
        if (shared && o.no_local) {
            throw std::invalid_argument("no local on a shared subscription: '" + filter + "'");
        }
        if (!v5()) continue;
        if (connack_props_.wildcard_subscription_available == 0 &&
            filter.find_first_of("+#") != std::string::npos) {
            unsupported("the broker has no wildcard subscriptions (CONNACK): '" + filter + "'");
        }
        if (connack_props_.shared_subscription_available == 0 && shared) {
            unsupported("the broker has no shared subscriptions (CONNACK): '" + filter + "'");
        }
    }
    if (props.subscription_identifiers.size() > 1) {
        throw std::invalid_argument("one subscription identifier per SUBSCRIBE");
    }
    const std::uint32_t sub_id =
        v5() && !props.subscription_identifiers.empty() ? props.subscription_identifiers[0] : 0;
    if (v5() && !props.subscription_identifiers.empty() && (sub_id == 0 || sub_id > 268'435'455)) {
        throw std::invalid_argument("subscription identifier must be 1..268435455");
    }
    if (sub_id != 0 && connack_props_.subscription_identifier_available == 0) {
        unsupported("the broker has no subscription identifiers (CONNACK)");
    }
    now_ = now;
    const int mid = next_mid();
    for (const auto& request : filters) {
        const auto& [filter, o] = request;
        // (clang 14 cannot capture a structured binding in a lambda)
        auto it = std::find_if(subscriptions_.begin(), subscriptions_.end(),
                               [&](const subscription& s) { return s.filter == request.first; });
        if (it == subscriptions_.end()) {
            subscriptions_.push_back({filter, o.qos});
            it = subscriptions_.end() - 1;
        }
        it->qos = o.qos;
        it->options = o.to_byte();
        it->sub_id = sub_id;
        it->mid = mid;
        it->acked = false;
        it->sent_generation = 0;
    }
    if (state_ == session_state::connected) {
        std::vector<subscription*> batch;
        for (auto& s : subscriptions_) {
            if (s.mid == mid) batch.push_back(&s);
        }
        send_subscribe(batch, mid, v5() ? &props : nullptr);
    }
    return mid;
}

void session::send_subscribe(std::span<subscription* const> subs, int mid,
                             const properties* props) {
    if (subs.empty()) return;
    auto id = ids_.acquire();
    if (!id) {
        log(log_level::error, "no free packet identifier for SUBSCRIBE");
        return;
    }
    subscribe_packet p{*id, {}};
    for (auto* s : subs) {
        p.filters.emplace_back(s->filter, v5() ? s->options : static_cast<std::uint8_t>(s->qos));
        s->sent_generation = generation_;
    }
    if (v5()) {
        if (props) p.props.user_properties = props->user_properties;
        if (subs.front()->sub_id != 0) p.props.subscription_identifiers = {subs.front()->sub_id};
    }
    encode_subscribe(p, out_, config_.version);
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
    // the broker forgot the session, acknowledged subscriptions go too. One SUBSCRIBE carries
    // one subscription identifier, so a batch splits by identifier.
    auto send_grouped = [this](std::vector<subscription*> batch, int mid) {
        while (!batch.empty()) {
            const std::uint32_t sub_id = batch.front()->sub_id;
            std::vector<subscription*> group;
            std::erase_if(batch, [&](subscription* s) {
                if (s->sub_id != sub_id) return false;
                group.push_back(s);
                return true;
            });
            send_subscribe(group, mid);
        }
    };
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
        send_grouped(std::move(batch), mid);
    }
    if (!config_.resubscribe) return;
    // A kept session still lacks an automatic request whose SUBACK was lost with the link.
    std::vector<subscription*> batch;
    for (auto& s : subscriptions_) {
        if (s.sent_generation != generation_ && (!session_present || !s.acked)) {
            batch.push_back(&s);
        }
    }
    send_grouped(std::move(batch), 0);
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

std::size_t session::awaiting_acks() const {
    const auto subs = std::count_if(subscriptions_.begin(), subscriptions_.end(),
                                    [](const subscription& s) { return s.mid != 0; });
    return static_cast<std::size_t>(subs) + pending_unsubs_.size() + unsent_unsubs_.size();
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
        encode_unsubscribe({*id, u.filters}, out_, config_.version);
        mark_sent();
        pending_unsubs_.push_back({*id, u.mid, std::move(u.filters)});
    }
    unsent_unsubs_.erase(unsent_unsubs_.begin(),
                         unsent_unsubs_.begin() + static_cast<std::ptrdiff_t>(sent));
}

}  // namespace piogate::mqtt
