// Watches a client for the tools: prints the library's log under -d, and turns a lost
// connection into one error line and the end of loop_forever() (no reconnect; the tools
// exit with exit_failure instead).
//
// Thread: construct before connect(); the callbacks it installs (on_log, on_disconnect) run on
// the client's loop thread. failed() is safe from any thread.
// Lifetime: must outlive the client's loop.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <atomic>
#include <functional>
#include <string>
#include <string_view>

#include "piogate/mqtt/client.hpp"

namespace piogate::tools {

class connection_watch {
public:
    // Installs c.on_log and c.on_disconnect.
    connection_watch(std::string_view program, mqtt::client& c, bool debug);

    bool failed() const { return failed_; }  // the connection was lost (error already printed)

    // Called on the loop thread after the connection ended, by disconnect() or by failure:
    // cancel your own timers here so loop_forever() can return.
    std::function<void()> on_end;

private:
    std::string program_;
    std::string last_problem_;  // the last warning or error logged: the reason of a loss
    std::atomic<bool> failed_ = false;
};

}  // namespace piogate::tools
