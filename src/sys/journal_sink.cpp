#include "sys/journal_sink.hpp"
// SPDX-License-Identifier: Apache-2.0
// Without this, sd-journal.h records the file/line/function of the sd_journal_sendv call in
// this file as CODE_FILE etc., which only misleads.
#define SD_JOURNAL_SUPPRESS_LOCATION
#include <sys/uio.h>
#include <systemd/sd-journal.h>

#include <vector>

namespace piogate::sys {

int journal_priority(log::level lvl) noexcept {
    switch (lvl) {
        case log::level::debug: return 7;
        case log::level::info: return 6;
        case log::level::notice: return 5;
        case log::level::warning: return 4;
        case log::level::error: return 3;
    }
    return 6;
}

std::string journal_field_name(std::string_view name) {
    std::string out;
    for (char c : name) {
        if (c >= 'a' && c <= 'z') {
            out += static_cast<char>(c - 'a' + 'A');
        } else if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_') {
            out += c;
        } else {
            out += '_';
        }
    }
    const auto first = out.find_first_not_of('_');
    out.erase(0, first == std::string::npos ? out.size() : first);
    if (!out.empty() && out[0] >= '0' && out[0] <= '9') out.insert(0, "F_");
    if (out.size() > 64) out.resize(64);
    return out;
}

journal_sink::journal_sink(std::string identifier, std::shared_ptr<log::sink> fallback)
    : identifier_(std::move(identifier)), fallback_(std::move(fallback)) {}

void journal_sink::write(log::level lvl, std::string_view domain, std::string_view message,
                         const log::fields& extra) {
    std::vector<std::string> entries;
    entries.reserve(4 + extra.size());
    entries.push_back("MESSAGE=" + std::string(message));
    entries.push_back("PRIORITY=" + std::to_string(journal_priority(lvl)));
    entries.push_back("SYSLOG_IDENTIFIER=" + identifier_);
    entries.push_back("PIOGATE_DOMAIN=" + std::string(domain));
    for (const auto& f : extra) {
        auto name = journal_field_name(f.name);
        // Fields that would override ours are dropped rather than sent twice.
        if (name.empty() || name == "MESSAGE" || name == "PRIORITY" ||
            name == "SYSLOG_IDENTIFIER" || name == "PIOGATE_DOMAIN") {
            continue;
        }
        entries.push_back(std::move(name) + "=" + f.value);
    }
    std::vector<iovec> iov;
    iov.reserve(entries.size());
    for (auto& e : entries) iov.push_back({e.data(), e.size()});

    if (sd_journal_sendv(iov.data(), static_cast<int>(iov.size())) < 0) {
        failures_.fetch_add(1, std::memory_order_relaxed);
        if (fallback_) fallback_->write(lvl, domain, message, extra);
    }
}

}  // namespace piogate::sys
