// A log sink writing native journal entries (sd_journal_sendv) with
//   MESSAGE, PRIORITY (debug 7, info 6, notice 5, warning 4, error 3),
//   SYSLOG_IDENTIFIER=piogate, PIOGATE_DOMAIN=<domain>, and each field as NAME=value,
// so `journalctl PIOGATE_CHANNEL=kitchen` or `journalctl -p warning` just work.
//
// Errors: never throws. When the journal refuses an entry (sd_journal_sendv < 0: socket full,
// message too large) the event goes to the fallback sink if one was given, else it is
// dropped; either way it is counted. A missing journal socket is not an error to libsystemd
// (it drops the entry and returns 0), so only use this sink when under_journald() says so.
// Thread safety: write() from any thread (sd_journal_sendv is thread-safe).
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "log/log.hpp"

namespace piogate::sys {

// Pure: PRIORITY for a level (syslog numbering).
int journal_priority(log::level lvl) noexcept;

// Pure: a valid journal field name for `name` (upper-case letters, digits, '_'; no leading
// '_', which is reserved for trusted fields; at most 64 bytes); empty if nothing is left.
std::string journal_field_name(std::string_view name);

class journal_sink final : public log::sink {
public:
    explicit journal_sink(std::string identifier = "piogate",
                          std::shared_ptr<log::sink> fallback = nullptr);
    void write(log::level lvl, std::string_view domain, std::string_view message,
               const log::fields& extra) override;
    std::uint64_t failures() const noexcept { return failures_.load(std::memory_order_relaxed); }

private:
    std::string identifier_;
    std::shared_ptr<log::sink> fallback_;
    std::atomic<std::uint64_t> failures_{0};
};

}  // namespace piogate::sys
