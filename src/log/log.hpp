// The logging facade: one process-wide sink, a minimum level, and a logger per subsystem
// domain ("mqtt", "hw.i2c", "hw.gpio", "config", "app").
//
// main() picks the sink once at start-up (sys::default_sink(): the journal under journald,
// else a terminal line on stderr); until then events go to a terminal sink on stderr.
//
// Thread safety: every function here may be called from any thread. set_sink() and
// set_level() take effect for events written after they return. A sink's write() may be
// called concurrently and must serialise itself.
// Errors: write() never throws; a sink that throws has its exception swallowed, because
// logging must never take down the event loop.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace piogate::log {

enum class level { debug, info, notice, warning, error };

// A structured field: a journal field under journald ("PIOGATE_CHANNEL", "kitchen"),
// "[NAME=value]" on a terminal. Names should be upper-case journal field names.
struct field {
    std::string name;
    std::string value;
};

using fields = std::vector<field>;

class sink {
public:
    virtual ~sink() = default;
    virtual void write(level lvl, std::string_view domain, std::string_view message,
                       const fields& extra) = 0;
};

// "debug", "info", "notice", "warning", "error"; also "warn", "err" (case-insensitive).
std::optional<level> parse_level(std::string_view text) noexcept;
std::string_view level_name(level lvl) noexcept;

void set_sink(std::shared_ptr<sink> s);  // nullptr restores the default stderr terminal sink
std::shared_ptr<sink> current_sink();
void set_level(level min_level) noexcept;
level current_level() noexcept;
bool enabled(level lvl) noexcept;  // lvl >= current_level()

void write(level lvl, std::string_view domain, std::string_view message,
           const fields& extra = {}) noexcept;

// --- text from outside, and floods of it ---

// For logs: `text` cut to at most `max` bytes (never inside a UTF-8 sequence), followed by
// "... (N bytes)" with the full length when it was longer. Use it for every string that
// comes from outside (topics, ids, payloads), so one event stays one bounded line.
std::string clip(std::string_view text, std::size_t max = 80);

// A write for events that others can repeat at will (bad commands): per (domain, key) the
// first 5 events of a 10 s window are written, the rest only counted; the count is written
// once, as "<key>: N similar messages suppressed in 10 s" with the level and fields of the
// last suppressed event, before the next event written for that key or by flush_limited().
// Returns the time from which flush_limited() writes that count when this event was the
// first one suppressed in its window: arm a timer for it (the facade owns none;
// app::log_limited arms one on the loop's scheduler). `key` names the channel and what went
// wrong ("actuator pump: bad command"), not the variable text. Windows are measured on the
// `now` the callers pass, so a process should pass one clock (the gateway: its scheduler's).
using steady_time = std::chrono::steady_clock::time_point;
std::optional<steady_time> write_limited(
    level lvl, std::string_view domain, std::string_view key, std::string_view message,
    const fields& extra = {}, steady_time now = std::chrono::steady_clock::now()) noexcept;
// Writes the counts of every window that has passed by `now`.
void flush_limited(steady_time now = std::chrono::steady_clock::now()) noexcept;
// Writes every pending count, also of windows not over yet (at shutdown, when the timers that
// would have written them go with the loop), and forgets all windows.
void flush_all_limited() noexcept;
// Tests: forget every window and use these limits (burst per window).
void reset_limits(std::size_t burst, std::chrono::milliseconds window);

// A cheap handle bound to a domain; copy it freely. The domain must outlive the logger
// (normally a string literal).
class logger {
public:
    explicit constexpr logger(std::string_view domain) noexcept : domain_(domain) {}
    std::string_view domain() const noexcept { return domain_; }

    void debug(std::string_view m, const fields& f = {}) const noexcept {
        write(level::debug, domain_, m, f);
    }
    void info(std::string_view m, const fields& f = {}) const noexcept {
        write(level::info, domain_, m, f);
    }
    void notice(std::string_view m, const fields& f = {}) const noexcept {
        write(level::notice, domain_, m, f);
    }
    void warning(std::string_view m, const fields& f = {}) const noexcept {
        write(level::warning, domain_, m, f);
    }
    void error(std::string_view m, const fields& f = {}) const noexcept {
        write(level::error, domain_, m, f);
    }
    bool enabled(level lvl) const noexcept { return log::enabled(lvl); }
    // write_limited in this domain, at `now` (app::log_limited passes its scheduler's).
    std::optional<steady_time> limited(
        level lvl, std::string_view key, std::string_view m, const fields& f = {},
        steady_time now = std::chrono::steady_clock::now()) const noexcept {
        return write_limited(lvl, domain_, key, m, f, now);
    }

private:
    std::string_view domain_;
};

}  // namespace piogate::log
