// Whether stderr goes to journald, and the log sink that follows from it.
//
// systemd sets JOURNAL_STREAM=<dev>:<inode> for a service whose stdout/stderr is connected
// to the journal; the documented check (systemd.exec(5)) is that it matches fstat() of the
// fd we would log to, since a child with redirected stderr inherits the variable.
// Thread safety: any thread; reads the environment.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <memory>
#include <unistd.h>

#include "log/log.hpp"

namespace piogate::sys {

bool under_journald(int fd = STDERR_FILENO) noexcept;

// The journal (with a stderr fallback) under journald, else a terminal sink on stderr.
std::shared_ptr<log::sink> default_sink();

}  // namespace piogate::sys
