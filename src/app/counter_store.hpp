// Where a pulse counter's total survives restarts and power cuts: one small JSON file per
// counter, {"piogate":"counter","version":1,"id":"power","count":123456}, written whole to a
// temporary file in the same directory, fsync'd and renamed over the old one (a power cut
// leaves the old file or the new one, never half of one). The format of state_file.hpp; this
// file adds what "count" may be.
//
// A file piogate did not write (not JSON with "piogate":"counter", another counter's id, a
// newer version) is foreign: piogate refuses to use it and never overwrites it. A file that
// is piogate's but damaged (empty, truncated, a count that is not a non-negative integer) is
// corrupted: the caller warns naming the file and starts from 0, and may overwrite it.
//
// Thread: any (no state). Errors: write_counter_file returns a message naming the file.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <cstdint>
#include <string>
#include <string_view>

#include <vector>

#include "app/state_file.hpp"
#include "config/counter_config.hpp"
#include "util/result.hpp"

namespace piogate::app {

struct counter_file {
    using kind_t = state_file_read::kind_t;  // absent, own, corrupted, foreign
    kind_t kind = kind_t::absent;
    std::uint64_t count = 0;  // when own
    std::string reason;       // when corrupted or foreign
};

std::string encode_counter_state(const std::string& id, std::uint64_t count);  // with '\n'
// Pure: what `content` (a whole file) is for counter `id`.
counter_file decode_counter_state(std::string_view content, const std::string& id);

// Reads and decodes `path` (absent: no file; unreadable or not a regular file: foreign).
counter_file read_counter_file(const std::string& path, const std::string& id);
// Atomic replace (temp + fsync + rename + fsync of the directory); refuses, and leaves alone,
// a foreign file found there at the time of the write.
util::result<void> write_counter_file(const std::string& path, const std::string& id,
                                      std::uint64_t count);
// The same with the content already encoded (encode_counter_state), as state_file_writer has it.
util::result<void> write_counter_text(const std::string& path, const std::string& id,
                                      const std::string& text);

// For start-up and --check-config: throws config::config_error at "/counters/N/state_file" when
// a counter's state file is foreign (the same sentence start-up would refuse it with).
void check_counter_state_files(const std::vector<config::counter_config>& counters);
// "state file PATH REASON; piogate will not use or overwrite it (...)".
std::string foreign_counter_file_message(const std::string& path, const std::string& reason);

}  // namespace piogate::app
