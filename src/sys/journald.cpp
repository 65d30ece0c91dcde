#include "sys/journald.hpp"
// SPDX-License-Identifier: Apache-2.0
#include <sys/stat.h>

#include <cinttypes>
#include <cstdio>
#include <cstdlib>

#include "log/terminal_sink.hpp"
#include "sys/journal_sink.hpp"

namespace piogate::sys {

bool under_journald(int fd) noexcept {
    const char* env = std::getenv("JOURNAL_STREAM");
    if (env == nullptr) return false;
    std::uintmax_t dev = 0;
    std::uintmax_t ino = 0;
    char extra = 0;
    if (std::sscanf(env, "%ju:%ju%c", &dev, &ino, &extra) != 2) return false;
    struct stat st {};
    if (fstat(fd, &st) != 0) return false;
    return static_cast<std::uintmax_t>(st.st_dev) == dev &&
           static_cast<std::uintmax_t>(st.st_ino) == ino;
}

std::shared_ptr<log::sink> default_sink() {
    auto terminal = std::make_shared<log::terminal_sink>(stderr);
    if (under_journald()) return std::make_shared<journal_sink>("piogate", terminal);
    return terminal;
}

}  // namespace piogate::sys
