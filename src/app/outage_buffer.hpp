// The readings made while the broker is unreachable: a bounded FIFO, optionally mirrored in
// a file so that a restart or a power cut loses nothing.
//
// File format: one JSON object per line {"topic","payload","qos","retain"}, appended as
// readings arrive. The file holds the buffered messages plus possibly some already sent
// (delivery is at least once); it is rewritten when those make up half of it and truncated
// once everything it holds has been delivered. A line that does not parse (a power cut
// mid-write) is skipped and counted.
//
// Errors: the constructor throws std::runtime_error when a persistent file cannot be opened
// or created (start-up). At run time write errors are reported by `push` (the message is
// still kept in memory) and never throw.
// Thread: the event loop's. Appends go to the page cache; the gateway fdatasyncs them at most
// once a second on a worker thread (take_sync_fd), so a slow SD card never stalls the loop.
#pragma once

#include <cstddef>
#include <deque>
#include <string>

#include "config/buffer_config.hpp"
#include "util/unique_fd.hpp"

namespace piogate::app {

struct buffered_message {
    std::string topic;
    std::string payload;
    int qos = 1;
    bool retain = false;
};

class outage_buffer {
public:
    explicit outage_buffer(const config::buffer_config& config);
    outage_buffer(const outage_buffer&) = delete;
    outage_buffer& operator=(const outage_buffer&) = delete;

    struct push_result {
        bool dropped = false;     // the bound was hit: one message (oldest or this one) dropped
        std::string write_error;  // non-empty: the file could not be written
    };
    push_result push(buffered_message m);

    bool empty() const { return queue_.empty(); }
    std::size_t size() const { return queue_.size(); }
    const buffered_message& front() const { return queue_.front(); }
    // The front message was handed to the client. The file keeps it until `delivered()`.
    void pop_front();
    // Everything popped so far has been acknowledged (or written, at QoS 0): those lines may
    // go; the file is truncated when nothing is buffered, compacted when mostly stale.
    void delivered();

    bool needs_sync() const { return dirty_; }
    void sync();  // fdatasync now, on this thread (shutdown)
    // For a sync off the loop thread: a duplicate of the file's descriptor when something was
    // written since the last sync (the caller fdatasyncs and closes it), else an empty one.
    util::unique_fd take_sync_fd();

    std::size_t dropped_total() const { return dropped_total_; }
    std::size_t loaded() const { return loaded_; }          // read back from the file at start
    std::size_t unreadable() const { return unreadable_; }  // lines skipped at start
    const std::string& file() const { return file_; }
    bool persistent() const { return static_cast<bool>(fd_); }

private:
    void load();
    std::string append(const buffered_message& m);
    void rewrite();
    void compact_if_worth_it();

    config::buffer_config config_;
    std::string file_;
    std::deque<buffered_message> queue_;
    util::unique_fd fd_;
    std::size_t stale_lines_ = 0;      // lines for messages delivered or dropped
    std::size_t in_flight_lines_ = 0;  // lines for messages popped, not yet delivered
    bool dirty_ = false;
    std::size_t dropped_total_ = 0;
    std::size_t loaded_ = 0;
    std::size_t unreadable_ = 0;
};

}  // namespace piogate::app
