// The outage buffer's file format, and the checks that keep piogate from using (and later
// truncating) a file that is not its own.
//
// Format: JSON lines. The first line is the header {"piogate":"buffer","version":1}; each
// further line is one reading {"topic","payload","qos","retain"}. A file of version 0.1.0
// (no header, records only) is still read, and rewritten with a header.
//
// Every record read back is validated like a publish request: topic a valid MQTT topic name
// (1..65535 bytes of UTF-8, no wildcard), payload a string, qos the integer 0, 1 or 2, retain
// a boolean. Lines over max_line_bytes are not read into memory.
//
// Thread: any (pure functions and file reads; no state).
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace piogate::app {

struct buffered_message {
    std::string topic;
    std::string payload;
    int qos = 1;
    bool retain = false;
    bool operator==(const buffered_message&) const = default;
};

inline constexpr std::size_t max_line_bytes = 1024 * 1024;

std::string buffer_header_line();  // with its '\n'
std::string encode_buffer_record(const buffered_message& m);  // one line, with its '\n'

// A record line (without '\n') as a message, or the reason it is not one.
struct record_result {
    std::optional<buffered_message> message;
    std::string error;
};
record_result decode_buffer_record(std::string_view line);

// What an existing file at `path` is: absent (or empty: piogate may create or take it),
// piogate's own (header), a buffer of 0.1.0 (no header, its first line a valid record), or
// something else (`reason` says what), which piogate must neither use nor overwrite.
struct buffer_file_kind {
    enum class kind_t { absent, own, legacy, foreign } kind = kind_t::absent;
    std::string reason;
};
buffer_file_kind identify_buffer_file(const std::string& path);

// Throws config::config_error at "/buffer/file" when `path` is foreign.
void check_buffer_file(const std::string& path);

// Calls `line` for each line of `path` after the header (without '\n'; empty lines skipped),
// with its 1-based line number; a line longer than max_line_bytes is passed as std::nullopt
// and not held in memory. Returns false when the file cannot be opened.
bool for_each_buffer_line(const std::string& path,
                          const std::function<void(std::size_t, std::optional<std::string_view>)>& line);

}  // namespace piogate::app
