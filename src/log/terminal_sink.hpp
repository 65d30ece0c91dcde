// A log sink for a terminal or a plain file: one readable line per event,
//   2026-11-25T12:00:00.123Z warning app: sensor kitchen: read failed [PIOGATE_CHANNEL=kitchen]
// Control characters in the message are escaped so one event is always one line.
//
// Thread safety: write() may be called from any thread (a mutex serialises whole lines).
// Lifetime: the FILE* is borrowed and must outlive the sink (normally stderr).
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>

#include "log/log.hpp"

namespace piogate::log {

// Pure: the line for one event, without the trailing newline.
std::string format_line(std::chrono::system_clock::time_point when, level lvl,
                        std::string_view domain, std::string_view message, const fields& extra);

// Pure: "2026-11-25T12:00:00.123Z" (UTC, milliseconds).
std::string format_timestamp(std::chrono::system_clock::time_point when);

class terminal_sink final : public sink {
public:
    explicit terminal_sink(std::FILE* out = stderr) noexcept : out_(out) {}
    void write(level lvl, std::string_view domain, std::string_view message,
               const fields& extra) override;

private:
    std::FILE* out_;
    std::mutex mutex_;
};

}  // namespace piogate::log
