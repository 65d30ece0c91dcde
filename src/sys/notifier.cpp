#include "sys/notifier.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <systemd/sd-daemon.h>

#include <ctime>
#include <string>

namespace piogate::sys {
namespace {

std::uint64_t monotonic_usec() noexcept {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::uint64_t>(ts.tv_sec) * 1000000u +
           static_cast<std::uint64_t>(ts.tv_nsec) / 1000u;
}

}  // namespace

bool notifier::send(std::string_view state) const noexcept {
    try {
        const std::string s(state);  // sd_notify wants a NUL-terminated string
        return sd_notify(0, s.c_str()) > 0;
    } catch (...) {  // bad_alloc
        return false;
    }
}

bool notifier::ready() const noexcept { return send("READY=1"); }

// systemd >= 253 requires MONOTONIC_USEC with RELOADING=1 for Type=notify-reload (it matches
// the reload request to this message); older versions ignore the extra field.
bool notifier::reloading() const noexcept {
    return send("RELOADING=1\nMONOTONIC_USEC=" + std::to_string(monotonic_usec()));
}

bool notifier::stopping() const noexcept { return send("STOPPING=1"); }

bool notifier::status(std::string_view text) const noexcept {
    std::string line = "STATUS=";
    for (char c : text) line += (c == '\n' ? ' ' : c);  // STATUS is one line
    return send(line);
}

bool notifier::watchdog() const noexcept { return send("WATCHDOG=1"); }

std::optional<std::chrono::microseconds> watchdog_interval() noexcept {
    std::uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
        return std::chrono::microseconds(static_cast<std::int64_t>(usec));
    }
    return std::nullopt;
}

}  // namespace piogate::sys
