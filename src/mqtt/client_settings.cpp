// The Paho-style client's settings: options set before the first connect, userdata and the
// logger (client.hpp).
#include <cstdio>
#include <stdexcept>
// SPDX-License-Identifier: Apache-2.0
#include "mqtt/client_impl.hpp"
#include "piogate/mqtt/client.hpp"

namespace piogate::mqtt {
namespace {

const char* level_name(log_level level) {
    switch (level) {
        case log_level::debug: return "debug";
        case log_level::info: return "info";
        case log_level::notice: return "notice";
        case log_level::warning: return "warning";
        case log_level::error: return "error";
    }
    return "log";
}

}  // namespace

// ---------------------------------------------------------------- options

client_options client::options() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->options;
}

namespace {
void configure(client::impl& i, const std::function<void(client_options&)>& change) {
    i.call([&] {
        client_options next;
        {
            std::lock_guard lock(i.mutex);
            if (i.ever_connected) throw std::logic_error("client settings must be made before connect()");
            next = i.options;
        }
        change(next);
        i.rebuild(next);  // throws std::invalid_argument and keeps the old one
        std::lock_guard lock(i.mutex);
        i.options = std::move(next);
    });
}
}  // namespace

void client::tls_set(tls_options tls) {
    configure(*impl_, [&](client_options& o) { o.tls = std::move(tls); });
}
void client::tls_insecure_set(bool insecure) {
    configure(*impl_, [&](client_options& o) {
        if (!o.tls) o.tls.emplace();
        o.tls->insecure = insecure;
    });
}
void client::username_pw_set(std::string username, std::optional<std::string> password) {
    configure(*impl_, [&](client_options& o) {
        o.username = std::move(username);
        o.password = std::move(password);
    });
}
void client::will_set(std::string topic, std::string payload, int qos, bool retain) {
    configure(*impl_, [&](client_options& o) {
        o.will = will_message{std::move(topic), std::move(payload), qos, retain};
    });
}
void client::tls_set(std::string ca_file, std::string cert_file, std::string key_file,
                     std::vector<std::string> alpn_protocols) {
    tls_options t;
    t.ca_file = std::move(ca_file);
    t.cert_file = std::move(cert_file);
    t.key_file = std::move(key_file);
    t.alpn_protocols = std::move(alpn_protocols);
    tls_set(std::move(t));
}
void client::will_clear() {
    configure(*impl_, [](client_options& o) { o.will.reset(); });
}
void client::ws_set_options(std::string path,
                            std::vector<std::pair<std::string, std::string>> headers) {
    if (path.empty() || path.front() != '/') {
        throw std::invalid_argument("WebSocket path must start with '/': '" + path + "'");
    }
    configure(*impl_, [&](client_options& o) {
        o.websocket.path = std::move(path);
        o.websocket.headers = std::move(headers);
    });
}
void client::proxy_set(proxy_kind kind, std::string host, std::uint16_t port,
                       std::optional<std::string> username, std::optional<std::string> password) {
    proxy_set(proxy_options{kind, std::move(host), port, std::move(username), std::move(password)});
}
void client::proxy_set(proxy_options proxy) {
    if (proxy.host.empty()) throw std::invalid_argument("proxy host must not be empty");
    configure(*impl_, [&](client_options& o) { o.proxy = std::move(proxy); });
}

void client::max_inflight_messages_set(std::uint16_t n) {
    configure(*impl_, [&](client_options& o) { o.max_inflight = n; });
}
void client::max_queued_messages_set(std::size_t n, queue_full_policy when_full) {
    configure(*impl_, [&](client_options& o) {
        o.max_queued = n;
        o.when_full = when_full;
    });
}
void client::reconnect_delay_set(std::chrono::milliseconds min_delay,
                                 std::chrono::milliseconds max_delay) {
    {
        std::lock_guard lock(impl_->mutex);
        impl_->options.reconnect_min_delay = min_delay;
        impl_->options.reconnect_max_delay = max_delay;
    }
    impl_->submit(
        [i = impl_.get(), min_delay, max_delay] {
            i->async->reconnect_delay_set(min_delay, max_delay);
            return 0;
        },
        false);
}

// ---------------------------------------------------------------- userdata and logger

void client::user_data_set(std::any userdata) {
    impl_->call([&] { impl_->userdata = std::move(userdata); });
}

std::any client::user_data_get() const {
    std::any copy;
    impl_->call([&] { copy = impl_->userdata; });
    return copy;
}

void client::enable_logger(log_sink sink) {
    if (sink) {
        impl_->logger = std::move(sink);
        return;
    }
    impl_->logger = [i = impl_.get()](log_level level, std::string_view text) {
        // The loop thread: async may be read. One write per line, so lines of clients on
        // several threads do not interleave.
        std::string line = "mqtt " + i->async->client_id() + ": " + level_name(level) + ": ";
        line.append(text);
        line += '\n';
        std::fwrite(line.data(), 1, line.size(), stderr);
    };
}

void client::disable_logger() { impl_->logger = nullptr; }

}  // namespace piogate::mqtt
