#include "log/terminal_sink.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <ctime>

namespace piogate::log {
namespace {

// Escapes what would break "one event, one line": newlines, tabs, other control bytes.
void append_escaped(std::string& out, std::string_view text) {
    static constexpr char hex[] = "0123456789abcdef";
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '\n') {
            out += "\\n";
        } else if (c == '\r') {
            out += "\\r";
        } else if (c == '\t') {
            out += "\\t";
        } else if (u < 0x20 || u == 0x7f) {
            out += "\\x";
            out += hex[u >> 4];
            out += hex[u & 0xf];
        } else {
            out += c;
        }
    }
}

bool needs_quotes(std::string_view value) {
    if (value.empty()) return true;
    for (char c : value) {
        if (c == ' ' || c == ']' || c == '"') return true;
    }
    return false;
}

}  // namespace

std::string format_timestamp(std::chrono::system_clock::time_point when) {
    using namespace std::chrono;
    const auto ms_total = duration_cast<milliseconds>(when.time_since_epoch()).count();
    auto secs = static_cast<std::time_t>(ms_total / 1000);
    auto ms = static_cast<int>(ms_total % 1000);
    if (ms < 0) {  // before 1970: floor, not truncate
        ms += 1000;
        --secs;
    }
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[96];  // room for any int the compiler can imagine in each field
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
    return buf;
}

std::string format_line(std::chrono::system_clock::time_point when, level lvl,
                        std::string_view domain, std::string_view message,
                        const fields& extra) {
    std::string line = format_timestamp(when);
    line.reserve(line.size() + 16 + domain.size() + message.size() + 24 * extra.size());
    line += ' ';
    line += level_name(lvl);
    line += ' ';
    append_escaped(line, domain);
    line += ": ";
    append_escaped(line, message);
    if (!extra.empty()) {
        line += " [";
        bool first = true;
        for (const auto& f : extra) {
            if (!first) line += ' ';
            first = false;
            append_escaped(line, f.name);
            line += '=';
            if (needs_quotes(f.value)) {
                line += '"';
                for (char c : f.value) {
                    if (c == '"' || c == '\\') line += '\\';
                    append_escaped(line, std::string_view(&c, 1));
                }
                line += '"';
            } else {
                append_escaped(line, f.value);
            }
        }
        line += ']';
    }
    return line;
}

void terminal_sink::write(level lvl, std::string_view domain, std::string_view message,
                          const fields& extra) {
    std::string line = format_line(std::chrono::system_clock::now(), lvl, domain, message, extra);
    line += '\n';
    std::lock_guard lock(mutex_);
    std::fwrite(line.data(), 1, line.size(), out_);
    std::fflush(out_);
}

}  // namespace piogate::log
