#include "log/log.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <atomic>
#include <cctype>
#include <mutex>

#include "log/terminal_sink.hpp"

namespace piogate::log {
namespace {

std::atomic<level> g_level{level::info};
std::mutex g_sink_mutex;
std::shared_ptr<sink> g_sink;  // guarded by g_sink_mutex; null means the default sink

std::shared_ptr<sink> default_sink() {
    // Constructed on first use, never destroyed: logging from static destructors stays safe.
    static auto* s = new std::shared_ptr<sink>(std::make_shared<terminal_sink>(stderr));
    return *s;
}

bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) != b[i]) return false;
    }
    return true;
}

}  // namespace

std::optional<level> parse_level(std::string_view text) noexcept {
    if (iequals(text, "debug")) return level::debug;
    if (iequals(text, "info")) return level::info;
    if (iequals(text, "notice")) return level::notice;
    if (iequals(text, "warning") || iequals(text, "warn")) return level::warning;
    if (iequals(text, "error") || iequals(text, "err")) return level::error;
    return std::nullopt;
}

std::string_view level_name(level lvl) noexcept {
    switch (lvl) {
        case level::debug: return "debug";
        case level::info: return "info";
        case level::notice: return "notice";
        case level::warning: return "warning";
        case level::error: return "error";
    }
    return "unknown";
}

void set_sink(std::shared_ptr<sink> s) {
    std::lock_guard lock(g_sink_mutex);
    g_sink = std::move(s);
}

std::shared_ptr<sink> current_sink() {
    {
        std::lock_guard lock(g_sink_mutex);
        if (g_sink) return g_sink;
    }
    return default_sink();
}

void set_level(level min_level) noexcept { g_level.store(min_level, std::memory_order_relaxed); }
level current_level() noexcept { return g_level.load(std::memory_order_relaxed); }
bool enabled(level lvl) noexcept { return lvl >= current_level(); }

void write(level lvl, std::string_view domain, std::string_view message,
           const fields& extra) noexcept {
    if (!enabled(lvl)) return;
    try {
        // The sink is copied out so a concurrent set_sink() cannot destroy it mid-write.
        current_sink()->write(lvl, domain, message, extra);
    } catch (...) {
        // Nowhere left to report it; see the header.
    }
}

}  // namespace piogate::log
