// The Paho-style face: an owned io_context, blocking connect, the loop_* family, and calls
// carried to the loop thread while loop_start() runs.
#include "piogate/mqtt/client.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <condition_variable>
#include <future>
#include <mutex>
#include <optional>

namespace piogate::mqtt {
namespace asio = boost::asio;

namespace {
// Connect results cross threads when loop_start() runs.
struct connect_wait {
    std::mutex mutex;
    std::condition_variable cv;
};
connect_wait& waits() {
    static connect_wait w;
    return w;
}
}  // namespace

client::client(client_options options) : options_(std::move(options)) { rebuild(); }

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
}  // namespace

client::client(std::string client_id, bool clean_session, protocol_version protocol,
               transport_kind transport)
    : client(basic_options(std::move(client_id), clean_session, protocol, transport)) {}

client::~client() {
    loop_stop();
    async_.reset();
}

template <class F>
auto client::on_loop(F&& f) -> decltype(f()) {
    if (!thread_.joinable() || std::this_thread::get_id() == loop_thread_id_) return f();
    std::packaged_task<decltype(f())()> task(std::forward<F>(f));
    auto result = task.get_future();
    asio::post(io_, [&task] { task(); });
    return result.get();
}

void client::rebuild() {
    async_ = std::make_unique<async_client>(io_, options_);
    async_->set_auto_reconnect(false);
    async_->on_connect = [this](int rc, bool session_present) {
        {
            std::lock_guard lock(waits().mutex);
            if (!connect_done_) {
                connect_done_ = true;
                if (rc != 0) {
                    connect_ec_ = make_error_code(errc::connection_refused);
                    connect_detail_ = connack_string(rc);
                }
            }
        }
        waits().cv.notify_all();
        if (on_connect) on_connect(rc, session_present);
    };
    async_->on_connect_fail = [this](std::error_code ec, std::string_view detail) {
        {
            std::lock_guard lock(waits().mutex);
            if (!connect_done_) {
                connect_done_ = true;
                connect_ec_ = ec;
                connect_detail_ = detail;
            }
        }
        waits().cv.notify_all();
        if (on_connect_fail) on_connect_fail(ec, detail);
    };
    async_->on_disconnect = [this](std::error_code ec) {
        if (on_disconnect) on_disconnect(ec);
    };
    async_->on_message = [this](const message& m) {
        if (on_message) on_message(m);
    };
    async_->on_publish = [this](int mid) {
        if (on_publish) on_publish(mid);
    };
    async_->on_subscribe = [this](int mid, std::span<const int> granted) {
        if (on_subscribe) on_subscribe(mid, granted);
    };
    async_->on_unsubscribe = [this](int mid) {
        if (on_unsubscribe) on_unsubscribe(mid);
    };
    async_->on_log = [this](log_level level, std::string_view text) {
        if (on_log) on_log(level, text);
    };
}

void client::configure(const std::function<void(client_options&)>& change) {
    if (ever_connected_) throw std::logic_error("client settings must be made before connect()");
    client_options next = options_;
    change(next);
    std::swap(options_, next);
    try {
        rebuild();
    } catch (...) {
        std::swap(options_, next);
        rebuild();
        throw;
    }
}

void client::tls_set(tls_options tls) {
    configure([&](client_options& o) { o.tls = std::move(tls); });
}
void client::tls_insecure_set(bool insecure) {
    configure([&](client_options& o) {
        if (!o.tls) o.tls.emplace();
        o.tls->insecure = insecure;
    });
}
void client::username_pw_set(std::string username, std::optional<std::string> password) {
    configure([&](client_options& o) {
        o.username = std::move(username);
        o.password = std::move(password);
    });
}
void client::will_set(std::string topic, std::string payload, int qos, bool retain) {
    configure([&](client_options& o) {
        o.will = will_message{std::move(topic), std::move(payload), qos, retain};
    });
}
void client::max_inflight_messages_set(std::uint16_t n) {
    configure([&](client_options& o) { o.max_inflight = n; });
}
void client::max_queued_messages_set(std::size_t n, queue_full_policy when_full) {
    configure([&](client_options& o) {
        o.max_queued = n;
        o.when_full = when_full;
    });
}
void client::reconnect_delay_set(std::chrono::milliseconds min_delay,
                                 std::chrono::milliseconds max_delay) {
    options_.reconnect_min_delay = min_delay;
    options_.reconnect_max_delay = max_delay;
    on_loop([&] { async_->reconnect_delay_set(min_delay, max_delay); });
}

void client::connect(const std::string& host, std::uint16_t port, std::uint16_t keepalive,
                     const std::string& bind_address) {
    if (host.empty()) throw std::invalid_argument("broker host must not be empty");
    connect(std::vector<broker_address>{{host, port}}, keepalive, bind_address);
}

void client::connect(const std::vector<broker_address>& brokers, std::uint16_t keepalive,
                     const std::string& bind_address) {
    {
        std::lock_guard lock(waits().mutex);
        connect_done_ = false;
        connect_ec_ = {};
        connect_detail_.clear();
    }
    const bool threaded = thread_.joinable();
    on_loop([&] {
        ever_connected_ = true;
        async_->set_auto_reconnect(threaded);
        async_->connect(brokers, keepalive, bind_address);
    });
    if (threaded) {
        std::unique_lock lock(waits().mutex);
        waits().cv.wait(lock, [this] { return connect_done_; });
    } else {
        io_.restart();
        while (!connect_done_ && io_.run_one() > 0) {
        }
    }
    if (!connect_done_) throw connect_error(make_error_code(errc::no_connection), "connect");
    if (connect_ec_) throw connect_error(connect_ec_, connect_detail_);
}

void client::connect_async(const std::string& host, std::uint16_t port, std::uint16_t keepalive,
                           const std::string& bind_address) {
    if (host.empty()) throw std::invalid_argument("broker host must not be empty");
    connect_async(std::vector<broker_address>{{host, port}}, keepalive, bind_address);
}

void client::connect_async(const std::vector<broker_address>& brokers, std::uint16_t keepalive,
                           const std::string& bind_address) {
    on_loop([&] {
        ever_connected_ = true;
        async_->set_auto_reconnect(true);
        async_->connect(brokers, keepalive, bind_address);
    });
}

void client::reconnect() {
    on_loop([&] { async_->reconnect(); });
}

void client::disconnect() {
    on_loop([&] { async_->disconnect(); });
}

std::error_code client::loop(std::chrono::milliseconds timeout) {
    io_.restart();
    io_.run_one_for(timeout);
    io_.poll();
    if (async_->state() == connection_state::disconnected) return make_error_code(errc::no_connection);
    return {};
}

void client::loop_start() {
    if (thread_.joinable()) return;
    async_->set_auto_reconnect(true);
    io_.restart();
    std::promise<void> started;
    thread_ = std::thread([this, &started] {
        loop_thread_id_ = std::this_thread::get_id();
        auto guard = asio::make_work_guard(io_);
        started.set_value();
        io_.run();
    });
    started.get_future().wait();
}

void client::loop_stop() {
    if (!thread_.joinable()) return;
    io_.stop();
    thread_.join();
    loop_thread_id_ = {};
}

void client::loop_forever() {
    async_->set_auto_reconnect(true);
    io_.restart();
    io_.run();  // returns once disconnected with nothing left to do
}

publish_result client::publish(const std::string& topic, const std::string& payload, int qos,
                               bool retain) {
    return on_loop([&] { return async_->publish(topic, payload, qos, retain); });
}

int client::subscribe(const std::string& filter, int qos) {
    return on_loop([&] { return async_->subscribe(filter, qos); });
}

int client::subscribe(const std::vector<std::pair<std::string, int>>& filters) {
    return on_loop([&] { return async_->subscribe(filters); });
}

int client::unsubscribe(const std::string& filter) {
    return on_loop([&] { return async_->unsubscribe(filter); });
}

void client::message_callback_add(const std::string& filter,
                                  std::function<void(const message&)> callback) {
    on_loop([&] { async_->message_callback_add(filter, std::move(callback)); });
}

void client::message_callback_remove(const std::string& filter) {
    on_loop([&] { async_->message_callback_remove(filter); });
}

bool client::is_connected() const {
    return const_cast<client*>(this)->on_loop([&] { return async_->is_connected(); });
}

broker_address client::current_broker() const {
    return const_cast<client*>(this)->on_loop([&] { return async_->current_broker(); });
}

bool client::wait_idle(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    if (thread_.joinable()) {
        while (!on_loop([&] { return async_->idle(); })) {
            if (std::chrono::steady_clock::now() >= deadline) return false;
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        return true;
    }
    io_.restart();
    while (!async_->idle()) {
        auto now = std::chrono::steady_clock::now();
        if (now >= deadline) return false;
        io_.run_one_for(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now));
    }
    return true;
}

}  // namespace piogate::mqtt
