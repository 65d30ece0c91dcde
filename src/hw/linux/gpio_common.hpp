// What the libgpiod v1 and v2 backends share and that does not depend on the libgpiod API:
// finding /dev/gpiochipN, turning errno into the start-up exception or run-time error (with the
// "group gpio" hint for permission errors), owning C handles, and reading edge events from a
// line request's file descriptor through the io_context. Line lookup and the not-found and busy
// texts are in hw/gpio_lookup.hpp (the simulated board says the same).
//
// Thread: the event-loop thread.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hw/gpio.hpp"
#include "util/result.hpp"

namespace piogate::hw::linux_backend {

// unique_ptr with a C library's free function: c_handle<gpiod_chip, gpiod_chip_close>.
template <auto Free>
struct c_deleter {
    template <class T>
    void operator()(T* p) const {
        if (p) Free(p);
    }
};
template <class T, auto Free>
using c_handle = std::unique_ptr<T, c_deleter<Free>>;

// /dev/gpiochipN character devices, by N.
std::vector<std::string> gpiochip_paths();

// strerror, plus what to do about it when it is a permission error.
std::string errno_text(int err);
// The one place errno becomes an exception (start-up) or an error (run time):
// "gpio <what>: <operation> failed: <errno_text>".
[[noreturn]] void throw_errno(std::string_view what, std::string_view operation, int err);
util::error errno_error(std::string_view what, std::string_view operation, int err);

// An edge read from the kernel: the logical level after it, its CLOCK_MONOTONIC time, and how
// many events the kernel dropped before it.
struct raw_edge {
    bool level = false;
    std::chrono::nanoseconds timestamp{0};
    std::uint64_t missed = 0;
};

// Waits for the request's fd to become readable in the io_context (no thread), reads what is
// there with `read` and hands each edge to an edge_delivery (debounce, edge filter, handler).
// `read` appends to its vector and returns false with errno set on failure (EAGAIN: nothing
// there). The fd is duplicated, so the library keeps its own; `read` may use either, and is
// never called after the reader is destroyed. A failed read stops the reader; failure() then
// says why (and value() of the input reports it).
class edge_reader {
public:
    using read_fn = std::function<bool(int fd, std::vector<raw_edge>& out)>;
    edge_reader(boost::asio::io_context& io, std::string name, int fd, read_fn read, edge edges,
                std::chrono::nanoseconds debounce, bool initial_level);
    ~edge_reader();
    edge_reader(const edge_reader&) = delete;
    edge_reader& operator=(const edge_reader&) = delete;

    void set_handler(std::function<void(const edge_event&)> handler);
    const std::optional<util::error>& failure() const;

private:
    struct state;
    std::shared_ptr<state> state_;
};

}  // namespace piogate::hw::linux_backend
