// One small JSON file in which piogate keeps a channel's state across restarts and power cuts
// (an actuator's last commanded state for "initial": "restore", a pulse counter's total):
// {"piogate":"<kind>","version":1,"id":"<channel id>","<field>":<value>}, the magic first so
// that a file cut short is still recognisably ours.
//
// Reading goes through config::read_bounded_file (at most max_state_file_bytes, a FIFO or a
// device is refused without blocking). What is read is one of:
//   absent     no file;
//   own        piogate's file for this channel (value: the field's value, not yet checked:
//              the caller decides whether it is usable, and calls a bad one corrupted);
//   corrupted  piogate's but damaged (empty, cut short): the caller warns and may replace it;
//   foreign    not piogate's, another channel's, a newer version, not a regular file, too
//              big, unreadable: never used, never overwritten.
// replace_state_file writes atomically (temporary file beside it, fsync, rename, fsync of the
// directory: a power cut leaves the old file or the new one) and refuses a foreign file, also
// one put there after start-up, leaving it byte for byte as it was.
//
// Thread: any (no state; the writes block for an fsync, so the gateway runs them on a worker,
// see state_file_writer.hpp). Errors: returned, never thrown; messages name the file.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace piogate::app {

inline constexpr std::size_t max_state_file_bytes = 4096;

// What distinguishes one kind of state file from another, and its words in messages.
struct state_file_format {
    std::string kind;   // "counter": the value of "piogate", and what owns a file ("counter \"x\"")
    std::string title;  // "piogate counter file": "is not a <title> (not JSON)"
    std::string field;  // "count": the one value the file keeps
    std::string cut_short;  // "truncated?": "is not valid JSON (<cut_short>)"
};

struct state_file_read {
    enum class kind_t { absent, own, corrupted, foreign } kind = kind_t::absent;
    nlohmann::json value;  // when own: the field's value (null when the file has none)
    std::string reason;    // when corrupted or foreign: "is empty", "is not a regular file"
};

// The whole file for channel `id` keeping `value`, with its '\n'.
std::string encode_state_file(const state_file_format& f, const std::string& id,
                              const nlohmann::json& value);
// Pure: what `content` (a whole file) is for channel `id`.
state_file_read decode_state_file(const state_file_format& f, std::string_view content,
                                  const std::string& id);
// Reads (bounded) and decodes `path`.
state_file_read read_state_file(const state_file_format& f, const std::string& path,
                                const std::string& id);
// Replaces `path` with `text` atomically unless the file there is foreign ("PATH REASON;
// piogate will not overwrite it"). Other errors name the file: "PATH.tmp: fsync: EIO text".
util::result<void> replace_state_file(const state_file_format& f, const std::string& path,
                                      const std::string& id, const std::string& text);

}  // namespace piogate::app
