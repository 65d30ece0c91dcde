// The Paho-style face: an owned io_context, blocking connect, the loop_* family, and requests
// handed to the loop thread without waiting while loop_start() runs (client_impl.cpp).
#include "piogate/mqtt/client.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <exception>
#include <stdexcept>

#include "mqtt/client_impl.hpp"
#include "mqtt/mqtt5_checks.hpp"
#include "piogate/mqtt/codec.hpp"
#include "piogate/mqtt/topic.hpp"

namespace piogate::mqtt {
namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {

client_options basic_options(std::string client_id, bool clean_session, protocol_version protocol,
                             transport_kind transport) {
    client_options o;
    o.client_id = std::move(client_id);
    o.clean_session = clean_session;
    o.protocol = protocol;
    o.transport = transport;
    return o;
}

// The checks async_client::connect makes, made on the caller's thread for queued requests.
void check_brokers(const std::vector<broker_address>& brokers) {
    if (brokers.empty()) throw std::invalid_argument("the broker list must not be empty");
    // Port 0 is refused here unless the address itself is a unix socket; async_client
    // checks again against the client's transport.
    for (const auto& b : brokers) check_broker_address(b, transport_kind::tcp);
}

void check_filter(const std::string& filter) {
    if (!is_valid_topic_filter(filter)) {
        throw std::invalid_argument("invalid topic filter: '" + filter + "'");
    }
}

void check_qos(int qos) {
    if (qos < 0 || qos > 2) throw std::invalid_argument("QoS must be 0, 1 or 2");
}

void check_publish_arguments(const std::string& topic, const std::string& payload, int qos) {
    if (!is_valid_topic_name(topic)) {
        throw std::invalid_argument("invalid topic name for publish: '" + topic + "'");
    }
    check_qos(qos);
    if (payload.size() > max_remaining_length - 2 - topic.size() - 2) {
        throw std::invalid_argument("payload of " + std::to_string(payload.size()) +
                                    " bytes is too large for one MQTT packet");
    }
}

}  // namespace

// ---------------------------------------------------------------- construction

client::client(client_options options, std::any userdata)
    : impl_(std::make_unique<impl>(*this, std::move(options), std::move(userdata))) {
    impl_->rebuild(impl_->options);
}

client::client(std::string client_id, bool clean_session, protocol_version protocol,
               transport_kind transport)
    : client(basic_options(std::move(client_id), clean_session, protocol, transport)) {}

client::client(std::string client_id, bool clean_session, std::any userdata,
               protocol_version protocol, transport_kind transport)
    : client(basic_options(std::move(client_id), clean_session, protocol, transport),
             std::move(userdata)) {}

client::~client() {
    loop_stop();
    if (impl_->thread.joinable()) {
        if (impl_->thread.get_id() == std::this_thread::get_id()) {
            impl_->thread.detach();  // destroyed from its own callback: not supported
        } else {
            impl_->thread.join();
        }
    }
    impl_->stop_timer.cancel();
    impl_->async.reset();
}

async_client& client::native() {
    return *impl_->async;
}

// ---------------------------------------------------------------- connection

void client::connect(const std::string& host, std::uint16_t port, std::uint16_t keepalive,
                     const std::string& bind_address) {
    if (host.empty()) throw std::invalid_argument("broker host must not be empty");
    connect(std::vector<broker_address>{{host, port}}, keepalive, bind_address);
}

void client::connect(const std::vector<broker_address>& brokers, std::uint16_t keepalive,
                     const std::string& bind_address) {
    impl& i = *impl_;
    if (i.on_executor()) {
        throw std::logic_error(
            "connect() cannot wait for CONNACK in a callback; use connect_async()");
    }
    check_brokers(brokers);
    auto start = [&] {
        {
            std::lock_guard lock(i.mutex);
            i.ever_connected = true;
            i.connect_done = false;
            i.connect_ec = {};
            i.connect_detail.clear();
        }
        i.disconnect_requested = false;
        i.async->set_auto_reconnect(i.is_threaded());
        i.async->connect(brokers, keepalive, bind_address);
    };
    for (;;) {
        if (i.is_threaded()) {
            i.call(start);
            std::unique_lock lock(i.mutex);
            i.changed.wait(lock, [&] { return i.connect_done || !i.threaded; });
            if (!i.connect_done) break;  // loop_stop() meanwhile
        } else {
            if (!i.acquire_exec()) continue;
            exec_hold hold{&i};
            i.drain_all();
            start();
            i.io.restart();
            while (!i.connect_done && i.io.run_one() > 0) {
            }
            i.refresh();
        }
        std::lock_guard lock(i.mutex);
        if (!i.connect_done) break;
        if (i.connect_ec) throw connect_error(i.connect_ec, i.connect_detail);
        return;
    }
    throw connect_error(make_error_code(errc::no_connection), "connect");
}

void client::connect_async(const std::string& host, std::uint16_t port, std::uint16_t keepalive,
                           const std::string& bind_address) {
    if (host.empty()) throw std::invalid_argument("broker host must not be empty");
    connect_async(std::vector<broker_address>{{host, port}}, keepalive, bind_address);
}

void client::connect_async(const std::vector<broker_address>& brokers, std::uint16_t keepalive,
                           const std::string& bind_address) {
    check_brokers(brokers);
    {
        std::lock_guard lock(impl_->mutex);
        impl_->ever_connected = true;
    }
    impl_->submit(
        [i = impl_.get(), brokers, keepalive, bind_address] {
            i->disconnect_requested = false;
            i->async->set_auto_reconnect(true);
            i->async->connect(brokers, keepalive, bind_address);
            return 0;
        },
        false);
}

void client::reconnect() {
    {
        std::lock_guard lock(impl_->mutex);
        if (!impl_->ever_connected) throw std::invalid_argument("reconnect() before connect()");
    }
    impl_->submit(
        [i = impl_.get()] {
            i->disconnect_requested = false;
            i->async->reconnect();
            return 0;
        },
        false);
}

void client::disconnect() {
    impl_->submit(
        [i = impl_.get()] {
            i->disconnect_requested = true;
            i->async->disconnect();
            return 0;
        },
        false);
}

void client::disconnect(reason_code rc, properties props) {
    impl_->submit(
        [i = impl_.get(), rc, props = std::move(props)] {
            i->disconnect_requested = true;
            i->async->disconnect(rc, props);
            return 0;
        },
        false);
}

// ---------------------------------------------------------------- network loop

std::error_code client::loop(std::chrono::milliseconds timeout) {
    impl& i = *impl_;
    if (i.on_executor()) return {};  // from a callback: the loop is running already
    if (!i.acquire_exec()) {
        std::unique_lock lock(i.mutex);
        i.changed.wait_for(lock, timeout, [&] { return !i.threaded; });
        return {};
    }
    exec_hold hold{&i};
    i.drain_all();
    i.io.restart();
    i.io.run_one_for(timeout);
    i.io.poll();
    i.refresh();
    if (i.async->state() == connection_state::disconnected)
        return make_error_code(errc::no_connection);
    return {};
}

void client::loop_start() {
    std::unique_lock lock(impl_->mutex);
    if (impl_->threaded) return;
    if (impl_->thread.joinable() && impl_->thread.get_id() != std::this_thread::get_id()) {
        std::thread old = std::move(impl_->thread);  // stopped from a callback before
        lock.unlock();
        old.join();
        lock.lock();
        if (impl_->threaded) return;
    }
    impl_->threaded = true;
    impl_->thread = std::thread([i = impl_.get()] { i->loop_thread_main(); });
}

void client::loop_stop() {
    impl& i = *impl_;
    std::thread t;
    {
        std::lock_guard lock(i.mutex);
        if (!i.threaded) return;
        i.threaded = false;
        if (i.thread.get_id() != std::this_thread::get_id()) t = std::move(i.thread);
    }
    i.changed.notify_all();
    if (!t.joinable()) {  // from a callback on the loop thread: it ends after the callback
        i.io.stop();
        return;
    }
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    asio::post(i.io, [&i, deadline] { i.finish_and_stop(deadline); });
    t.join();
}

void client::loop_forever() {
    impl& i = *impl_;
    if (i.on_executor()) return;
    while (!i.acquire_exec()) {
        std::unique_lock lock(i.mutex);
        i.changed.wait(lock, [&] { return !i.threaded; });
    }
    exec_hold hold{&i};
    i.async->set_auto_reconnect(true);
    i.drain_all();
    i.io.restart();
    i.io.run();  // returns once disconnected with nothing left to do
    i.refresh();
}

// ---------------------------------------------------------------- messages

publish_result client::publish(const std::string& topic, const std::string& payload, int qos,
                               bool retain) {
    check_publish_arguments(topic, payload, qos);
    return impl_->publish(topic, payload, qos, retain, nullptr);
}

publish_result client::publish(const std::string& topic, const std::string& payload, int qos,
                               bool retain, const properties& props) {
    check_publish_arguments(topic, payload, qos);
    if (props.empty()) return impl_->publish(topic, payload, qos, retain, nullptr);
    protocol_version version;
    {
        std::lock_guard lock(impl_->mutex);
        version = impl_->options.protocol;
    }
    check_publish_properties(version, payload, props);
    return impl_->publish(topic, payload, qos, retain, &props);
}

int client::subscribe(const std::string& filter, int qos) {
    return subscribe(std::vector<std::pair<std::string, int>>{{filter, qos}});
}

int client::subscribe(const std::vector<std::pair<std::string, int>>& filters) {
    if (filters.empty()) throw std::invalid_argument("subscribe needs at least one filter");
    for (const auto& [filter, qos] : filters) {
        check_filter(filter);
        check_qos(qos);
    }
    return impl_->submit([i = impl_.get(), filters] { return i->async->subscribe(filters); }, true);
}

int client::subscribe(std::span<const std::pair<std::string, subscribe_options>> filters,
                      const properties& props) {
    protocol_version version;
    {
        std::lock_guard lock(impl_->mutex);
        version = impl_->options.protocol;
    }
    check_subscribe_request(version, filters, props);
    return impl_->submit([i = impl_.get(), f = std::vector(filters.begin(), filters.end()),
                          props] { return i->async->subscribe(f, props); },
                         true);
}

int client::unsubscribe(const std::string& filter) {
    check_filter(filter);
    return impl_->submit([i = impl_.get(), filter] { return i->async->unsubscribe(filter); }, true);
}

void client::message_callback_add(const std::string& filter, message_callback callback) {
    check_filter(filter);
    auto fn = std::make_shared<const message_callback>(std::move(callback));
    std::lock_guard lock(impl_->mutex);
    auto next = std::make_shared<impl::filter_list>();
    if (impl_->filters) *next = *impl_->filters;
    std::erase_if(*next, [&](const auto& p) { return p.first == filter; });
    next->emplace_back(filter, std::move(fn));
    impl_->filters = std::move(next);
    impl_->filters_version.fetch_add(1, std::memory_order_release);
}

void client::message_callback_remove(const std::string& filter) {
    std::lock_guard lock(impl_->mutex);
    if (!impl_->filters) return;
    auto next = std::make_shared<impl::filter_list>(*impl_->filters);
    std::erase_if(*next, [&](const auto& p) { return p.first == filter; });
    impl_->filters = std::move(next);
    impl_->filters_version.fetch_add(1, std::memory_order_release);
}

bool client::is_connected() const {
    if (impl_->on_executor()) return impl_->async->is_connected();
    return impl_->connected.load();
}

broker_address client::current_broker() const {
    broker_address b;
    impl_->call([&] { b = impl_->async->current_broker(); });
    return b;
}

bool client::wait_idle(std::chrono::milliseconds timeout) {
    impl& i = *impl_;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    auto idle = [&] { return i.async->idle() && !i.busy() && i.queue.pending() == 0; };
    for (;;) {
        if (i.on_executor()) return idle();  // from a callback: no waiting
        if (i.is_threaded()) {
            bool done = false;
            while (i.is_threaded()) {
                i.call([&] { done = idle(); });
                if (done) return true;
                if (std::chrono::steady_clock::now() >= deadline) return false;
                std::this_thread::sleep_for(1ms);
            }
            continue;
        }
        if (!i.acquire_exec()) continue;
        exec_hold hold{&i};
        i.drain_all();
        i.io.restart();
        while (!idle()) {
            const auto now = std::chrono::steady_clock::now();
            if (now >= deadline) return false;
            i.io.run_one_for(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now));
        }
        i.refresh();
        return true;
    }
}

}  // namespace piogate::mqtt
