#include "hw/linux/gpio_common.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <cerrno>
#include <filesystem>
#include <stdexcept>
#include <system_error>

#include "hw/edge_delivery.hpp"
#include "hw/hw_error.hpp"
#include "util/asio_scheduler.hpp"

namespace piogate::hw::linux_backend {

std::vector<std::string> gpiochip_paths() {
    std::vector<std::pair<unsigned long, std::string>> found;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/dev", ec)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind("gpiochip", 0) != 0 || name.size() == 8 || name.size() > 16) continue;
        const std::string number = name.substr(8);
        if (!std::all_of(number.begin(), number.end(), [](char c) { return c >= '0' && c <= '9'; }))
            continue;
        std::error_code type_ec;
        if (!entry.is_character_file(type_ec)) continue;
        found.emplace_back(std::stoul(number), entry.path().string());
    }
    std::sort(found.begin(), found.end());
    std::vector<std::string> out;
    for (auto& f : found) out.push_back(std::move(f.second));
    return out;
}

std::string errno_text(int err) {
    std::string text = std::system_category().message(err);
    if (err == EACCES || err == EPERM) {
        text +=
            " (the user needs access to /dev/gpiochip*: add it to group \"gpio\", as in "
            "\"usermod -aG gpio piogate\", and start it again)";
    }
    return text;
}

void throw_errno(std::string_view what, std::string_view operation, int err) {
    throw std::runtime_error("gpio " + std::string(what) + ": " + std::string(operation) +
                             " failed: " + errno_text(err));
}

util::error errno_error(std::string_view what, std::string_view operation, int err) {
    return hw_fail(classify_errno(err), "gpio " + std::string(what) + ": " +
                                            std::string(operation) + " failed: " + errno_text(err));
}

struct edge_reader::state : std::enable_shared_from_this<state> {
    state(boost::asio::io_context& io, std::string n, read_fn r, edge edges,
          std::chrono::nanoseconds debounce, bool initial)
        : descriptor(io),
          time(io),
          delivery(time, edges, debounce, initial),
          read(std::move(r)),
          name(std::move(n)) {}

    boost::asio::posix::stream_descriptor descriptor;
    util::asio_scheduler time;  // kernel edges: the real clock (debounce timers, stamps)
    edge_delivery delivery;
    read_fn read;
    std::string name;
    std::optional<util::error> failure;
    std::vector<raw_edge> batch;
    bool closed = false;

    void wait() {
        descriptor.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                              [weak = weak_from_this()](const boost::system::error_code& ec) {
                                  auto self = weak.lock();
                                  if (!self || self->closed) return;
                                  if (ec) {
                                      self->failure = errno_error(
                                          self->name, "wait for edge events", ec.value());
                                      return;
                                  }
                                  self->drain();
                              });
    }

    void drain() {
        auto self = shared_from_this();  // a handler below may destroy the owner
        batch.clear();
        if (!read(descriptor.native_handle(), batch)) {
            const int err = errno;
            if (err != EAGAIN && err != EINTR) {
                failure = errno_error(name, "read edge events", err);
                return;  // a dead request: stop, value() reports it
            }
        }
        for (const auto& e : batch) {
            if (closed) return;
            delivery.feed(e.level, e.timestamp, e.missed);
        }
        if (!closed) wait();
    }
};

edge_reader::edge_reader(boost::asio::io_context& io, std::string name, int fd, read_fn read,
                         edge edges, std::chrono::nanoseconds debounce, bool initial_level)
    : state_(std::make_shared<state>(io, std::move(name), std::move(read), edges, debounce,
                                     initial_level)) {
    // Our own descriptor for the reactor: the library closes its own when it releases the line.
    const int copy = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (copy < 0) throw_errno(state_->name, "duplicate the event descriptor", errno);
    // Non-blocking (shared by both descriptors): a spurious wake-up must not block the loop.
    const int flags = ::fcntl(copy, F_GETFL);
    if (flags < 0 || ::fcntl(copy, F_SETFL, flags | O_NONBLOCK) < 0) {
        const int err = errno;
        ::close(copy);
        throw_errno(state_->name, "make the event descriptor non-blocking", err);
    }
    state_->descriptor.assign(copy);
    state_->wait();
}

edge_reader::~edge_reader() {
    state_->closed = true;
    boost::system::error_code ignored;
    state_->descriptor.close(ignored);
}

void edge_reader::set_handler(std::function<void(const edge_event&)> handler) {
    state_->delivery.set_handler(std::move(handler));
}

const std::optional<util::error>& edge_reader::failure() const {
    return state_->failure;
}

}  // namespace piogate::hw::linux_backend
