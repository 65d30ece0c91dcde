#include "config/buffer_config.hpp"
// SPDX-License-Identifier: Apache-2.0
#include "config/state_directory.hpp"

#include <cstdlib>

namespace piogate::config {

namespace {

std::string default_buffer_file() { return state_file_path("buffer.jsonl"); }

}  // namespace

buffer_config read_buffer_config(object_reader& parent) {
    buffer_config b;
    b.file = default_buffer_file();
    const json* j = parent.get_child("buffer");
    if (!j) return b;
    object_reader r(*j, child_path(parent.path(), "buffer"));
    b.max_messages = static_cast<std::size_t>(r.get_int("max_messages", 1, 1'000'000, 10000));
    b.drop_oldest = r.get_choice("when_full", {"drop_oldest", "drop_newest"}, 0) == 0;
    b.persist = r.get_bool("persist", false);
    b.file = r.get_string("file", b.file);
    if (b.file.empty() || b.file.front() != '/') r.fail("file", "must be an absolute path");
    r.finish();
    return b;
}

}  // namespace piogate::config
