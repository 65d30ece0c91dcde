// mqtt::async_client's public face (include/piogate/mqtt/async_client.hpp): each call checks
// its arguments, hands the pure session (or connect_policy) an event and lets the impl carry
// out what follows (service()). The impl, the Asio shell, is async_client_impl.hpp.
#include "piogate/mqtt/async_client.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <stdexcept>

#include "mqtt/async_client_impl.hpp"
#include "mqtt/async_client_options.hpp"
#include "mqtt/mqtt5_checks.hpp"
#include "piogate/mqtt/topic.hpp"

namespace piogate::mqtt {
namespace asio = boost::asio;
using clock = std::chrono::steady_clock;

namespace {

connect_timing to_connect_timing(const client_options& o) {
    connect_timing t;
    t.connect_timeout = o.connect_timeout;
    t.reconnect_min_delay = o.reconnect_min_delay;
    t.reconnect_max_delay = o.reconnect_max_delay;
    t.reconnect_spread = o.reconnect_spread;
    return t;
}

connection_state to_connection_state(connect_phase p) {
    switch (p) {
        case connect_phase::connecting:
            return connection_state::connecting;
        case connect_phase::connected:
            return connection_state::connected;
        case connect_phase::waiting:
            return connection_state::waiting_to_reconnect;
        case connect_phase::idle:
            break;
    }
    return connection_state::disconnected;
}

}  // namespace

async_client::impl::impl(asio::io_context& io_, client_options o, client_callbacks& cb_)
    : io(io_),
      opts(validated(std::move(o))),
      cb(&cb_),
      sess(to_session_config(opts), *this),
      factory(io_, opts),
      resolver(io_),
      timer(io_),
      retry_timer(io_),
      jitter(std::random_device{}()),
      policy(to_connect_timing(opts), [this] {
          std::uniform_real_distribution<double> unit(0.0, 1.0);
          return unit(jitter);
      }) {}

connection_state async_client::impl::state() const {
    return to_connection_state(policy.phase());
}

async_client::async_client(asio::io_context& io, client_options options)
    : impl_(std::make_shared<impl>(io, std::move(options), *this)) {}

async_client::~async_client() {
    impl_->cb = nullptr;
    ++impl_->attempt;
    if (impl_->conn) impl_->conn->close();
    impl_->resolver.cancel();
    impl_->timer.cancel();
    impl_->retry_timer.cancel();
}

void async_client::connect(std::string host, std::uint16_t port, std::uint16_t keepalive,
                           std::string bind_address) {
    if (host.empty()) throw std::invalid_argument("broker host must not be empty");
    connect(std::vector<broker_address>{broker_address{std::move(host), port}}, keepalive,
            std::move(bind_address));
}

void async_client::connect(std::vector<broker_address> brokers, std::uint16_t keepalive,
                           std::string bind_address) {
    if (brokers.empty()) throw std::invalid_argument("the broker list must not be empty");
    for (const auto& b : brokers) {
        check_broker_address(b, impl_->opts.transport);
    }
    impl_->policy.set_brokers(std::move(brokers));
    impl_->bind_address = std::move(bind_address);
    impl_->sess.set_keepalive(keepalive);
    reconnect();
}

void async_client::reconnect() {
    impl_->policy.start(clock::now());  // throws std::invalid_argument before connect()
    impl_->sess.clear_disconnect();
    impl_->retry_timer.cancel();
    if (impl_->conn) {
        ++impl_->attempt;
        impl_->conn->close();
        impl_->conn.reset();
        impl_->sess.on_transport_closed();
        impl_->writing = false;
    }
    impl_->start_attempt();
}

void async_client::disconnect() {
    disconnect(reason_code::normal_disconnection, {});
}

void async_client::disconnect(reason_code rc, properties props) {
    const auto action = impl_->policy.disconnect();
    impl_->retry_timer.cancel();
    switch (action) {
        case connect_policy::disconnect_action::send_disconnect:
            if (impl_->v5()) {
                impl_->sess.disconnect(clock::now(), rc, std::move(props));
            } else {
                impl_->sess.disconnect(clock::now());
            }
            impl_->service();
            break;
        case connect_policy::disconnect_action::abort_attempt:
            if (impl_->conn) {
                impl_->teardown(make_error_code(errc::disconnected_by_user),
                                "disconnect requested");
            }
            break;
        case connect_policy::disconnect_action::none:
            break;
    }
}

void async_client::set_auto_reconnect(bool on) {
    impl_->policy.set_auto_reconnect(on);
}

void async_client::reconnect_delay_set(std::chrono::milliseconds min,
                                       std::chrono::milliseconds max) {
    impl_->opts.reconnect_min_delay = min;
    impl_->opts.reconnect_max_delay = max;
    impl_->policy.set_delays(min, max);
}

publish_result async_client::publish(std::string_view topic, std::string_view payload, int qos,
                                     bool retain) {
    publish_result r = impl_->sess.publish(topic, payload, qos, retain, clock::now());
    impl_->service();
    return r;
}

publish_result async_client::publish(std::string_view topic, std::string_view payload, int qos,
                                     bool retain, const properties& props) {
    check_publish_properties(impl_->opts.protocol, payload, props);
    publish_result r = impl_->sess.publish(topic, payload, qos, retain, props, clock::now());
    impl_->service();
    return r;
}

int async_client::subscribe(std::string_view filter, int qos) {
    std::pair<std::string, int> one{std::string(filter), qos};
    return subscribe(std::span(&one, 1));
}

int async_client::subscribe(std::span<const std::pair<std::string, int>> filters) {
    int mid = impl_->sess.subscribe(filters, clock::now());
    impl_->service();
    return mid;
}

int async_client::unsubscribe(std::string_view filter) {
    std::string one(filter);
    return unsubscribe(std::span(&one, 1));
}

int async_client::subscribe(std::span<const std::pair<std::string, subscribe_options>> filters,
                            const properties& props) {
    check_subscribe_request(impl_->opts.protocol, filters, props);
    int mid = impl_->sess.subscribe(filters, props, clock::now());
    impl_->service();
    return mid;
}

int async_client::unsubscribe(std::span<const std::string> filters) {
    int mid = impl_->sess.unsubscribe(filters, clock::now());
    if (!impl_->v5() && filters.size() > 1) impl_->unsubscribe_filters[mid] = filters.size();
    impl_->service();
    return mid;
}

void async_client::message_callback_add(std::string filter,
                                        std::function<void(const message&)> callback) {
    if (!is_valid_topic_filter(filter)) {
        throw std::invalid_argument("invalid topic filter: '" + filter + "'");
    }
    message_callback_remove(filter);
    impl_->filter_callbacks.emplace_back(std::move(filter), std::move(callback));
}

void async_client::message_callback_remove(std::string_view filter) {
    std::erase_if(impl_->filter_callbacks, [&](const auto& p) { return p.first == filter; });
}

connection_state async_client::state() const {
    return impl_->state();
}
const std::string& async_client::client_id() const {
    return impl_->opts.client_id;
}
const broker_address& async_client::current_broker() const {
    return impl_->policy.current();
}
const std::vector<broker_address>& async_client::brokers() const {
    return impl_->policy.brokers();
}
std::size_t async_client::queued_messages() const {
    return impl_->sess.queued();
}
std::size_t async_client::inflight_messages() const {
    return impl_->sess.inflight();
}
bool async_client::idle() const {
    return impl_->sess.queued() == 0 && impl_->sess.inflight() == 0 && !impl_->writing &&
           !impl_->sess.has_output() && impl_->sess.awaiting_acks() == 0;
}
int async_client::native_socket() const {
    const auto& c = impl_->conn;
    if (!c) return -1;
    if (auto* s = c->tcp_socket(); s && s->is_open()) return s->native_handle();
    if (auto* s = c->local_socket(); s && s->is_open()) return s->native_handle();
    return -1;
}
bool async_client::want_write() const {
    return impl_->writing ||
           (impl_->conn && impl_->sess.state() != session_state::idle && impl_->sess.has_output());
}
asio::io_context& async_client::io_context() {
    return impl_->io;
}

}  // namespace piogate::mqtt
