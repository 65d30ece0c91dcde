// The state-path part of app::preflight: every file piogate will write (the persistent outage
// buffer's "buffer.file", and the files each channel entry's facts list, config::entry_facts:
// each counter's "state_file", the state file of each actuator with "initial": "restore") must
// lie in a directory that exists (the buffer's may be missing if it can be created: the buffer
// creates it) and that this process may write
// (access(W_OK | X_OK): a read-only file system answers EROFS, as systemd's ProtectSystem=strict
// makes everything outside ReadWritePaths=). Otherwise start-up fails only when the first write
// fails, long after "configuration OK"; here --check-config and start-up refuse it (exit 2)
// before anything is published. The message names the JSON path, the file and the cause, and,
// for a directory outside /var/lib/piogate (and not the state directory), how to allow it in
// the packaged unit.
//
// The state directory itself ($STATE_DIRECTORY, else /var/lib/piogate) may be missing: the
// packaged unit's StateDirectory= creates it when the service starts (the Debian package does
// not create it at install).
//
// Thread: any. Changes nothing on disk. Errors: config::config_error with the JSON path.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <optional>
#include <string>

#include "config/config.hpp"

namespace piogate::app {

// What is wrong with writing `file` (an absolute path) as this process, or nullopt when its
// directory is writable. `state_dir` is config::state_directory() (injected for tests).
// `creates_directory`: the writer creates a missing directory (the outage buffer does), so the
// nearest existing ancestor must be writable instead.
std::optional<std::string> state_path_problem(const std::string& file, const std::string& state_dir,
                                              bool creates_directory = false);

// Throws config::config_error at the key naming each state path that has a problem.
void check_state_paths(const config::piogate_config& config);

}  // namespace piogate::app
