#include "app/counter_store.hpp"
// SPDX-License-Identifier: Apache-2.0
#include "app/state_file.hpp"
#include "config/config_error.hpp"

namespace piogate::app {
namespace {

const state_file_format format{"counter", "piogate counter file", "count", "truncated?"};

using kind_t = counter_file::kind_t;

counter_file from(const state_file_read& r) {
    if (r.kind != kind_t::own) return {r.kind, 0, r.reason};
    if (!r.value.is_number_unsigned())
        return {kind_t::corrupted, 0, "has no \"count\" that is a non-negative integer"};
    return {kind_t::own, r.value.get<std::uint64_t>(), {}};
}

}  // namespace

std::string encode_counter_state(const std::string& id, std::uint64_t count) {
    return encode_state_file(format, id, count);
}

counter_file decode_counter_state(std::string_view content, const std::string& id) {
    return from(decode_state_file(format, content, id));
}

counter_file read_counter_file(const std::string& path, const std::string& id) {
    return from(read_state_file(format, path, id));
}

util::result<void> write_counter_file(const std::string& path, const std::string& id,
                                      std::uint64_t count) {
    return write_counter_text(path, id, encode_counter_state(id, count));
}

util::result<void> write_counter_text(const std::string& path, const std::string& id,
                                      const std::string& text) {
    return replace_state_file(format, path, id, text);
}

std::string foreign_counter_file_message(const std::string& path, const std::string& reason) {
    return "state file " + path + " " + reason +
           "; piogate will not use or overwrite it (set \"state_file\" to another path, or move "
           "this file away)";
}

void check_counter_state_files(const std::vector<config::counter_config>& counters) {
    for (const auto& c : counters) {
        const auto f = read_counter_file(c.state_file, c.id);
        if (f.kind == counter_file::kind_t::foreign) {
            throw config::config_error(c.path + "/state_file",
                                       foreign_counter_file_message(c.state_file, f.reason));
        }
    }
}

}  // namespace piogate::app
