// Where an actuator with "initial": "restore" keeps its last commanded state: one small JSON
// file per actuator in the state directory, {"piogate":"actuator","version":1,"id":"pump",
// "state":"ON"}, replaced atomically (temporary file in the same directory, fsync, rename,
// fsync of the directory: a power cut leaves the old file or the new one, never half of one).
// The format of state_file.hpp; this file adds what "state" may be and the actuators' paths.
//
// A file piogate did not write (not JSON with "piogate":"actuator", another actuator's id, a
// newer version, not a regular file, over 4 KiB) is foreign: never used, never overwritten. A
// file that is piogate's but damaged (empty, truncated, a state that is not "ON"/"OFF") is
// corrupted: the caller warns naming the file, starts OFF and may overwrite it.
//
// Thread: any (no state). Errors: write_actuator_state returns a message naming the file; it
// refuses (and leaves alone) a foreign file found there at the time of the write.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <string>
#include <string_view>

#include <vector>

#include "app/state_file.hpp"
#include "config/gpio_config.hpp"
#include "util/result.hpp"

namespace piogate::app {

struct actuator_state_file {
    using kind_t = state_file_read::kind_t;  // absent, own, corrupted, foreign
    kind_t kind = kind_t::absent;
    bool state = false;  // when own
    std::string reason;  // when corrupted or foreign
};

std::string encode_actuator_state(const std::string& id, bool state);  // with its '\n'
// Pure: what `content` (a whole file) is for actuator `id`.
actuator_state_file decode_actuator_state(std::string_view content, const std::string& id);

// Reads and decodes `path`.
actuator_state_file read_actuator_state(const std::string& path, const std::string& id);
util::result<void> write_actuator_state(const std::string& path, const std::string& id, bool state);
// The same with the content already encoded (encode_actuator_state), as state_file_writer has it.
util::result<void> write_actuator_text(const std::string& path, const std::string& id,
                                       const std::string& text);

// Throws config::config_error at "<actuator path>/initial" when an actuator with "restore" has
// a foreign state file (start-up and --check-config refuse it, as they do a foreign buffer file).
void check_actuator_state_files(const std::vector<config::actuator_config>& actuators);

// $STATE_DIRECTORY (its first entry) or /var/lib/piogate, + "/actuator-<id>.json".
std::string default_actuator_state_path(const std::string& id);

}  // namespace piogate::app
