// Writes the state files (state_file.hpp: actuator states, counter totals) off the event loop,
// on one worker thread, "state-files" (an hw::i2c_worker made at the first save), so that an
// fsync on a slow SD card never holds up MQTT keepalives, commands or readings.
//
// Per file only the newest content is written: a save while an earlier one for the same file
// still waits replaces it (a flood of commands costs one write per fsync, not a queue of
// them), and the writes of one file happen in the order saved (one thread, one queue).
// unwritten(path) is what was saved but is not on disk yet, so that a channel a reload makes
// again restores the newest state, not the older one still in the file (also when its write
// failed: that content stays unwritten until a later write of the file works).
//
// At destruction every saved content is written (the worker finishes its queue; this waits
// for the fsyncs): the gateway owns the writer, destroyed after its channels (whose destructors
// save), so the last state is on disk before the daemon exits.
//
// Thread: construction, save(), unwritten(), failing() and destruction on the loop thread;
// the write functions run on the worker; the reports on the loop thread, after each write
// (dropped once the writer is gone). Throws nothing of its own.
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <boost/asio/io_context.hpp>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "hw/i2c_worker.hpp"
#include "util/result.hpp"

namespace piogate::app {

class state_file_writer {
public:
    // Writes `text` (the content saved, already encoded) to the file (atomically); runs on the
    // worker thread.
    using write_fn = std::function<util::result<void>(const std::string& text)>;
    // A write's result, and whether the write of this file before it had failed (for "fails"
    // once per streak, "works again" once).
    using report_fn = std::function<void(const util::result<void>& r, bool was_failing)>;

    explicit state_file_writer(boost::asio::io_context& loop);
    ~state_file_writer();
    state_file_writer(const state_file_writer&) = delete;
    state_file_writer& operator=(const state_file_writer&) = delete;

    // Writes `text` to `path` by calling `write(text)` on the worker, unless a later save for
    // `path` comes first. `report` (replacing this path's earlier one) gets the result.
    void save(const std::string& path, std::string text, write_fn write, report_fn report);
    // The content last saved for `path` that is not on disk yet (waiting or being written).
    std::optional<std::string> unwritten(const std::string& path) const;
    // Whether the last finished write of `path` failed.
    bool failing(const std::string& path) const;
    // The worker's jobs queued or running (0 before the first save).
    std::size_t pending() const { return worker_ ? worker_->pending() : 0; }

private:
    struct slot;
    boost::asio::io_context& loop_;
    std::map<std::string, std::shared_ptr<slot>> slots_;
    std::unique_ptr<hw::i2c_worker> worker_;  // last: destroyed (finishing its queue) first
};

}  // namespace piogate::app
