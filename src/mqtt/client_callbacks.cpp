// The adapter between the async_client's callbacks and the Paho-style face's (client.hpp):
// the one place that turns what the session reports into userdata, reason codes and
// properties. Runs on the executor (the thread running the client's loop).
#include <boost/asio/io_context.hpp>
// SPDX-License-Identifier: Apache-2.0
#include "mqtt/async_client_events.hpp"
#include "mqtt/client_impl.hpp"
#include "piogate/mqtt/topic.hpp"

namespace piogate::mqtt {
void client::impl::rebuild(const client_options& o) {
    auto next = std::make_unique<async_client>(io, o);
    next->set_auto_reconnect(false);
    const bool v5 = o.protocol == protocol_version::v5;
    // The async face's 5.0 forms carry the codes and properties (mapped for 3.1 / 3.1.1).
    limits.store(0);
    next->on_connect_v5 = [this, v5, aliases = o.mqtt5.outbound_topic_aliases](
                              const connect_flags& flags, reason_code rc, const properties& props) {
        // What this broker allows a publish to be, for refusals on the callers' threads.
        if (v5 && rc == reason_code::success) {
            limits.store(publish_limits::from_connack(props, aliases).pack());
        }
        {
            std::lock_guard lock(mutex);
            if (!connect_done) {
                connect_done = true;
                if (rc != reason_code::success) {
                    connect_ec = make_error_code(errc::connection_refused);
                    // 3.1.1: the return code's own words (rc is mapped from it).
                    connect_detail = refusal_text(v5, rc);
                    if (props.reason_string) connect_detail += " (" + *props.reason_string + ")";
                }
            }
        }
        refresh();
        changed.notify_all();
        self.on_connect(self, userdata, flags, rc, props);
    };
    next->on_connect_fail = [this](std::error_code ec, std::string_view detail) {
        {
            std::lock_guard lock(mutex);
            if (!connect_done) {
                connect_done = true;
                connect_ec = ec;
                connect_detail = detail;
            }
        }
        refresh();
        changed.notify_all();
        self.on_connect_fail(self, userdata, ec, detail);
    };
    next->on_disconnect_v5 = [this](const disconnect_flags& flags, reason_code rc,
                                    const properties& props) {
        connected.store(false);
        self.on_disconnect(self, userdata, flags, rc, props);
    };
    next->on_message = [this](const message& m) { dispatch(m); };
    next->on_publish_v5 = [this](int mid, reason_code rc, const properties& props) {
        // The session's queue shrinks as acks arrive; tell the bound now and then.
        if (bounded && (++publish_count & 31) == 0) queue.session_queued(async->queued_messages());
        self.on_publish(self, userdata, mids.to_client(mid), rc, props);
    };
    next->on_subscribe_v5 = [this](int mid, std::span<const reason_code> rcs,
                                   const properties& props) {
        self.on_subscribe(self, userdata, mids.to_client(mid), rcs, props);
    };
    next->on_unsubscribe_v5 = [this](int mid, std::span<const reason_code> rcs,
                                     const properties& props) {
        self.on_unsubscribe(self, userdata, mids.to_client(mid), rcs, props);
    };
    next->on_log = [this](log_level level, std::string_view text) { log(level, text); };
    async = std::move(next);
    mids.reset();
    bounded = o.max_queued != 0 && o.when_full == queue_full_policy::reject;
    queue.set_limit(bounded ? o.max_queued : 0);
    queue.session_queued(0);
}

void client::impl::log(log_level level, std::string_view text) {
    self.on_log(self, userdata, level, text);
    logger(level, text);
}

void client::impl::dispatch(const message& m) {
    if (filters_version.load(std::memory_order_acquire) != filters_cached_version) {
        std::lock_guard lock(mutex);
        filters_cached = filters;
        filters_cached_version = filters_version.load(std::memory_order_relaxed);
    }
    const auto list = filters_cached;  // a callback may change the table meanwhile
    bool matched = false;
    if (list) {
        for (const auto& [filter, fn] : *list) {
            if (topic_matches_sub(filter, m.topic)) {
                matched = true;
                (*fn)(self, userdata, m);
            }
        }
    }
    if (!matched) self.on_message(self, userdata, m);
}

}  // namespace piogate::mqtt
