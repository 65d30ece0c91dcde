// The service manager protocol (sd_notify(3)) for a Type=notify-reload unit:
//   ready()     READY=1          once config and hardware are up
//   reloading() RELOADING=1 + MONOTONIC_USEC=<now>   before a reload; ready() after it
//   stopping()  STOPPING=1       when shutdown starts
//   status(t)   STATUS=<t>       a one-line state for `systemctl status`
//   watchdog()  WATCHDOG=1       see watchdog_timer
// Without NOTIFY_SOCKET (not under systemd) every call is a no-op returning false.
//
// Errors: run time; nothing throws. The result says whether the datagram went out.
// Thread safety: stateless; any thread (systemd keeps no ordering between threads though,
// so send from the event loop thread).
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <chrono>
#include <optional>
#include <string_view>

namespace piogate::sys {

class notifier {
public:
    bool ready() const noexcept;
    bool reloading() const noexcept;
    bool stopping() const noexcept;
    bool status(std::string_view text) const noexcept;
    bool watchdog() const noexcept;
    // Any state string, "KEY=value" lines separated by '\n'.
    bool send(std::string_view state) const noexcept;
};

// The watchdog interval systemd expects pings within (WATCHDOG_USEC, if WATCHDOG_PID is
// unset or ours); nullopt when the watchdog is off.
std::optional<std::chrono::microseconds> watchdog_interval() noexcept;

}  // namespace piogate::sys
