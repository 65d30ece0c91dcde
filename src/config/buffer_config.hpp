// The "buffer" section: where readings go while the broker is unreachable.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <cstddef>
#include <string>

#include "config/json_reader.hpp"

namespace piogate::config {

struct buffer_config {
    std::size_t max_messages = 10000;  // readings held while offline
    bool drop_oldest = true;           // "when_full": "drop_oldest" or "drop_newest"
    bool persist = false;              // also keep them in `file` (survives restarts, power cuts)
    // Default: $STATE_DIRECTORY/buffer.jsonl (systemd's StateDirectory=), else
    // /var/lib/piogate/buffer.jsonl.
    std::string file;

    bool operator==(const buffer_config&) const = default;
};

buffer_config read_buffer_config(object_reader& parent);

}  // namespace piogate::config
