// The adapter between the async_client's callbacks and the Paho-style face's (client.hpp):
// the one place that turns what the session reports into userdata, reason codes and
// properties. Runs on the executor (the thread running the client's loop).
#include <boost/asio/io_context.hpp>

#include "mqtt/client_impl.hpp"
#include "piogate/mqtt/topic.hpp"

namespace piogate::mqtt {
namespace {

const properties no_properties{};

// 3.1 / 3.1.1 have no reason code in DISCONNECT: the nearest 5.0 code for what ended it.
reason_code disconnect_reason(std::error_code cause) {
    if (cause == errc::disconnected_by_user) return reason_code::normal_disconnection;
    if (cause == errc::keepalive_timeout) return reason_code::keep_alive_timeout;
    if (cause == errc::malformed_packet) return reason_code::malformed_packet;
    if (cause == errc::protocol_error) return reason_code::protocol_error;
    if (cause == errc::packet_too_large) return reason_code::packet_too_large;
    return reason_code::unspecified_error;
}

}  // namespace

void client::impl::rebuild(const client_options& o) {
    auto next = std::make_unique<async_client>(io, o);
    next->set_auto_reconnect(false);
    const bool v5 = o.protocol == protocol_version::v5;
    next->on_connect = [this, v5](int rc, bool session_present) {
        {
            std::lock_guard lock(mutex);
            if (!connect_done) {
                connect_done = true;
                if (rc != 0) {
                    connect_ec = make_error_code(errc::connection_refused);
                    connect_detail = connack_string(rc);
                }
            }
        }
        refresh();
        changed.notify_all();
        const auto code = v5 ? static_cast<reason_code>(rc)
                             : from_connack_v311(static_cast<std::uint8_t>(rc));
        self.on_connect(self, userdata, connect_flags{session_present}, code, no_properties);
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
    next->on_disconnect = [this](std::error_code ec) {
        connected.store(false);
        self.on_disconnect(self, userdata, disconnect_flags{false, ec}, disconnect_reason(ec),
                           no_properties);
    };
    next->on_message = [this](const message& m) { dispatch(m); };
    next->on_publish = [this](int mid) {
        // The session's queue shrinks as acks arrive; tell the bound now and then.
        if (bounded && (++publish_count & 31) == 0) queue.session_queued(async->queued_messages());
        self.on_publish(self, userdata, mids.to_client(mid), reason_code::success, no_properties);
    };
    next->on_subscribe = [this](int mid, std::span<const int> granted) {
        reason_codes.clear();
        for (const int g : granted) reason_codes.push_back(static_cast<reason_code>(g));
        self.on_subscribe(self, userdata, mids.to_client(mid), reason_codes, no_properties);
    };
    next->on_unsubscribe = [this](int mid) {
        reason_codes.assign(1, reason_code::success);  // client::unsubscribe takes one filter
        self.on_unsubscribe(self, userdata, mids.to_client(mid), reason_codes, no_properties);
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
