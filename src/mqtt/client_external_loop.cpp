// The Paho-style client driven by the caller's own event loop (client.hpp: socket(),
// loop_read(), loop_write(), loop_misc(), want_write()).
//
// The client's io_context stays the engine: Asio's reactor learns that the socket is ready
// when the io_context is polled, so each loop_* call polls it once (runs every handler that is
// ready, never blocks). Reads, writes and timers all progress through the same poll; the three
// names are kept for programs written against Paho or libmosquitto.
#include <stdexcept>
#include <string>
// SPDX-License-Identifier: Apache-2.0
#include "mqtt/client_impl.hpp"

namespace piogate::mqtt {

std::error_code client::impl::poll_ready(const char* what) {
    if (on_executor()) return {};  // from a callback: the loop is running already
    if (is_threaded() || !acquire_exec()) {
        throw std::logic_error(std::string(what) + "() while loop_start() runs");
    }
    exec_hold hold{this};
    drain_all();
    io.restart();
    io.poll();
    refresh();
    if (async->state() == connection_state::disconnected)
        return make_error_code(errc::no_connection);
    return {};
}

int client::socket() const {
    int fd = -1;
    impl_->call([&] { fd = impl_->async->native_socket(); });
    return fd;
}

bool client::want_write() const {
    bool want = false;
    impl_->call([&] { want = impl_->async->want_write() || impl_->queue.pending() != 0; });
    return want;
}

std::error_code client::loop_read() { return impl_->poll_ready("loop_read"); }
std::error_code client::loop_write() { return impl_->poll_ready("loop_write"); }
std::error_code client::loop_misc() { return impl_->poll_ready("loop_misc"); }

}  // namespace piogate::mqtt
